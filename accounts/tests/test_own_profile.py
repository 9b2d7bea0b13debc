"""Officers' own profile changes (issue 8): agency, unit, country and position are audited
with before/after; a change of agency sends the officer back to vetting."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import rules, selectors, services
from accounts.models import OfficerProfile, User
from audit.models import Action, AuditEvent
from testkit import factories
from testkit.personas import sign_in

pytestmark = pytest.mark.django_db

PROFILE_URL = reverse("accounts:profile")
AGENCY_WARNING = "Changing your agency sends your account back to the coordinators for vetting."


def form_data(profile, **changes):
    data = {
        "full_name": profile.user.full_name,
        "agency": profile.agency,
        "unit": profile.unit,
        "country": profile.country.code,
        "position": profile.position,
    }
    return {**data, **changes}


@pytest.fixture
def officer():
    return factories.OfficerProfileFactory(verified=True, agency="Old Agency", country="FR")


@pytest.fixture
def browser(officer):
    return sign_in(Client(), officer.user)


def coordinator_browser():
    browser = sign_in(Client(), factories.CoordinatorFactory())
    response = browser.post(reverse("account_reauthenticate"), {"password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 302
    return browser


def events(action, profile):
    return list(AuditEvent.objects.filter(action=action, target_id=str(profile.user.public_id)))


@pytest.mark.parametrize(
    ("field", "new_value", "shown_before"),
    [
        ("unit", "Digital forensics unit", "Online child protection unit"),
        ("country", "PT", "FR"),
        ("position", "Detective sergeant", "Investigator"),
    ],
)
def test_a_change_other_than_the_agency_is_audited_and_keeps_the_officer_verified(
    officer, browser, field, new_value, shown_before
):
    response = browser.post(PROFILE_URL, form_data(officer, **{field: new_value}), follow=True)
    assert response.status_code == 200
    assert "Your profile was saved." in response.content.decode()
    officer.refresh_from_db()
    assert str(getattr(officer, field)) == new_value
    assert officer.status == OfficerProfile.Status.VERIFIED
    assert rules.is_verified_officer(officer.user)
    [event] = events(Action.OFFICER_PROFILE_CHANGED, officer)
    assert (event.actor, event.before, event.after) == (officer.user, {field: shown_before}, {field: new_value})
    assert not events(Action.OFFICER_SENT_BACK_TO_VETTING, officer)
    assert browser.get(reverse("discovery:catalogue")).status_code == 200


def test_an_agency_change_sends_a_verified_officer_back_to_vetting(officer, browser):
    assert browser.get(reverse("discovery:catalogue")).status_code == 200
    page = browser.get(PROFILE_URL).content.decode()
    assert AGENCY_WARNING in page  # told before saving

    response = browser.post(PROFILE_URL, form_data(officer, agency="New Agency"), follow=True)
    assert "your account is back with the coordinators for vetting" in response.content.decode()
    officer.refresh_from_db()
    assert officer.agency == "New Agency"
    assert officer.status == OfficerProfile.Status.PENDING
    assert officer.verified_until is None
    assert officer.is_revetting
    [changed] = events(Action.OFFICER_PROFILE_CHANGED, officer)
    assert (changed.before, changed.after) == ({"agency": "Old Agency"}, {"agency": "New Agency"})
    [sent_back] = events(Action.OFFICER_SENT_BACK_TO_VETTING, officer)
    assert sent_back.before["status"] == "verified"
    assert sent_back.after == {"status": "pending", "agency": "New Agency"}

    # Out of the catalogue until a coordinator approves again.
    assert not rules.is_verified_officer(officer.user)
    assert browser.get(reverse("discovery:catalogue")).status_code == 403

    # The coordinators see a re-vetting in their queue, and approve it.
    coordinators = coordinator_browser()
    queue = coordinators.get(reverse("accounts:vetting_queue")).content.decode()
    assert str(officer.user.public_id) in queue
    assert "Re-vetting: agency changed" in queue
    detail = coordinators.get(reverse("accounts:vetting_detail", args=[officer.user.public_id])).content.decode()
    assert "New Agency" in detail and "Re-vetting" in detail
    response = coordinators.post(
        reverse("accounts:vetting_decide", args=[officer.user.public_id]),
        {"decision": "approve", "reason": "", "version": officer.version_token()},
    )
    assert response.status_code == 302
    assert rules.is_verified_officer(User.objects.get(pk=officer.user.pk))
    assert browser.get(reverse("discovery:catalogue")).status_code == 200


def test_a_decision_taken_on_the_old_agency_is_refused_as_stale():
    pending = factories.OfficerProfileFactory(agency="Old Agency")
    version_seen_by_coordinator = pending.version_token()
    services.update_officer_profile(pending, by=pending.user, agency="New Agency")
    with pytest.raises(services.StaleDecision):
        services.approve_officer(
            pending, by=factories.CoordinatorFactory(), expected_version=version_seen_by_coordinator
        )
    pending.refresh_from_db()
    assert pending.status == OfficerProfile.Status.PENDING


def test_an_officer_with_a_renewal_request_who_changes_agency_is_revetted(officer):
    services.request_renewal(officer)
    services.update_officer_profile(officer, by=officer.user, agency="New Agency")
    officer.refresh_from_db()
    assert (officer.status, officer.renewal_requested_at) == (OfficerProfile.Status.PENDING, None)
    assert officer in selectors.vetting_queue()


def test_a_rejected_officer_changing_agency_stays_rejected_and_out_of_the_queue():
    rejected = factories.OfficerProfileFactory(status=OfficerProfile.Status.REJECTED)
    browser = sign_in(Client(), rejected.user)
    assert AGENCY_WARNING not in browser.get(PROFILE_URL).content.decode()
    assert browser.post(PROFILE_URL, form_data(rejected, agency="Another Agency")).status_code == 302
    rejected.refresh_from_db()
    assert (rejected.agency, rejected.status) == ("Another Agency", OfficerProfile.Status.REJECTED)
    assert rejected not in selectors.vetting_queue()
    assert len(events(Action.OFFICER_PROFILE_CHANGED, rejected)) == 1


def test_saving_without_a_change_records_nothing(officer, browser):
    assert browser.post(PROFILE_URL, form_data(officer)).status_code == 302
    assert not events(Action.OFFICER_PROFILE_CHANGED, officer)
    assert not events(Action.NAME_CHANGED, officer)


def test_a_name_change_is_audited_without_the_names(officer, browser):
    assert browser.post(PROFILE_URL, form_data(officer, full_name="Renamed Person")).status_code == 302
    [event] = events(Action.NAME_CHANGED, officer)
    assert "Renamed Person" not in f"{event.before} {event.after} {event.target_label} {event.actor_label}"
    officer.refresh_from_db()
    assert officer.user.full_name == "Renamed Person"
    assert officer.status == OfficerProfile.Status.VERIFIED


def test_status_role_and_dates_in_the_post_are_ignored(officer, browser):
    data = form_data(
        officer,
        agency="New Agency",
        status="verified",
        role="coordinator",
        verified_until="2999-01-01T00:00:00Z",
        decided_at="2025-01-01T00:00:00Z",
        renewal_requested_at="",
        is_staff="on",
    )
    assert browser.post(PROFILE_URL, data).status_code == 302
    officer.refresh_from_db()
    user = User.objects.get(pk=officer.user.pk)
    assert officer.status == OfficerProfile.Status.PENDING  # the agency changed: back to vetting
    assert officer.verified_until is None
    assert user.role == User.Role.OFFICER and not user.is_staff
    [event] = events(Action.OFFICER_PROFILE_CHANGED, officer)
    assert set(event.after) == {"agency"}


def test_the_service_refuses_fields_that_are_not_the_officers_to_set(officer):
    with pytest.raises(TypeError, match="status"):
        services.update_officer_profile(officer, by=officer.user, agency="New Agency", status="verified")
    officer.refresh_from_db()
    assert (officer.agency, officer.status) == ("Old Agency", OfficerProfile.Status.VERIFIED)
    assert not events(Action.OFFICER_PROFILE_CHANGED, officer)


def test_the_change_and_its_audit_event_are_one_transaction(officer, monkeypatch):
    class Boom(Exception):
        pass

    def fail_on_second_record(action, **kwargs):
        if action == Action.OFFICER_SENT_BACK_TO_VETTING:
            raise Boom
        return real_record(action, **kwargs)

    real_record = services.record
    monkeypatch.setattr(services, "record", fail_on_second_record)
    with pytest.raises(Boom):
        services.update_officer_profile(officer, by=officer.user, agency="New Agency")
    officer.refresh_from_db()
    assert (officer.agency, officer.status) == ("Old Agency", OfficerProfile.Status.VERIFIED)
    assert not events(Action.OFFICER_PROFILE_CHANGED, officer)


def test_an_officer_still_waiting_is_not_promised_the_catalogue_again():
    pending = factories.OfficerProfileFactory(agency="Old Agency", country="FR")
    browser = sign_in(Client(), pending.user)
    page = browser.post(PROFILE_URL, form_data(pending, agency="New Agency"), follow=True).content.decode()
    assert "they will check it with the new agency" in page
    assert "again once they approve" not in page
