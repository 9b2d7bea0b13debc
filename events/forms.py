"""Forms of the events pages. Only the fields listed here can be set (no mass assignment)."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from catalogue.uploads import clean_pdf
from core.forms import OwnIdsMixin
from core.time_zones import get_zone, is_valid_zone, local_to_utc, zone_choices
from providers.models import Organisation

from .models import Audience, Event, EventKind, Participant

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=LOCAL_FORMAT)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ZoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=zone_choices, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not is_valid_zone(value):
            raise ValidationError(_("Choose a time zone from the list."), code="invalid_zone")


class EventForm(forms.Form):
    """An event as the coordinators plan it; start and end are typed in the event's own time zone."""

    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=Event._meta.get_field("title").max_length)
    description = forms.CharField(
        label=_("Description"),
        max_length=Event._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    starts = forms.DateTimeField(
        label=_("Starts"), input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M"], widget=LocalDateTimeInput()
    )
    ends = forms.DateTimeField(
        label=_("Ends"), input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M"], widget=LocalDateTimeInput()
    )
    time_zone = ZoneField(
        label=_("Time zone"), help_text=_("The start and end above are in this time zone, for example Europe/Paris.")
    )
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text=_("For an online event. Only officers with a place, providers invited and coordinators see it."),
    )
    place = forms.CharField(
        label=_("Place"), required=False, max_length=300, help_text=_("For an event in person: venue and city.")
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices, widget=forms.RadioSelect)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100_000)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        zone = get_zone(event.time_zone)
        return {
            "kind": event.kind,
            "title": event.title,
            "description": event.description,
            "starts": event.starts_at.astimezone(zone).replace(tzinfo=None),
            "ends": event.ends_at.astimezone(zone).replace(tzinfo=None),
            "time_zone": event.time_zone,
            "online_url": event.online_url,
            "place": event.place,
            "languages": event.languages,
            "audience": event.audience,
            "capacity": event.capacity,
            "version": event.version,
        }

    def clean(self):
        data = super().clean()
        zone = data.get("time_zone")
        if zone:
            for field in ("starts", "ends"):
                local = data.get(field)
                if local is None:
                    continue
                utc = local_to_utc(local.replace(tzinfo=None), zone)
                if utc is None:
                    self.add_error(field, _("This time does not exist in that time zone (the clocks change then)."))
                data[f"{field}_at"] = utc
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends", _("The end must be after the start."))
        if not data.get("online_url") and not (data.get("place") or "").strip():
            raise ValidationError(_("Give an online link, a place, or both."), code="no_place")
        return data

    def event_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"].strip(),
            "description": data["description"].strip(),
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "time_zone": data["time_zone"],
            "online_url": data["online_url"],
            "place": data["place"].strip(),
            # In the hub's order, whatever order the browser sent.
            "languages": [code for code, _name in settings.LANGUAGES if code in data["languages"]],
            "audience": data["audience"],
            "capacity": data["capacity"],
        }


class ParticipantForm(OwnIdsMixin, forms.Form):
    """Someone who speaks or takes part. A provider representative is linked to their organisation."""

    ids = "participant"

    role = forms.ChoiceField(label=_("Role"), choices=Participant.Role.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("Who"), choices=Participant.Kind.choices)
    organisation = forms.ModelChoiceField(
        label=_("Provider organisation"),
        queryset=Organisation.objects.approved().order_by("name"),
        required=False,
        help_text=_("For a provider representative."),
    )
    account_email = forms.EmailField(
        label=_("Account email"),
        required=False,
        help_text=_(
            "Needed for a coordinator or an officer; optional for a provider representative "
            "(a member of that organisation)."
        ),
    )
    name = forms.CharField(
        label=_("Name"), required=False, max_length=150, help_text=_("Needed for an external person.")
    )
    affiliation = forms.CharField(label=_("Affiliation"), required=False, max_length=200)

    ACCOUNT_ROLES = {
        Participant.Kind.COORDINATOR: User.Role.COORDINATOR,
        Participant.Kind.OFFICER: User.Role.OFFICER,
        Participant.Kind.PROVIDER: User.Role.PROVIDER,
    }

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        email = (data.get("account_email") or "").strip()
        data["user"] = None
        if kind == Participant.Kind.PROVIDER and not data.get("organisation"):
            self.add_error("organisation", _("Choose the representative's organisation."))
        if kind in (Participant.Kind.COORDINATOR, Participant.Kind.OFFICER) and not email:
            self.add_error("account_email", _("Give the email address of their account."))
        if kind == Participant.Kind.EXTERNAL and not (data.get("name") or "").strip():
            self.add_error("name", _("Give the person's name."))
        if email and kind in self.ACCOUNT_ROLES:
            user = User.objects.filter(email__iexact=email, role=self.ACCOUNT_ROLES[kind], is_active=True).first()
            if user is None:
                self.add_error("account_email", _("No active account of that kind has this email address."))
            elif kind == Participant.Kind.PROVIDER and data.get("organisation"):
                if getattr(getattr(user, "membership", None), "organisation_id", None) != data["organisation"].pk:
                    self.add_error("account_email", _("This account is not a member of that organisation."))
            data["user"] = user
        return data


class MaterialsForm(forms.Form):
    recording_url = forms.URLField(label=_("Recording link"), required=False, assume_scheme="https", max_length=500)
    slides = forms.FileField(
        label=_("Slides"),
        required=False,
        help_text=_("A PDF document, at most 10 MB. If the form comes back with an error, choose the file again."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    remove_slides = forms.BooleanField(label=_("Remove the current slides"), required=False)

    def clean_slides(self):
        upload = self.cleaned_data.get("slides")
        if not upload:
            return None
        return ContentFile(clean_pdf(upload), name="slides.pdf")


class TimeZoneForm(forms.Form):
    time_zone = ZoneField(label=_("Your time zone"))


def last_twelve_months(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today - timedelta(days=365), today


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("From"), widget=DateInput())
    until = forms.DateField(label=_("To"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end of the period must not be before its start."))
        return data

    def period(self) -> tuple[date, date]:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["since"], self.cleaned_data["until"]
        return last_twelve_months()
