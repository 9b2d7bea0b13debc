"""Terms documents: loading, acceptance before anything else, organisation gating."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from audit.models import Action, AuditEvent
from core import policy
from terms.models import TermsAcceptance, TermsDocument
from terms.services import load_terms
from testkit import factories

pytestmark = pytest.mark.django_db


def test_load_terms_command_loads_a_markdown_file(tmp_path):
    source = tmp_path / "providers.md"
    source.write_text("# Provider terms\n\nDemo body text.\n", encoding="utf-8")
    call_command("load_terms", str(source), audience="providers", doc_version="1.0", effective="2022-06-01")
    document = TermsDocument.objects.get(audience="providers", version="1.0")
    assert document.title == "Provider terms"
    assert document.effective_from == datetime.date(2022, 6, 1)
    assert "Demo body text." in document.body
    assert AuditEvent.objects.filter(action=Action.TERMS_LOADED).count() == 1


def test_load_terms_refuses_an_existing_version_and_bad_input(tmp_path):
    source = tmp_path / "t.txt"
    source.write_text("Terms\n", encoding="utf-8")
    call_command("load_terms", str(source), audience="providers", doc_version="1.0", effective="2022-06-01")
    with pytest.raises(CommandError, match="already exists"):
        call_command("load_terms", str(source), audience="providers", doc_version="1.0", effective="2022-06-01")
    with pytest.raises(CommandError, match="date"):
        call_command("load_terms", str(source), audience="providers", doc_version="2.0", effective="June 2022")
    with pytest.raises(CommandError):
        call_command(
            "load_terms", str(tmp_path / "missing.md"), audience="providers", doc_version="3.0", effective="2022-06-01"
        )


def test_officer_must_accept_current_terms_before_anything_else(signed_in, verified_officer):
    document = load_terms(
        audience="law-enforcement",
        version="1.0",
        effective_from=datetime.date(2024, 1, 1),
        title="LE terms",
        body="Body",
    )
    client = signed_in(verified_officer)
    response = client.get("/home/")
    assert response.status_code == 302 and response["Location"] == "/terms/accept/"
    page = client.get("/terms/accept/")
    assert b"LE terms" in page.content
    refused = client.post("/terms/accept/", {})
    assert refused.status_code == 400
    accepted = client.post("/terms/accept/", {"agree": "on"}, REMOTE_ADDR="203.0.113.9")
    assert accepted.status_code == 302
    acceptance = TermsAcceptance.objects.get(user=verified_officer, document=document)
    assert acceptance.ip_address == "203.0.113.9"
    assert acceptance.organisation is None
    assert client.get("/home/").status_code == 200
    assert AuditEvent.objects.filter(action=Action.TERMS_ACCEPTED, actor=verified_officer).exists()


def test_a_new_version_asks_for_acceptance_again(signed_in, verified_officer):
    old = load_terms(
        audience="data-protection", version="1.0", effective_from=datetime.date(2024, 1, 1), title="DP", body="v1"
    )
    TermsAcceptance.objects.create(document=old, user=verified_officer)
    client = signed_in(verified_officer)
    assert client.get("/home/").status_code == 200
    load_terms(
        audience="data-protection", version="2.0", effective_from=datetime.date(2025, 1, 1), title="DP 2", body="v2"
    )
    assert client.get("/home/")["Location"] == "/terms/accept/"


def test_a_future_version_is_not_yet_required(signed_in, verified_officer):
    load_terms(
        audience="law-enforcement", version="9.0", effective_from=datetime.date(2999, 1, 1), title="Later", body="x"
    )
    assert signed_in(verified_officer).get("/home/").status_code == 200


def test_organisation_can_do_nothing_beyond_its_profile_until_an_admin_accepts(
    client, organisation, provider_admin, provider_member
):
    load_terms(
        audience="providers", version="1.0", effective_from=datetime.date(2022, 6, 1), title="Provider terms", body="x"
    )
    assert not policy.can(provider_admin, "organisation.work", organisation)
    assert not policy.can(provider_admin, "organisation.invite", organisation)
    assert policy.can(provider_admin, "organisation.edit", organisation)
    assert not policy.can(provider_member, "organisation.accept_terms", organisation)

    factories.add_totp(provider_member)
    from testkit.personas import sign_in

    member_client = sign_in(client.__class__(), provider_member)
    assert member_client.get("/terms/accept/organisation/").status_code == 403

    admin_client = sign_in(client, provider_admin)
    home = admin_client.get("/home/")
    assert b"Read and accept the terms" in home.content
    response = admin_client.post("/terms/accept/organisation/", {"agree": "on"})
    assert response.status_code == 302
    acceptance = TermsAcceptance.objects.get(user=provider_admin)
    assert acceptance.organisation == organisation
    assert policy.can(provider_member, "organisation.work", organisation)
    assert policy.can(provider_admin, "organisation.invite", organisation)


def test_published_terms_are_public(client):
    load_terms(
        audience="providers",
        version="1.0",
        effective_from=datetime.date(2022, 6, 1),
        title="Provider terms",
        body="Text",
    )
    assert b"Provider terms" in client.get("/terms/").content
    page = client.get("/terms/providers/1.0/")
    assert page.status_code == 200 and b"Text" in page.content
    assert client.get("/terms/providers/7.0/").status_code == 404


def test_coordinator_loads_terms_in_the_back_office(signed_in, coordinator):
    client = signed_in(coordinator)
    upload = SimpleUploadedFile("terms.md", b"# LE terms\n\nBody", content_type="text/markdown")
    response = client.post(
        "/terms/manage/",
        {
            "audience": "law-enforcement",
            "version": "1.1",
            "effective_from": "2024-02-01",
            "title": "LE",
            "file": upload,
        },
    )
    assert response.status_code == 302
    assert TermsDocument.objects.filter(audience="law-enforcement", version="1.1", loaded_by=coordinator).exists()


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("terms.exe", b"MZ...", b"Upload a .md or .txt file."),
        ("terms.md", b"\x00\x01binary", b"The file is not a text file."),
        ("terms.md", "caf\u00e9".encode("latin-1"), b"The file is not UTF-8 text."),
        ("terms.md", b"   ", b"The file is empty."),
    ],
)
def test_back_office_rejects_bad_files_with_a_message(signed_in, coordinator, filename, content, message):
    client = signed_in(coordinator)
    response = client.post(
        "/terms/manage/",
        {
            "audience": "providers",
            "version": "1.2",
            "effective_from": "2024-02-01",
            "title": "Kept title",
            "file": SimpleUploadedFile(filename, content),
        },
    )
    assert response.status_code == 400
    assert message in response.content
    assert b'value="Kept title"' in response.content
    assert not TermsDocument.objects.exists()


def test_a_document_s_own_headings_sit_below_the_page_heading(signed_in, verified_officer, client):
    load_terms(
        audience="law-enforcement",
        version="1.0",
        effective_from=datetime.date(2024, 1, 1),
        title="LE terms",
        body="# LE terms\n\n## Your account\n\nText",
    )
    public = client.get("/terms/law-enforcement/1.0/").content.decode()
    assert public.count("<h1") == 1 and "<h2>LE terms</h2>" in public and "<h3>Your account</h3>" in public
    accept = signed_in(verified_officer).get("/terms/accept/").content.decode()
    assert accept.count("<h1") == 1 and "<h3>LE terms</h3>" in accept and "<h4>Your account</h4>" in accept
