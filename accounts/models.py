"""People: users with one role each, officers' vetting records, agency domains."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def active_coordinators(self):
        """The coordinators who are told of anything that waits for them (submissions, concerns…)."""
        return self.filter(role=User.Role.COORDINATOR, is_active=True).order_by("pk")

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("role", User.Role.COORDINATOR)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in. The role decides what they may do (see core.policy)."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Law-enforcement user")
        PROVIDER = "provider", _("Technology provider member")
        COORDINATOR = "coordinator", _("Coordinator")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may open the data admin"), default=False)
    is_demo = models.BooleanField(default=False, editable=False)
    date_joined = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    failed_login_count = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    disabled_for_inactivity_at = models.DateTimeField(null=True, blank=True)
    # Closed by its owner or deleted after disuse: the row stays only as the pseudonymous
    # "role + public_id" that audit events and community content point to.
    closed_at = models.DateTimeField(null=True, blank=True)
    # IANA name (core.time_zones); times such as event start times are shown in it. Empty: UTC.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, default="")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        # Deliberately not the name or email: str(user) ends up in logs and audit labels.
        return f"{self.get_role_display()} {self.public_id}"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name

    @property
    def is_coordinator(self) -> bool:
        return self.role == self.Role.COORDINATOR

    @property
    def is_officer(self) -> bool:
        return self.role == self.Role.OFFICER

    @property
    def is_provider(self) -> bool:
        return self.role == self.Role.PROVIDER

    def is_locked(self, now=None) -> bool:
        now = now or timezone.now()
        return self.locked_until is not None and self.locked_until > now


class OfficerProfile(models.Model):
    """The vetting record of a law-enforcement user."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting vetting")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Verification expired")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="officer")
    agency = models.CharField(_("agency"), max_length=200)
    unit = models.CharField(_("unit"), max_length=200)
    country = CountryField(_("country"))
    position = models.CharField(_("position"), max_length=200)
    reason = models.TextField(_("reason for joining"), max_length=2000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    # When the current application (first or renewal) entered the queue.
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision_reason = models.TextField(blank=True)
    verified_until = models.DateTimeField(null=True, blank=True)
    renewal_requested_at = models.DateTimeField(null=True, blank=True)
    # Where the agency's domain asks for two coordinators: the first approval, valid only for
    # the application it was given on (its version token).
    first_approved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    first_approved_at = models.DateTimeField(null=True, blank=True)
    first_approval_of = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"Officer profile {self.user.public_id}"

    @property
    def email_domain(self) -> str:
        return self.user.email.rsplit("@", 1)[-1].lower()

    def version_token(self) -> str:
        """Changes whenever a decision is made or the application is resubmitted (an agency
        change); guards against two coordinators deciding, or deciding on details that changed."""
        stamp = self.decided_at.isoformat() if self.decided_at else "-"
        renewal = self.renewal_requested_at.isoformat() if self.renewal_requested_at else "-"
        return f"{self.status}:{stamp}:{renewal}:{self.submitted_at.isoformat()}"

    @property
    def first_approval(self):
        """The coordinator whose approval awaits a second one, if it was given on the
        application as it stands (a resubmission or renewal makes it void)."""
        if self.first_approved_by_id and self.first_approval_of == self.version_token():
            return self.first_approved_by
        return None

    def agency_change_needs_vetting(self) -> bool:
        """The agency is what the coordinators checked: a verified officer, or one waiting for
        a decision, who changes it is vetted (again) on the new one. A rejected or expired
        officer keeps that status: a new agency alone does not reopen a decision."""
        return self.status in (self.Status.VERIFIED, self.Status.PENDING)

    @property
    def awaiting_decision(self) -> bool:
        """In the vetting queue's terms (`accounts.selectors.awaiting_decision_q`): a pending
        application or a renewal request."""
        return self.status == self.Status.PENDING or self.renewal_requested_at is not None

    @property
    def is_revetting(self) -> bool:
        """Waiting for vetting again after a decision: only an agency change leads here."""
        return self.status == self.Status.PENDING and self.decided_at is not None

    def is_verified(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.VERIFIED and (self.verified_until is None or self.verified_until > now)

    def expires_soon(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.is_verified(now)
            and self.verified_until is not None
            and (self.verified_until - now < timedelta(days=30))
        )


class AllowedDomain(models.Model):
    """An agency email domain coordinators know; applicants from it are flagged, and the
    domain's rule may fast-track them or ask for a second coordinator's approval."""

    class Rule(models.TextChoices):
        MARK = "mark", _("Marked in the queue")
        FAST_TRACK = "fast_track", _("Fast-tracked to the top of the queue")
        SECOND_APPROVAL = "second_approval", _("Approval by two coordinators")

    domain = models.CharField(_("domain"), max_length=253, unique=True)
    agency = models.CharField(_("agency"), max_length=200, blank=True)
    rule = models.CharField(
        _("rule"),
        max_length=20,
        choices=Rule.choices,
        default=Rule.MARK,
        help_text=_("What happens to applicants whose official email address is on this domain."),
    )
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)


def display_name(user) -> str:
    """How allauth greets a user on their own pages (never used in logs)."""
    return user.full_name or user.email
