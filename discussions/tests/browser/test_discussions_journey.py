"""Field reports and discussions in a real browser (issue 11), without any JavaScript of ours.

1. An officer writes a field report on a tool; another officer reads it; the tool's provider
   finds it nowhere: not on the preview of its own tool, not behind the report list's address,
   not in the API.
2. An officer reports another officer's post; a coordinator hides it with a reason; readers see
   that it was hidden, and only its author reads the reason.
"""

import datetime
import json
import re

import pytest
from django.urls import reverse

from api.tests.helpers import api_client
from audit.models import Action, AuditEvent
from community import services as community
from core.tests.browser.test_journeys import sign_in, sign_out
from discussions import services as discussions
from discussions.models import FieldReport, Post, PostReport
from testkit import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CANARY = "Pilot on closed cases in a harbour unit"
HIDDEN_REASON = "Addresses identify people; describe places in general terms."


def _officer(name, country):
    user = factories.OfficerProfileFactory(verified=True, user__full_name=name, country=country).user
    # Officers appear in discussions under the display name they chose in Meet other officers.
    community.save_listing(user, listed=False, display_name=name, shown={})
    return user


def test_a_field_report_reaches_officers_and_never_the_provider(new_page, totp, expected_failures):
    organisation, provider = factories.provider_admin_under_terms("Northwind Forensics GmbH")
    tool = factories.ToolFactory(organisation=organisation, published=True, name="Harbour Lens", slug="harbour-lens")
    writer = _officer("Freya Fieldwriter", "NO")
    reader = _officer("Rita Reader", "KE")
    secrets = {user.pk: factories.add_totp(user) for user in (provider, writer, reader)}

    def code_for(user):
        return lambda: totp.code(secrets[user.pk])

    # --- the officer writes a report from the tool's discussion space ---------------------------
    page = new_page()
    sign_in(page, writer.email, factories.DEFAULT_PASSWORD, code_for(writer))
    page.goto(f"/discussions/tools/{tool.slug}/")
    page.get_by_role("link", name="Write a field report").first.click()
    page.fill("input[name=used_in]", "2025-03")
    page.fill("textarea[name=context]", CANARY)
    page.fill("textarea[name=data]", "About 5,000 images.")
    page.fill("textarea[name=did_not_work]", "Videos had to be split by hand.")
    page.check("input[name=attribution][value=region]")
    page.get_by_role("button", name="Save the report").click()
    page.wait_for_url(re.compile(rf"/discussions/tools/{tool.slug}/field-reports/$"))
    assert CANARY in page.content()
    report = FieldReport.objects.get()
    assert report.used_in == datetime.date(2025, 3, 1) and report.attribution == "region"
    # The private "my agency uses this tool" toggle, on the same space.
    page.goto(f"/discussions/tools/{tool.slug}/")
    page.get_by_role("button", name="My agency uses this tool").click()
    page.get_by_role("button", name="My agency no longer uses this tool").wait_for()
    sign_out(page)

    # --- another officer reads it, pseudonymously signed ------------------------------------------
    page = new_page()
    sign_in(page, reader.email, factories.DEFAULT_PASSWORD, code_for(reader))
    page.goto(f"/discussions/tools/{tool.slug}/field-reports/")
    text = page.locator("main").inner_text()
    assert CANARY in text and "An officer in Europe" in text and "Freya Fieldwriter" not in text
    sign_out(page)

    # --- the provider finds it nowhere ------------------------------------------------------------
    expected_failures.append(r"/discussions/")
    page = new_page()
    sign_in(page, provider.email, factories.DEFAULT_PASSWORD, code_for(provider))
    for path in (f"/tools/mine/{tool.slug}/preview/", f"/tools/mine/{tool.slug}/", "/home/"):
        response = page.goto(path)
        assert response.status == 200, path
        body = page.content()
        assert CANARY not in body and "Field report" not in body and "agency uses" not in body
    for path in (f"/discussions/tools/{tool.slug}/field-reports/", f"/discussions/tools/{tool.slug}/"):
        response = page.goto(path)
        assert response.status == 403 and CANARY not in page.content()
    # The API: a provider gets no token; an officer's token shows no report nor any count.
    assert api_client(factories.make_api_token(provider)).get(reverse("api:tool", args=[tool.slug])).status_code in (
        401,
        403,
    )
    payload = api_client(factories.make_api_token(reader)).get(reverse("api:tool", args=[tool.slug])).content
    text = json.dumps(json.loads(payload)).lower()
    assert CANARY.lower() not in text and "field_report" not in text and "agency_use" not in text


