"""Personal data: each user downloads their own data (and nothing of anyone else's), closes their
account (content stays under "former member", the audit keeps a pseudonymous reference), and
accounts disabled for disuse are deleted after the configured period."""

import datetime
import json

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils import timezone

from accounts import personal_data, services
from accounts.models import User
from audit.models import Action, AuditEvent
from community import services as community
from community.models import DirectoryProfile
from concerns.models import Concern
from discussions import selectors as discussion_selectors
from discussions import services as discussions
from discussions.models import Post
from terms.services import accept, load_terms
from testkit import factories

pytestmark = pytest.mark.django_db

MINE = "CANARY-MINE-7f3a"
THEIRS = "CANARY-THEIRS-91bc"


@pytest.fixture
def world(coordinator):
    """Officer A and officer B, connected, each with a message, a post and a concern carrying a
    canary string; B's words and identity must never reach A's download."""
    a = factories.OfficerProfileFactory(verified=True, agency=f"Agency {MINE}").user
    b = factories.OfficerProfileFactory(verified=True, agency=f"Agency {THEIRS}").user
    b.full_name = f"Officer {THEIRS}"
    b.save(update_fields=["full_name"])
    DirectoryProfile.objects.create(user=a, display_name=f"Alpha {MINE}")
    DirectoryProfile.objects.create(user=b, display_name=f"Bravo {THEIRS}")
    connection = community.request_contact(a, b, note=f"Hello {MINE}")
    connection = community.respond(connection, by=b, accept=True)
    community.send_message(connection, sender=a, body=f"Message {MINE}")
    community.send_message(connection, sender=b, body=f"Message {THEIRS}")
    space = discussions.create_space(coordinator, slug="general", names={"en": "General"}, descriptions={})
    thread = discussions.start_thread(a, space, title=f"Thread {MINE}", body=f"Post {MINE}")
    discussions.reply(b, thread, body=f"Reply {THEIRS}")
    tool = factories.ToolFactory(published=True)
    Concern.objects.create(tool=tool, reporter=a, category="other", description=f"Concern {MINE}")
    Concern.objects.create(tool=tool, reporter=b, category="other", description=f"Concern {THEIRS}")
    document = load_terms(
        audience="law-enforcement", version="1.0", effective_from=datetime.date(2024, 1, 1), title="LE", body="x"
    )
    accept(a, document)
    accept(b, document)
    return {"a": a, "b": b, "thread": thread}


