"""AZ-04: no sequence of an officer's own actions makes the officer verified."""

import itertools

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from accounts import rules
from accounts.models import OfficerProfile, User
from testkit import factories
from testkit.personas import sign_in

COUNTER = itertools.count()
FIELD_NAMES = st.sampled_from(
    [
        "status",
        "role",
        "verified_until",
        "decided_by",
        "decided_at",
        "is_staff",
        "is_superuser",
        "renewal_requested_at",
        "full_name",
        "agency",
        "unit",
        "country",
        "position",
        "version",
        "decision",
        "reason",
        "agree",
        "domain",
    ]
)
# What an officer would send to promote themselves.
ATTACK = {
    "status": "verified",
    "role": "coordinator",
    "is_staff": "on",
    "is_superuser": "on",
    "verified_until": "2999-01-01T00:00:00Z",
    "decided_at": "2025-01-01T00:00:00Z",
    "decided_by": "1",
    "organisation": "1",
}
VALUES = st.one_of(
    st.sampled_from(["verified", "coordinator", "approve", "on", "1", "true", "2999-01-01", "FR", "officer"]),
    st.text(max_size=30),
)


class OfficerActions(RuleBasedStateMachine):
    @initialize()
    def start(self):
        n = next(COUNTER)
        self.coordinator = factories.CoordinatorFactory()
        self.profile = factories.OfficerProfileFactory(user__email=f"sm{n}@police{n}.example.gov")
        self.user = self.profile.user
        self.client = sign_in(Client(), self.user)
        self.client.post(reverse("account_reauthenticate"), {"password": factories.DEFAULT_PASSWORD})

    def post(self, name, data, **kwargs):
        response = self.client.post(reverse(name, kwargs=kwargs or None), data)
        assert response.status_code < 500

    @rule(data=st.dictionaries(FIELD_NAMES, VALUES, max_size=8))
    def edit_profile_with_anything(self, data):
        self.post("accounts:profile", data)

    @rule(names=st.sets(st.sampled_from(sorted(ATTACK)), min_size=1))
    def edit_profile_validly_with_extra_fields(self, names):
        valid = {"full_name": "Name", "agency": "Agency", "unit": "Unit", "country": "FR", "position": "Inspector"}
        self.post("accounts:profile", {**valid, **{name: ATTACK[name] for name in names}})

    @rule()
    def request_renewal(self):
        self.post("accounts:request_renewal", {})

    @rule(decision=st.sampled_from(["approve", "reject"]), version=st.booleans())
    def decide_own_application(self, decision, version):
        self.profile.refresh_from_db()
        token = self.profile.version_token() if version else "x"
        self.post(
            "accounts:vetting_decide",
            {"decision": decision, "reason": "r", "version": token},
            public_id=self.user.public_id,
        )

    @rule()
    def add_own_domain(self):
        self.post("accounts:allowed_domains", {"domain": self.user.email.split("@")[1], "agency": "x"})

    @rule()
    def unlock_and_enable_self(self):
        for name in ["accounts:account_unlock", "accounts:account_enable"]:
            self.post(name, {}, public_id=self.user.public_id)

    @rule()
    def accept_terms(self):
        self.post("terms:accept", {"agree": "on"})

    @rule()
    def confirm_email_again(self):
        self.client.post(reverse("account_email"), {"email": self.user.email, "action_send": ""})

    @rule()
    def coordinator_lists_the_domain(self):
        """Not the officer's action, but allow-listing must never verify on its own."""
        from accounts.models import AllowedDomain

        AllowedDomain.objects.get_or_create(domain=self.user.email.split("@")[1])

    @rule()
    def browse(self):
        for name in ["home:home", "accounts:profile", "accounts:vetting_queue"]:
            assert self.client.get(reverse(name)).status_code < 500

    @invariant()
    def never_verified(self):
        if not hasattr(self, "profile"):
            return
        profile = OfficerProfile.objects.get(pk=self.profile.pk)
        user = User.objects.get(pk=self.user.pk)
        assert profile.status != OfficerProfile.Status.VERIFIED
        assert profile.verified_until is None
        assert user.role == User.Role.OFFICER and not user.is_staff and not user.is_superuser
        assert not rules.is_verified_officer(user)


@pytest.mark.django_db
def test_officer_actions_never_reach_verified():
    run_state_machine_as_test(
        OfficerActions,
        settings=settings(
            max_examples=20,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
