"""Terms changes: a summary and a diff, publication ahead of the effective date with an inbox
notice to everyone concerned, acceptance asked only from that date, and who has accepted."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from audit.models import Action, AuditEvent
from notifications.models import Notification
from terms import services
from terms.models import TermsAcceptance, TermsDocument
from terms.services import load_terms
from testkit import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
EFFECTIVE = datetime.date(2026, 4, 1)


def _publish_le_versions():
    """Version 1.0 in force, 2.0 published today to take effect on EFFECTIVE."""
    old = load_terms(
        audience="law-enforcement",
        version="1.0",
        effective_from=datetime.date(2025, 1, 1),
        title="LE terms",
        body="Line one.\nLine two.\nLine three.",
    )
    new = load_terms(
        audience="law-enforcement",
        version="2.0",
        effective_from=EFFECTIVE,
        title="LE terms",
        body="Line one.\nLine 2, reworded.\nLine three.\nA <b>new</b> line.",
        summary="Line two reworded; a line added.",
    )
    return old, new


@time_machine.travel(TODAY, tick=False)
def test_a_future_version_is_asked_only_from_its_effective_date(signed_in, verified_officer):
    old, new = _publish_le_versions()
    services.accept(verified_officer, old)
    dp = load_terms(
        audience="data-protection", version="1.0", effective_from=datetime.date(2025, 1, 1), title="DP", body="x"
    )
    services.accept(verified_officer, dp)
    # Before the effective date the current version still counts as accepted (a new sign-in at
    # each moment: sessions end after 12 hours).
    assert signed_in(verified_officer).get("/home/").status_code == 200
    with time_machine.travel(datetime.datetime(2026, 3, 31, 23, tzinfo=datetime.UTC), tick=False):
        assert signed_in(verified_officer).get("/home/").status_code == 200
    with time_machine.travel(datetime.datetime(2026, 4, 1, 8, tzinfo=datetime.UTC), tick=False):
        client = signed_in(verified_officer)
        response = client.get("/home/")
        assert response.status_code == 302 and response["Location"] == "/terms/accept/"
        page = client.get("/terms/accept/")
        assert b"Line two reworded; a line added." in page.content
        client.post("/terms/accept/", {"agree": "on"})
        assert TermsAcceptance.objects.filter(user=verified_officer, document=new).exists()
        assert client.get("/home/").status_code == 200


@time_machine.travel(TODAY, tick=False)
def test_everyone_concerned_is_told_at_publication_and_can_read_it(
    signed_in, verified_officer, provider_member, coordinator
):
    old, new = _publish_le_versions()
    told = Notification.objects.filter(kind="terms_update")
    # Law-enforcement terms: officers only (two loads, one notice each); providers are not concerned.
    assert told.filter(user=verified_officer).count() == 2
    assert not told.filter(user=provider_member).exists()
    assert not told.filter(user=coordinator).exists()
    services.accept(verified_officer, old)
    inbox = signed_in(verified_officer).get("/notifications/")
    assert b"takes effect on 2026-04-01" in inbox.content
    notice = told.filter(user=verified_officer).order_by("-id").first()
    assert notice.link == "/terms/law-enforcement/2.0/"
    page = signed_in(verified_officer).get(notice.link)
    assert page.status_code == 200
    assert b"takes effect on" in page.content and b"Line two reworded; a line added." in page.content
    load_terms(
        audience="providers", version="1.0", effective_from=EFFECTIVE, title="Provider terms", body="x", summary="s"
    )
    assert told.filter(user=provider_member).count() == 1
    assert not told.filter(user=verified_officer, params__title="Provider terms").exists()
    event = AuditEvent.objects.filter(action=Action.TERMS_LOADED, target_id=str(new.pk)).get()
    assert event.after["effective_from"] == "2026-04-01" and event.after["users_told"] == 1


@time_machine.travel(TODAY, tick=False)
def test_the_changes_page_marks_removed_and_added_lines_with_words(client):
    _publish_le_versions()
    page = client.get("/terms/law-enforcement/2.0/changes/").content.decode()
    assert "Removed:</span> <del>Line two.</del>" in page
    assert "Added:</span> <ins>Line 2, reworded.</ins>" in page
    # The text is escaped, never run as markup.
    assert "Added:</span> <ins>A &lt;b&gt;new&lt;/b&gt; line.</ins>" in page
    # Unchanged lines are context, not marked.
    assert "<del>Line one.</del>" not in page and "<ins>Line one.</ins>" not in page
    # The first version has nothing to compare with.
    assert client.get("/terms/law-enforcement/1.0/changes/").status_code == 404


def test_long_unchanged_runs_are_shortened_around_the_changes():
    old = "\n".join(f"Line {n}" for n in range(1, 21))
    new = old.replace("Line 10", "Line ten")
    blocks = services.diff_blocks(old, new)
    assert [b.kind for b in blocks] == ["same", "removed", "added", "same"]
    assert blocks[0].lines == [] and blocks[0].tail == ["Line 8", "Line 9"] and blocks[0].skipped == 7
    assert blocks[1].lines == ["Line 10"] and blocks[2].lines == ["Line ten"]
    assert blocks[3].lines == ["Line 11", "Line 12"] and blocks[3].skipped == 8


def test_a_new_version_needs_a_summary_of_changes_in_the_back_office(signed_in, coordinator):
    client = signed_in(coordinator)

    def post(version, summary):
        return client.post(
            "/terms/manage/",
            {
                "audience": "providers",
                "version": version,
                "effective_from": "2030-02-01",
                "title": "PT",
                "summary": summary,
                "file": SimpleUploadedFile("t.md", b"# PT\n\nBody"),
            },
        )

    assert post("1.0", "").status_code == 302  # the first version has nothing to summarise
    refused = post("1.1", "  ")
    assert refused.status_code == 400 and b"Say what changed since the previous version." in refused.content
    assert post("1.1", "Clause 3 clarified.").status_code == 302


@time_machine.travel(TODAY, tick=False)
def test_coordinators_see_who_accepted_a_version_with_a_csv(signed_in, coordinator, organisation, provider_admin):
    other = factories.OrganisationFactory(name="=HYPERLINK(evil)")
    document = load_terms(
        audience="providers", version="1.0", effective_from=datetime.date(2025, 1, 1), title="PT", body="x"
    )
    services.accept(provider_admin, document, organisation=organisation)
    client = signed_in(coordinator)
    page = client.get("/terms/manage/providers/1.0/acceptances/").content.decode()
    assert "Accepted: 1. Not yet accepted: 1." in page
    assert organisation.name in page and "Not yet" in page
    response = client.get("/terms/manage/providers/1.0/acceptances.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[organisation.name][3] == "yes" and by_name[organisation.name][5] == provider_admin.full_name
    # CSV injection: the formula-like name is neutralised.
    assert by_name["'=HYPERLINK(evil)"][3] == "no"
    assert other.name not in by_name
    assert AuditEvent.objects.filter(action=Action.TERMS_ACCEPTANCES_EXPORTED, actor=coordinator).count() == 1


@time_machine.travel(TODAY, tick=False)
def test_the_officers_acceptance_report_is_audited_and_needs_a_recent_password(
    signed_in, coordinator, verified_officer, pending_officer
):
    _old, new = _publish_le_versions()
    services.accept(verified_officer, new)
    client = signed_in(coordinator, confirmed=False)
    with time_machine.travel(TODAY + datetime.timedelta(minutes=10), tick=False):
        # Ten minutes after signing in, the password must be confirmed again.
        unconfirmed = client.get("/terms/manage/law-enforcement/2.0/acceptances/")
    assert unconfirmed.status_code == 302 and "reauthenticate" in unconfirmed["Location"]
    page = signed_in(coordinator).get("/terms/manage/law-enforcement/2.0/acceptances/").content.decode()
    assert verified_officer.full_name in page and pending_officer.full_name in page
    assert "Accepted: 1. Not yet accepted: 1." in page
    event = AuditEvent.objects.filter(action=Action.OFFICER_DETAILS_VIEWED, actor=coordinator).latest("id")
    assert event.after["page"] == "terms_acceptances"
    assert set(event.after["officers"]) == {str(verified_officer.public_id), str(pending_officer.public_id)}


def test_the_command_asks_for_a_summary_after_the_first_version(tmp_path):
    source = tmp_path / "t.md"
    source.write_text("# T\n\nBody\n", encoding="utf-8")
    args = {"audience": "providers", "effective": "2030-01-01"}
    call_command("load_terms", str(source), doc_version="1.0", **args)
    with pytest.raises(CommandError, match="--summary is required"):
        call_command("load_terms", str(source), doc_version="2.0", **args)
    call_command("load_terms", str(source), doc_version="2.0", summary="Clause 2 clarified.", **args)
    assert services.previous_version(TermsDocument.objects.get(version="2.0")).version == "1.0"