def _download(signed_in, user) -> tuple[dict, str]:
    response = signed_in(user, confirmed=True).get(reverse("accounts:my_data_download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode()
    return json.loads(text), text


def test_the_download_holds_the_user_s_own_data_and_nothing_of_others(signed_in, world):
    a, b = world["a"], world["b"]
    data, text = _download(signed_in, a)
    assert data["profile"]["email"] == a.email and data["profile"]["officer"]["agency"] == f"Agency {MINE}"
    assert [m["text"] for m in data["community"]["messages_sent"]] == [f"Message {MINE}"]
    assert [p["text"] for p in data["discussions"]["posts"]] == [f"Post {MINE}"]
    assert [c["description"] for c in data["concerns_reported"]] == [f"Concern {MINE}"]
    assert [t["version"] for t in data["terms_acceptances"]] == ["1.0"]
    assert any(e["action"] == Action.TERMS_ACCEPTED and e["by_you"] for e in data["audit_events"])
    # Nothing of B: their words, name, email, agency or pseudonymous id.
    for foreign in (THEIRS, b.email, str(b.public_id)):
        assert foreign not in text
    assert AuditEvent.objects.filter(action=Action.PERSONAL_DATA_DOWNLOADED, actor=a).count() == 1


def test_control_the_other_user_s_canary_is_in_their_own_download(signed_in, world):
    """The control of the test above: B's canary is findable where it belongs, so its absence
    from A's download means something."""
    data, text = _download(signed_in, world["b"])
    assert f"Message {THEIRS}" in text and f"Reply {THEIRS}" in text and MINE not in text.replace(f"Hello {MINE}", "")
    assert data["community"]["contacts"][0]["note"] is None  # A's note is A's words


def test_the_download_asks_for_the_password_again(signed_in, world):
    client = signed_in(world["a"], confirmed=False)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        response = client.get(reverse("accounts:my_data_download"))
    assert response.status_code == 302 and "reauthenticate" in response["Location"]


def test_closing_an_account(signed_in, world, client):
    a = world["a"]
    email, name, public_id = a.email, a.full_name, a.public_id
    page = signed_in(a, confirmed=True)
    refused = page.post(reverse("accounts:close_account"), {})
    assert refused.status_code == 400
    response = page.post(reverse("accounts:close_account"), {"confirm": "on"})
    assert response.status_code == 302
    closed = User.objects.get(pk=a.pk)
    # Can no longer sign in, by the old address or the new one.
    assert not closed.is_active and closed.closed_at is not None
    assert authenticate(email=email, password=factories.DEFAULT_PASSWORD) is None
    assert authenticate(email=closed.email, password=factories.DEFAULT_PASSWORD) is None
    assert not client.login(email=email, password=factories.DEFAULT_PASSWORD)
    assert closed.full_name == "" and email not in closed.email and MINE not in closed.officer.agency
    # The post stays, under "former member".
    post = Post.objects.select_related(*discussion_selectors.AUTHOR).get(body=f"Post {MINE}")
    assert discussion_selectors.display_name(post.author) == "Former member"
    thread_page = signed_in(world["b"]).get(reverse("discussions:thread", args=[world["thread"].public_id]))
    assert b"Former member" in thread_page.content and f"Post {MINE}".encode() in thread_page.content
    # The audit keeps the events, pointing only to role + public id.
    events = AuditEvent.objects.filter(actor=closed)
    assert events.filter(action=Action.ACCOUNT_CLOSED).count() == 1
    assert events.count() >= 3
    for event in AuditEvent.objects.all():
        dump = json.dumps([event.actor_label, event.target_label, event.before, event.after])
        assert email not in dump and name not in dump
    assert all(str(public_id) in label for label in events.values_list("actor_label", flat=True))


def test_control_the_audit_scan_finds_an_address_that_is_there(world):
    """Control: the audit scan above would see an email in an event's data."""
    event = AuditEvent.objects.create(action=Action.LOGIN, after={"note": world["a"].email})
    dump = json.dumps([event.actor_label, event.target_label, event.before, event.after])
    assert world["a"].email in dump


def test_disused_accounts_are_deleted_after_the_period_and_not_before(world):
    a = world["a"]
    months = settings.DISUSED_ACCOUNT_DELETION_MONTHS
    assert months == 24
    disabled_at = timezone.now() - datetime.timedelta(days=365)
    User.objects.filter(pk=a.pk).update(is_active=False, disabled_for_inactivity_at=disabled_at)
    before = disabled_at + datetime.timedelta(days=round(months * 365.25 / 12) - 1)
    assert services.delete_disused_accounts(now=before) == 0
    assert User.objects.get(pk=a.pk).full_name == a.full_name
    after = disabled_at + datetime.timedelta(days=round(months * 365.25 / 12) + 1)
    assert services.delete_disused_accounts(now=after) == 1
    deleted = User.objects.get(pk=a.pk)
    assert deleted.closed_at is not None and deleted.full_name == "" and a.email != deleted.email
    # Idempotent: a second pass deletes nothing more and writes no second event.
    assert services.delete_disused_accounts(now=after) == 0
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_DELETED_FOR_DISUSE).count() == 1
    # An active account is never touched, whatever its age.
    assert User.objects.get(pk=world["b"].pk).closed_at is None


def test_the_period_is_a_setting(world, settings):
    settings.DISUSED_ACCOUNT_DELETION_MONTHS = 1
    User.objects.filter(pk=world["a"].pk).update(
        is_active=False, disabled_for_inactivity_at=timezone.now() - datetime.timedelta(days=40)
    )
    assert services.delete_disused_accounts() == 1


def test_a_closed_account_cannot_be_re_enabled(world, coordinator):
    services.close_account(world["a"])
    closed = User.objects.get(pk=world["a"].pk)
    services.enable_account(closed, by=coordinator)
    assert not User.objects.get(pk=closed.pk).is_active


def test_every_app_with_personal_content_has_a_section():
    names = {section.name for section in personal_data.sections()}
    assert {
        "terms_acceptances",
        "community",
        "discussions",
        "concerns_reported",
        "following",
        "event_registrations",
        "organisation_membership",
        "messages_to_the_coordinators",
        "requests_to_providers",
    } <= names
