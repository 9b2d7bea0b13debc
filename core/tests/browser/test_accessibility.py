"""The key pages pass axe-core in English and in Arabic (issue 13): no violation of impact
serious or critical, with axe's default rules (WCAG 2.0-2.2 A and AA, best practices).

The pages show the demo data set (`seed_demo`), so they carry what a real hub shows: a full
catalogue, answered questionnaires, discussions, messages, a vetting queue. Each account's
browser gets a session signed in by the test client (password and second factor passed,
coordinators' password confirmed), so no time goes on waiting for TOTP windows; the pages
are served by the live server and watched like in every browser test (console errors, CSP
violations and failed requests fail the test, axe's own evaluation included).
"""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from catalogue.models import Tool, ToolState
from demo.people import DEMO_PASSWORD
from discussions.models import Thread
from questionnaires.loader import load_file, shipped_files
from questionnaires.selectors import current_versions
from testkit.personas import reauthenticate, sign_in

from . import axe

pytestmark = pytest.mark.browser

OFFICER = "officer@demo.saferhub.invalid"
PROVIDER = "admin@northbridge-lab.demo.invalid"  # its organisation has a draft tool to edit
COORDINATOR = "coordinator@demo.saferhub.invalid"
LANGUAGES = ("en", "ar")


def key_pages() -> dict[str | None, list[str]]:
    """The pages to scan, by the demo account that sees them (None: signed out)."""
    published = list(Tool.objects.filter(state=ToolState.PUBLISHED).order_by("name")[:2])
    provider = User.objects.get(email=PROVIDER)
    draft = Tool.objects.filter(organisation=provider.membership.organisation, state=ToolState.DRAFT).first()
    questionnaire = current_versions()[0].questionnaire.key
    first_section = current_versions()[0].sections.all()[0].key
    thread = Thread.objects.filter(space__slug__isnull=False).order_by("created_at").first()
    return {
        None: [reverse("core:landing"), reverse("account_login"), reverse("account_signup")],
        OFFICER: [
            reverse("home:home"),
            reverse("discovery:catalogue"),
            reverse("catalogue:tool_detail", kwargs={"slug": published[0].slug}),
            reverse("discovery:compare") + "?tools=" + ",".join(tool.slug for tool in published),
            reverse("learning:index"),
            reverse("community:directory"),
            reverse("discussions:space", kwargs={"slug": thread.space.slug}),
            reverse("discussions:thread", kwargs={"public_id": thread.public_id}),
            reverse("notifications:inbox"),
        ],
        PROVIDER: [
            reverse("catalogue:provider_tool_edit", kwargs={"slug": draft.slug}),
            reverse("catalogue:provider_answers", kwargs={"slug": draft.slug, "questionnaire": questionnaire}),
            reverse(
                "catalogue:provider_answers_section",
                kwargs={"slug": draft.slug, "questionnaire": questionnaire, "section": first_section},
            ),
            reverse("catalogue:provider_submit", kwargs={"slug": draft.slug}),
        ],
        COORDINATOR: [reverse("accounts:vetting_queue"), reverse("catalogue:review_queue")],
    }


def session_cookie(email: str, live_server_url: str) -> dict:
    """The session cookie of the account signed in with its second factor (and, for a
    coordinator, the password confirmed a moment ago, as pages naming officers require)."""
    user = User.objects.get(email=email)
    client = sign_in(Client(), user)
    if user.role == User.Role.COORDINATOR:
        reauthenticate(client, DEMO_PASSWORD)
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": live_server_url}


@pytest.fixture
def demo_data(settings):
    if not current_versions():
        # An earlier transactional test flushed the questionnaires the migrations load; the
        # demo tools answer the shipped ones.
        for path in shipped_files():
            load_file(path)
    settings.DEBUG = True  # seed_demo refuses to run otherwise; the pages are served without it
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


@pytest.mark.django_db(transaction=True)
def test_key_pages_have_no_serious_or_critical_accessibility_violations(demo_data, new_page, live_server):
    found = []
    scanned = []
    for email, paths in key_pages().items():
        cookies = [session_cookie(email, live_server.url)] if email else []
        for language in LANGUAGES:
            page = new_page(locale=language)
            page.context.add_cookies(cookies)
            for path in paths:
                response = page.goto(path)
                # The page itself: not redirected to sign in, to the terms or to confirm a password.
                assert response.status == 200 and page.url == live_server.url + path, (email, path, page.url)
                assert page.locator("html").get_attribute("lang") == language, path
                found += axe.failures(axe.scan(page), f"{path} [{language}, {email or 'signed out'}]")
                scanned.append((language, path))
    assert len(scanned) == 2 * 18
    assert not found, f"{len(found)} serious or critical accessibility violations:\n" + "\n".join(found)


@pytest.mark.django_db(transaction=True)
def test_the_scan_reports_a_deliberate_violation(new_page):
    """Control: axe really runs inside the app's pages (under their CSP) and its findings
    reach the failure list; an image without alternative text and an unlabelled field are
    both critical."""
    page = new_page()
    page.goto(reverse("core:landing"))
    assert axe.failures(axe.scan(page), "landing") == []
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML("beforeend",
          '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text" name="unlabelled">')"""
    )
    found = sorted(axe.failures(axe.scan(page), "landing"))
    assert len(found) == 2, found
    assert found[0].startswith("landing: image-alt (critical) at img:"), found
    assert found[1].startswith("landing: label (critical) at input"), found


def test_the_vendored_axe_is_the_pinned_copy(tmp_path, monkeypatch):
    """The scan refuses a copy of axe that is not the file pinned by its sha256."""
    changed = tmp_path / "axe.min.js"
    changed.write_bytes(axe.AXE_FILE.read_bytes() + b"\n")
    monkeypatch.setattr(axe, "AXE_FILE", changed)
    axe.axe_source.cache_clear()
    with pytest.raises(AssertionError, match="not the pinned"):
        axe.axe_source()
    monkeypatch.undo()
    assert axe.axe_source().startswith("/*! axe v" + axe.AXE_VERSION)