def test_a_reported_post_is_hidden_and_only_its_author_reads_why(new_page, totp):
    coordinator = factories.CoordinatorFactory()
    author = _officer("Amal Author", "JO")
    reporter = _officer("Rui Reporter", "BR")
    secrets = {user.pk: factories.add_totp(user) for user in (coordinator, author, reporter)}
    space = discussions.create_space(coordinator, slug="wellbeing-demo", names={"en": "Wellbeing"}, descriptions={})
    thread = discussions.start_thread(
        reporter, space, title="Breaks from media review", body="How do you organise breaks?"
    )

    def code_for(user):
        return lambda: totp.code(secrets[user.pk])

    # --- the author replies, quoting, without JavaScript -------------------------------------------
    page = new_page(java_script_enabled=False)
    sign_in(page, author.email, factories.DEFAULT_PASSWORD, code_for(author))
    page.goto(f"/discussions/threads/{thread.public_id}/")
    page.get_by_role("link", name="Quote").first.click()
    assert "> How do you organise breaks?" in page.locator("textarea[name=body]").input_value()
    page.locator("textarea[name=body]").press("End")
    page.fill("textarea[name=body]", page.locator("textarea[name=body]").input_value() + "We meet at 12 Canary Street.")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url(re.compile(rf"/discussions/threads/{thread.public_id}/"))
    post = Post.objects.get(author=author)
    assert post.reply_to == thread.posts.order_by("id").first()
    sign_out(page)

    # --- another officer reports it ------------------------------------------------------------------
    page = new_page()
    sign_in(page, reporter.email, factories.DEFAULT_PASSWORD, code_for(reporter))
    page.goto(f"/discussions/threads/{thread.public_id}/")
    page.locator(f"#post-{post.public_id}").get_by_role("link", name="Report to the coordinators").click()
    page.fill("textarea[name=reason]", "It gives an address.")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url(re.compile(rf"/discussions/threads/{thread.public_id}/"))
    assert PostReport.objects.filter(post=post, outcome="open").exists()
    sign_out(page)

    # --- a coordinator hides it with a reason -------------------------------------------------------
    page = new_page()
    sign_in(page, coordinator.email, factories.DEFAULT_PASSWORD, code_for(coordinator))
    page.goto("/discussions/reports/")
    assert "It gives an address." in page.content()
    page.get_by_role("link", name="Hide or move the post").click()
    page.check("input[name=action][value=hide]")
    page.fill("textarea[name=reason]", HIDDEN_REASON)
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_url(re.compile(rf"/discussions/threads/{thread.public_id}/"))
    assert AuditEvent.objects.filter(action=Action.POST_HIDDEN, actor=coordinator).exists()
    sign_out(page)

    # --- the reporter sees only that it was hidden; the author reads why ----------------------------
    page = new_page()
    sign_in(page, reporter.email, factories.DEFAULT_PASSWORD, code_for(reporter))
    page.goto(f"/discussions/threads/{thread.public_id}/")
    text = page.locator("main").inner_text()
    assert "hidden by the coordinators" in text and "Canary Street" not in text and HIDDEN_REASON not in text
    sign_out(page)

    page = new_page()
    sign_in(page, author.email, factories.DEFAULT_PASSWORD, code_for(author))
    page.goto("/notifications/")
    assert "The coordinators hid your post in Breaks from media review" in page.locator("main").inner_text()
    page.goto(f"/discussions/threads/{thread.public_id}/")
    text = page.locator("main").inner_text()
    assert HIDDEN_REASON in text and "Canary Street" not in text
