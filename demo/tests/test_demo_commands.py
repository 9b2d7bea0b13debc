"""`manage.py seed_demo` and `manage.py demo_code`: the demo a newcomer signs in to."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, validate_totp_code
from django.core.management import CommandError, call_command

from accounts.models import AllowedDomain, OfficerProfile, User
from audit.models import AuditEvent
from demo import data
from demo.catalogue import CATALOGUE_ORGANISATIONS
from demo.people import DEMO_PASSWORD, stored_totp_secret
from demo.seed import TERMS_DIR
from providers.models import Membership, Organisation
from terms.models import Audience, TermsAcceptance, TermsDocument
from terms.services import organisation_has_accepted_current_terms, pending_documents_for
from testkit import factories

pytestmark = pytest.mark.django_db

SEEDS_DIR = Path("/work/shared/seeds")


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    return settings


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Everything the seed writes, in a comparable form."""
    return {
        "users": sorted(User.objects.values_list("email", "password", "full_name", "role", "is_staff", "is_demo")),
        "secrets": sorted((u.email, stored_totp_secret(u)) for u in User.objects.all()),
        "emails": EmailAddress.objects.count(),
        "authenticators": Authenticator.objects.count(),
        "profiles": sorted(OfficerProfile.objects.values_list("user__email", "status", "submitted_at")),
        "organisations": sorted(Organisation.objects.values_list("name", "kind", "status")),
        "memberships": Membership.objects.count(),
        "terms": TermsDocument.objects.count(),
        "acceptances": TermsAcceptance.objects.count(),
        "domains": AllowedDomain.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


# --- seed_demo ------------------------------------------------------------------------
def test_seed_refuses_without_debug_or_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed()
    assert not User.objects.exists()


def test_seed_runs_with_force_even_without_debug(settings):
    settings.DEBUG = False
    output = seed("--force")
    # 20 listed accounts, plus one admin per catalogue-only organisation (demo/catalogue.py).
    assert User.objects.filter(is_demo=True).count() == 20 + len(CATALOGUE_ORGANISATIONS)
    assert "coordinator@demo.saferhub.invalid" in output


def test_seed_twice_changes_nothing(debug):
    first_output = seed()
    first = snapshot()
    second_output = seed()
    assert snapshot() == first
    assert first_output == second_output


def test_seed_creates_every_kind_of_demo_account(debug):
    seed()
    users = User.objects.all()
    assert users.exists() and all(user.is_demo for user in users)
    assert all(user.full_name.startswith("Demo ") for user in users)
    assert all(user.email.endswith(".invalid") for user in users)

    coordinators = users.filter(role=User.Role.COORDINATOR)
    assert coordinators.count() == 2 and all(user.is_staff for user in coordinators)

    profiles = OfficerProfile.objects.select_related("user")
    verified = [p for p in profiles if p.is_verified()]
    assert len({p.country.code for p in verified}) >= 5
    pending = [p for p in profiles if p.status == OfficerProfile.Status.PENDING]
    assert 2 <= len({p.country.code for p in pending}) <= 3
    allowlisted = set(AllowedDomain.objects.values_list("domain", flat=True))
    assert any(p.email_domain in allowlisted for p in pending)
    assert any(p.status == OfficerProfile.Status.EXPIRED for p in profiles)

    organisations = Organisation.objects.all()
    assert {o.kind for o in organisations} == set(Organisation.Kind.values)
    assert all(o.is_demo for o in organisations)
    assert organisations.filter(status=Organisation.Status.PENDING).count() == 1
    assert organisations.filter(status=Organisation.Status.APPROVED).count() >= 4
    for organisation in organisations:
        assert organisation.memberships.filter(is_admin=True).count() == 1
    assert Membership.objects.filter(is_admin=False).exists()
    without_terms = [o for o in organisations.approved() if not organisation_has_accepted_current_terms(o)]
    assert len(without_terms) == 1


def test_every_demo_account_can_sign_in_right_away(debug):
    seed()
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.filter(user=user, email=user.email, primary=True, verified=True).exists()
        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        # Stored encrypted, as every TOTP secret (SECURITY.md AUTH-05).
        assert stored_totp_secret(user) not in json.dumps(authenticator.data)
        assert pending_documents_for(user) == []


def test_accounts_json_lists_the_five_roles(debug, tmp_path):
    path = tmp_path / "accounts.json"
    output = seed("--accounts-json", str(path))
    accounts = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(accounts, list) and accounts
    assert {tuple(sorted(a)) for a in accounts} == {
        ("email", "name", "organisation", "password", "role", "totp_secret")
    }
    assert {a["role"] for a in accounts} == set(data.JSON_ROLES)
    # The expired officer is only printed, never listed with one of the five roles.
    assert "expired-officer@demo.saferhub.invalid" in output
    assert "expired-officer@demo.saferhub.invalid" not in {a["email"] for a in accounts}
    organisations = set(Organisation.objects.values_list("name", flat=True))
    for account in accounts:
        user = User.objects.get(email=account["email"])
        assert account["name"] == user.full_name
        assert account["password"] == DEMO_PASSWORD
        assert account["totp_secret"] == stored_totp_secret(user)
        assert account["email"] in output and account["totp_secret"] in output
        if account["role"].startswith("provider-"):
            assert account["organisation"] in organisations
            assert user.membership.organisation.name == account["organisation"]
            assert user.membership.is_admin == (account["role"] == "provider-admin")
        else:
            assert account["organisation"] is None
    roles = {a["email"]: a["role"] for a in accounts}
    assert roles["coordinator@demo.saferhub.invalid"] == "coordinator"
    assert roles["officer@demo.saferhub.invalid"] == "verified-officer"
    assert User.objects.get(email="officer@demo.saferhub.invalid").officer.is_verified()


def test_seed_leaves_a_real_account_with_a_demo_address_alone(debug):
    real = factories.CoordinatorFactory(email="coordinator@demo.saferhub.invalid")
    with pytest.raises(CommandError, match="not a demo account"):
        seed()
    real.refresh_from_db()
    assert not real.is_demo
    assert not factories.has_totp(real)


def test_official_terms_already_loaded_are_kept_and_accepted(debug):
    official = factories.TermsDocumentFactory(audience=Audience.DATA_PROTECTION, version="1.0")
    seed()
    assert not TermsDocument.objects.filter(audience=Audience.DATA_PROTECTION, is_demo=True).exists()
    officer = User.objects.get(email="officer@demo.saferhub.invalid")
    assert TermsAcceptance.objects.filter(user=officer, document=official).exists()


# --- demo terms -------------------------------------------------------------------------
def _sentences(text: str) -> set[str]:
    text = re.sub(r"[#*`>_―–—-]+", " ", text)
    result = set()
    for sentence in re.split(r"[.!?;:]\s", " ".join(text.split())):
        normalised = " ".join(re.sub(r"[^\w\s]", " ", sentence.lower()).split())
        if len(normalised) > 30:
            result.add(normalised)
    return result


def _word_runs(text: str, length: int = 10) -> set[tuple[str, ...]]:
    words = re.sub(r"[^\w\s]", " ", text.lower()).split()
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}


