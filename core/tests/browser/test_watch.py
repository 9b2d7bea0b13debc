"""Control of the browser tests' watch (watch.watch_page): it detects what it must, so a
journey that passes really had no console error, CSP violation or failed request."""

import pytest

from .watch import watch_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def watched(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    problems, expected = [], []
    page = watch_page(context, problems, expected)
    page.goto("/")
    yield page, problems, expected
    context.close()


def settle(page):
    # Console and network events reach Python asynchronously.
    page.wait_for_timeout(300)


def test_a_clean_page_has_no_problems(watched):
    page, problems, _expected = watched
    page.evaluate("fetch('/favicon.ico').then((r) => r.status)")
    settle(page)
    assert problems == []


def test_a_missing_asset_is_a_problem_unless_expected(watched):
    page, problems, expected = watched
    assert page.evaluate("fetch('/static/css/no-such-file.css').then((r) => r.status)") == 404
    settle(page)
    assert any("404" in problem and "no-such-file.css" in problem for problem in problems), problems

    problems.clear()
    expected.append(r"/static/css/no-such-file\.css$")
    assert page.evaluate("fetch('/static/css/no-such-file.css').then((r) => r.status)") == 404
    settle(page)
    assert problems == []


def test_a_console_error_is_a_problem(watched):
    page, problems, _expected = watched
    page.evaluate("console.error('something broke')")
    settle(page)
    assert any("something broke" in problem for problem in problems), problems


def test_a_csp_violation_is_a_problem(watched):
    page, problems, _expected = watched
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.append(s); }"
    )
    settle(page)
    assert any("script-src" in problem for problem in problems), problems


def test_a_failed_request_is_a_problem(watched):
    page, problems, _expected = watched
    # The connection breaks (as when the server is down): no response at all.
    page.route("**/broken-connection/", lambda route: route.abort("connectionreset"))
    page.evaluate("fetch('/broken-connection/').catch(() => null)")
    settle(page)
    assert any(problem.startswith("request failed") and "broken-connection" in problem for problem in problems), (
        problems
    )
