"""Versioned terms documents per audience, and who accepted which version."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    PROVIDERS = "providers", _("Technology providers")
    LAW_ENFORCEMENT = "law-enforcement", _("Law-enforcement users")
    DATA_PROTECTION = "data-protection", _("Data protection policy")


class TermsDocumentQuerySet(models.QuerySet):
    def in_force(self, now=None):
        return self.filter(effective_from__lte=(now or timezone.now()).date())

    def current(self, audience: str, now=None):
        """The version in force for an audience: the latest effective one."""
        return self.in_force(now).filter(audience=audience).order_by("-effective_from", "-loaded_at").first()


class TermsDocument(models.Model):
    """One version of a terms document, loaded by coordinators as content."""

    audience = models.CharField(_("audience"), max_length=30, choices=Audience.choices)
    version = models.CharField(_("version"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    # What changed since the previous version of the audience, in the coordinators' words.
    summary = models.TextField(_("summary of changes"), blank=True)
    effective_from = models.DateField(_("effective from"))
    loaded_at = models.DateTimeField(default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False)

    objects = TermsDocumentQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audience", "version"], name="unique_terms_version")]
        ordering = ["audience", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.get_audience_display()} v{self.version}"


class TermsAcceptance(models.Model):
    """A user (for providers: on behalf of their organisation) accepted a version."""

    document = models.ForeignKey(TermsDocument, on_delete=models.PROTECT, related_name="acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "providers.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="terms_acceptances",
    )
    accepted_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "user"], name="unique_acceptance_per_user")]

    def __str__(self) -> str:
        return f"{self.document} accepted {self.accepted_at:%Y-%m-%d}"