def test_demo_terms_are_marked_as_demo(debug):
    seed()
    documents = TermsDocument.objects.all()
    assert {d.audience for d in documents} == set(Audience.values)
    for document in documents:
        assert document.is_demo
        assert "DEMO TEXT — not the official terms" in document.body
        assert "not the official" in document.title


def test_demo_terms_share_no_sentence_with_the_official_text():
    official, official_runs = set(), set()
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        official |= _sentences(text)
        official_runs |= _word_runs(text)
    if not official:
        pytest.skip("the official terms text is not available on this machine")
    demo_files = sorted(TERMS_DIR.glob("*.md"))
    assert len(demo_files) == 3
    for path in demo_files:
        text = path.read_text(encoding="utf-8")
        shared = _sentences(text) & official
        assert not shared, f"{path.name} repeats the official text: {shared}"
        # Also no run of ten words in a row, which catches a sentence copied with a new start.
        runs = _word_runs(text) & official_runs
        assert not runs, f"{path.name} repeats the official text: {runs}"


# --- demo_code --------------------------------------------------------------------------
def test_demo_code_prints_a_code_allauth_accepts(debug):
    seed()
    user = User.objects.get(email="coordinator@demo.saferhub.invalid")
    out = StringIO()
    call_command("demo_code", "Coordinator@demo.saferhub.invalid", stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    assert validate_totp_code(stored_totp_secret(user), code)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert TOTP(authenticator).validate_code(code)


def test_demo_code_refuses_accounts_that_are_not_demo(debug):
    real = factories.CoordinatorFactory()
    factories.add_totp(real)
    out = StringIO()
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_code", real.email, stdout=out)
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_code", "nobody@example.org", stdout=out)
    assert out.getvalue() == ""


def test_demo_code_refuses_without_debug(settings):
    settings.DEBUG = True
    seed()
    settings.DEBUG = False
    out = StringIO()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_code", "coordinator@demo.saferhub.invalid", stdout=out)
    assert out.getvalue() == ""


def test_quick_start_sign_in_with_demo_code(debug, client):
    """The README's quick start: demo password, then the code demo_code prints."""
    seed()
    response = client.post(
        "/accounts/login/", {"login": "coordinator@demo.saferhub.invalid", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    out = StringIO()
    call_command("demo_code", "coordinator@demo.saferhub.invalid", stdout=out, stderr=StringIO())
    response = client.post("/accounts/2fa/authenticate/", {"code": out.getvalue().strip()})
    assert response.status_code == 302
    assert response["Location"] == "/home/"
    assert "Back office" in client.get("/home/").content.decode()
    # The demo's vetting queue: three applicants, one from the allow-listed agency domain. Names
    # are shown after the coordinator confirms the password.
    assert client.post("/accounts/reauthenticate/", {"password": DEMO_PASSWORD}).status_code == 302
    queue = client.get("/account/vetting/").content.decode()
    for spec in data.OFFICERS:
        assert (spec.name in queue) == (spec.status == data.PENDING_OFFICER)
    assert queue.count("Listed agency domain") == 1
