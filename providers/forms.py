"""Forms about provider organisations. Fields are explicit: status, role and membership are never user-settable."""

from allauth.account.forms import SignupForm
from django import forms
from django.contrib.auth import password_validation
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from accounts.models import User
from accounts.signup_timing import EvenTimingSignupMixin

from . import services
from .models import Organisation


def _country_field():
    return LazyTypedChoiceField(label=_("Country"), choices=[("", "—"), *countries])


class ProviderSignupForm(EvenTimingSignupMixin, SignupForm):
    """Registration of a technology-provider organisation with its first member (its admin)."""

    organisation_name = forms.CharField(label=_("Organisation name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=[("", "—"), *Organisation.Kind.choices])
    country = _country_field()
    website = forms.URLField(label=_("Website"), max_length=300, assume_scheme="https")
    contact_name = forms.CharField(label=_("Contact person"), max_length=150)
    contact_email = forms.EmailField(label=_("Contact email"))
    contact_phone = forms.CharField(label=_("Contact phone (optional)"), max_length=40, required=False)
    full_name = forms.CharField(label=_("Your full name"), max_length=150)

    field_order = [
        "organisation_name",
        "kind",
        "country",
        "website",
        "contact_name",
        "contact_email",
        "contact_phone",
        "full_name",
        "email",
        "password1",
        "password2",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Your email address")
        self.fields["email"].help_text = _("You sign in with it; we will send a confirmation link.")
        self.fields["contact_email"].help_text = _("Where the coordinators can reach the organisation.")

    ORGANISATION_FIELDS = field_order[:7]

    def organisation_fields(self):
        return [self[name] for name in self.ORGANISATION_FIELDS]

    def person_fields(self):
        return [field for field in self.visible_fields() if field.name not in self.ORGANISATION_FIELDS]

    @transaction.atomic
    def save(self, request):
        return super().save(request)

    def custom_signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.role = User.Role.PROVIDER
        user.save(update_fields=["full_name", "role"])
        data = {
            "name": self.cleaned_data["organisation_name"],
            "kind": self.cleaned_data["kind"],
            "country": self.cleaned_data["country"],
            "website": self.cleaned_data["website"],
            "contact_name": self.cleaned_data["contact_name"],
            "contact_email": self.cleaned_data["contact_email"],
            "contact_phone": self.cleaned_data["contact_phone"],
        }
        services.register_organisation(user, data=data, request=request)


class OrganisationProfileForm(forms.ModelForm):
    """An organisation admin edits the profile; name and kind freeze once approved."""

    website = forms.URLField(label=_("Website"), max_length=300, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = services.PROFILE_FIELDS
        labels = {"contact_phone": _("Contact phone (optional)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editable = set(services.editable_fields(self.instance))
        for name, field in self.fields.items():
            if name not in editable:
                field.disabled = True
                field.help_text = _("Fixed once the organisation is approved. Ask the coordinators to change it.")


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the person to invite"), max_length=254)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.organisation.memberships.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(_("This person is already a member of your organisation."))
        pending = self.organisation.invitations.filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        )
        if any(not invitation.is_expired() for invitation in pending):
            raise forms.ValidationError(
                _("This address already has a pending invitation. Revoke it first to send a new one.")
            )
        return email


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def clean(self):
        cleaned = super().clean()
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""), role=User.Role.PROVIDER)
            try:
                password_validation.validate_password(password1, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("You must type the same password each time."))
        return cleaned


class ReviewDecisionForm(forms.Form):
    DECISIONS = [("approve", _("Approve")), ("reject", _("Reject"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (sent to the organisation when rejecting)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the organisation a reason for the rejection."))
        return cleaned


class ReviewFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Organisation.Status.choices], required=False
    )
