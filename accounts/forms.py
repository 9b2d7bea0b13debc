"""Forms about people. Fields are explicit: role, status and flags are never user-settable."""

from allauth.account.forms import ChangePasswordForm, SignupForm
from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate
from allauth.core import context
from allauth.core.exceptions import ReauthenticationRequired
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from audit.models import Action
from audit.services import record
from core.outcome_forms import OutcomeFieldsMixin, OutcomeGroup

from .models import AllowedDomain, OfficerProfile, User
from .services import lockout_message
from .signup_timing import EvenTimingSignupMixin


class OfficerSignupForm(EvenTimingSignupMixin, SignupForm):
    """Registration of a law-enforcement officer; the account starts pending vetting."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    agency = forms.CharField(label=_("Agency"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=200)
    # A callable: the names are listed (and sorted) in the reader's language at each request,
    # not frozen in the language active when the module was imported.
    country = LazyTypedChoiceField(label=_("Country"), choices=lambda: [("", "—"), *countries])
    position = forms.CharField(label=_("Position"), max_length=200)
    reason = forms.CharField(
        label=_("Why do you want to join?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Describe your work against online child sexual exploitation in a few sentences."),
    )

    field_order = ["full_name", "email", "agency", "unit", "country", "position", "reason", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Official email address")
        self.fields["email"].help_text = _("Use the address your agency gave you; we will send a confirmation link.")

    @transaction.atomic
    def save(self, request):
        return super().save(request)

    def custom_signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.role = User.Role.OFFICER
        user.save(update_fields=["full_name", "role"])
        OfficerProfile.objects.create(
            user=user,
            agency=self.cleaned_data["agency"],
            unit=self.cleaned_data["unit"],
            country=self.cleaned_data["country"],
            position=self.cleaned_data["position"],
            reason=self.cleaned_data["reason"],
        )
        record(Action.OFFICER_REGISTERED, actor=user, target=user, request=request)


class OfficerProfileForm(forms.ModelForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)

    class Meta:
        model = OfficerProfile
        fields = ["agency", "unit", "country", "position"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["full_name"].initial = user.full_name
        if self.instance.agency_change_needs_vetting():
            self.fields["agency"].help_text = _(
                "Changing your agency sends your account back to the coordinators for vetting."
            )
        self.order_fields(["full_name", "agency", "unit", "country", "position"])


class NameForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)


class VettingDecisionForm(OutcomeFieldsMixin, forms.Form):
    DECISIONS = [("approve", _("Approve")), ("reject", _("Reject"))]

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to approve or reject the application.")},
    )
    reason = forms.CharField(
        label=_("Reason (sent to the applicant when rejecting)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.CharField(widget=forms.HiddenInput)

    outcome_field = "decision"
    outcome_groups = (OutcomeGroup(("reject",), _("For a rejection"), ("reason",)),)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the applicant a reason for the rejection."))
        return cleaned


class AllowedDomainForm(forms.ModelForm):
    class Meta:
        model = AllowedDomain
        fields = ["domain", "agency", "rule"]
        help_texts = {"domain": _("For example police.example.gov — without the @.")}
        widgets = {"rule": forms.RadioSelect}

    def clean_domain(self):
        domain = self.cleaned_data["domain"].strip().lower().lstrip("@")
        if "." not in domain or " " in domain or "/" in domain:
            raise forms.ValidationError(_("Enter a domain name such as police.example.gov."))
        if AllowedDomain.objects.filter(domain=domain).exists():
            raise forms.ValidationError(_("This domain is already on the list."))
        return domain


class AllowedDomainRuleForm(forms.ModelForm):
    class Meta:
        model = AllowedDomain
        fields = ["rule"]


def _refuse_if_locked(user) -> None:
    if user is not None and user.is_locked():
        raise forms.ValidationError(lockout_message(), code="locked")


class LockAwareAuthenticateForm(AuthenticateForm):
    """The second-factor step refuses a locked account, even with a right code (AUTH-03)."""

    def clean_code(self):
        self.user.refresh_from_db(fields=["locked_until"])
        _refuse_if_locked(self.user)
        code = super().clean_code()
        # A code may have been right while the account got locked by a parallel attempt.
        self.user.refresh_from_db(fields=["locked_until"])
        _refuse_if_locked(self.user)
        return code


class LockAwareReauthenticateForm(ReauthenticateForm):
    def clean_code(self):
        self.user.refresh_from_db(fields=["locked_until"])
        _refuse_if_locked(self.user)
        return super().clean_code()


class ReauthenticatedChangePasswordForm(ChangePasswordForm):
    """Changing the password needs a re-authentication in the last 5 minutes (AUTH-08)."""

    def __init__(self, *args, **kwargs):
        request = context.request
        if request is not None and not did_recently_reauthenticate(request):
            raise ReauthenticationRequired
        super().__init__(*args, **kwargs)
        # Sentence case like every other label of the hub (allauth writes "Current Password").
        for name, label in (
            ("oldpassword", _("Current password")),
            ("password1", _("New password")),
            ("password2", _("New password (again)")),
        ):
            self.fields[name].label = label
            self.fields[name].widget.attrs.pop("placeholder", None)


class KeepPendingSecretActivateTOTPForm(ActivateTOTPForm):
    """TOTP set-up that keeps the secret already shown to the person.

    allauth makes a new secret whenever the page is loaded (any unbound form), so a second
    load of the page (another tab, a reload, a background request sent there) silently
    replaces the secret the person has just scanned and every code is then refused. The
    pending secret stays in the session until the factor is set up or the person asks for
    a new one (accounts.views.new_totp_secret, a POST).
    """

    def __init__(self, *args, **kwargs):
        pending = context.request.session.get(SECRET_SESSION_KEY)
        super().__init__(*args, **kwargs)
        if pending:
            self.secret = context.request.session[SECRET_SESSION_KEY] = pending


class CloseAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that closing my account cannot be undone."),
        required=True,
        error_messages={"required": _("Tick the box to confirm that you want to close your account.")},
    )
