"""The append-only audit log (SECURITY.md AU-01..03)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised by any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")


class ActionField(models.CharField):
    """A CharField whose choices stay out of migrations.

    Apps append members to `Action` as they grow; the database column does not change,
    so those additions need no audit migration (and parallel work does not conflict).
    """

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        return name, path, args, kwargs


class Action(models.TextChoices):
    LOGIN = "auth.login", _("Signed in")
    LOGIN_FAILED = "auth.login_failed", _("Failed sign-in")
    MFA_FAILED = "auth.mfa_failed", _("Failed second-factor code")
    LOGOUT = "auth.logout", _("Signed out")
    ACCOUNT_LOCKED = "auth.locked", _("Account locked")
    ACCOUNT_UNLOCKED = "auth.unlocked", _("Account unlocked")
    PASSWORD_CHANGED = "auth.password_changed", _("Password changed")
    PASSWORD_RESET = "auth.password_reset", _("Password reset")
    EMAIL_CHANGED = "auth.email_changed", _("Email address changed")
    EMAIL_CONFIRMED = "auth.email_confirmed", _("Email address confirmed")
    MFA_ADDED = "auth.mfa_added", _("Second factor added")
    MFA_REMOVED = "auth.mfa_removed", _("Second factor removed")
    MFA_RECOVERY_RESET = "auth.mfa_recovery_reset", _("Recovery codes regenerated")
    MFA_SETUP_SECRET_RENEWED = "auth.mfa_setup_secret_renewed", _("New set-up key offered for an authenticator app")
    SESSIONS_ENDED = "auth.sessions_ended", _("Sessions ended")
    ACCOUNT_DISABLED = "account.disabled", _("Account disabled")
    ACCOUNT_ENABLED = "account.enabled", _("Account re-enabled")
    OFFICER_REGISTERED = "vetting.registered", _("Officer registered")
    OFFICER_APPROVED = "vetting.approved", _("Officer approved")
    OFFICER_FIRST_APPROVAL = "vetting.first_approval", _("Officer approved by a first coordinator")
    OFFICER_REJECTED = "vetting.rejected", _("Officer rejected")
    OFFICER_EXPIRED = "vetting.expired", _("Officer verification expired")
    OFFICER_RENEWAL_REQUESTED = "vetting.renewal_requested", _("Officer asked to renew")
    OFFICER_DETAILS_VIEWED = "vetting.details_viewed", _("Officer details viewed")
    OFFICER_PROFILE_CHANGED = "vetting.profile_changed", _("Officer changed their agency, unit, country or position")
    OFFICER_SENT_BACK_TO_VETTING = "vetting.sent_back", _("Officer sent back to vetting after changing agency")
    NAME_CHANGED = "account.name_changed", _("Full name changed")
    DOMAIN_ADDED = "vetting.domain_added", _("Agency domain added")
    DOMAIN_REMOVED = "vetting.domain_removed", _("Agency domain removed")
    DOMAIN_RULE_CHANGED = "vetting.domain_rule_changed", _("Agency domain rule changed")
    ORG_REGISTERED = "org.registered", _("Organisation registered")
    ORG_APPROVED = "org.approved", _("Organisation approved")
    ORG_REJECTED = "org.rejected", _("Organisation rejected")
    ORG_UPDATED = "org.updated", _("Organisation profile updated")
    MEMBER_INVITED = "org.member_invited", _("Member invited")
    MEMBER_JOINED = "org.member_joined", _("Member joined")
    MEMBER_REMOVED = "org.member_removed", _("Member removed")
    INVITATION_REVOKED = "org.invitation_revoked", _("Invitation revoked")
    TERMS_LOADED = "terms.loaded", _("Terms version loaded")
    TERMS_ACCEPTED = "terms.accepted", _("Terms accepted")
    TERMS_ACCEPTANCES_EXPORTED = "terms.acceptances_exported", _("Who accepted a terms version exported")
    PERSONAL_DATA_DOWNLOADED = "account.data_downloaded", _("User downloaded their personal data")
    ACCOUNT_CLOSED = "account.closed", _("User closed their account")
    ACCOUNT_DELETED_FOR_DISUSE = "account.deleted_for_disuse", _("Account disabled for disuse deleted")
    AUDIT_VIEWED = "audit.viewed", _("Audit log viewed")
    AUDIT_EXPORTED = "audit.exported", _("Audit log exported")
    OUTBOX_RETRIED = "outbox.retried", _("Undelivered email queued again")
    QUESTIONNAIRE_DRAFTED = "questionnaire.drafted", _("Questionnaire draft version created")
    QUESTIONNAIRE_EDITED = "questionnaire.edited", _("Questionnaire draft version edited")
    QUESTIONNAIRE_PUBLISHED = "questionnaire.published", _("Questionnaire version published")
    QUESTIONNAIRE_LOADED = "questionnaire.loaded", _("Questionnaire version loaded from a file")
    TOOL_CREATED = "tool.created", _("Tool created")
    TOOL_UPDATED = "tool.updated", _("Tool description updated")
    TOOL_ANSWERS_SAVED = "tool.answers_saved", _("Tool questionnaire answers saved")
    TOOL_ATTACHMENT_ADDED = "tool.attachment_added", _("Tool attachment added")
    TOOL_ATTACHMENT_REMOVED = "tool.attachment_removed", _("Tool attachment removed")
    TOOL_SUBMITTED = "tool.submitted", _("Tool submitted for review")
    TOOL_PUBLISHED = "tool.published", _("Tool published")
    TOOL_CHANGES_REQUESTED = "tool.changes_requested", _("Changes to a tool requested")
    TOOL_REJECTED = "tool.rejected", _("Tool rejected")
    API_TOKEN_CREATED = "api.token_created", _("API token created")
    API_TOKEN_REVOKED = "api.token_revoked", _("API token revoked")
    TOOL_SUSPENDED = "tool.suspended", _("Tool suspended")
    TOOL_REMOVED = "tool.removed", _("Tool removed")
    TOOL_REINSTATED = "tool.reinstated", _("Tool reinstated")
    TOOL_UPDATE_STARTED = "tool.update_started", _("Update of a published tool started")
    TOOL_UPDATE_APPLIED = "tool.update_applied", _("Update of a published tool approved")
    TOOL_UPDATE_CLOSED = "tool.update_closed", _("Update request closed: the tool left the catalogue")
    TOOL_CONFIRMED = "tool.confirmed", _("Provider confirmed a published entry is accurate")
    TOOL_CONFIRMATION_REMINDED = "tool.confirmation_reminded", _("Provider reminded to confirm an entry")
    NOTICE_REPLIED = "moderation.replied", _("Provider replied to a moderation notice")
    NOTICE_ANSWERED = "moderation.answered", _("Coordinator answered a provider's reply")
    NOTIFICATION_SETTINGS_CHANGED = "notifications.settings_changed", _("Notification settings changed")
    EMBLEM_NOTIFIED = "emblem.notified", _("Use of the name or emblem notified")
    EMBLEM_ACKNOWLEDGED = "emblem.acknowledged", _("Use of the name or emblem acknowledged")
    EMBLEM_OBJECTED = "emblem.objected", _("Use of the name or emblem objected to")
    EMBLEM_COMMENTED = "emblem.commented", _("Comment on a name or emblem notification")
    TOOL_FOLLOWED = "following.followed", _("Officer followed a tool")
    TOOL_UNFOLLOWED = "following.unfollowed", _("Officer stopped following a tool")
    SEARCH_SAVED = "following.search_saved", _("Officer saved a catalogue search")
    SEARCH_DELETED = "following.search_deleted", _("Officer deleted a saved catalogue search")
    CONCERN_REPORTED = "concern.reported", _("Concern about a tool reported")
    CONCERN_ASSESSING = "concern.assessing", _("Assessment of a concern started")
    CONCERN_NOTE_ADDED = "concern.note_added", _("Note added to a concern")
    CONCERN_DECIDED = "concern.decided", _("Concern decided")
    CONCERN_CLOSED = "concern.closed", _("Concern closed")
    CONCERN_PROVIDER_RESPONDED = "concern.provider_responded", _("Provider responded to a concern")
    COMMUNITY_LISTING_CHANGED = "community.listing_changed", _("Officer changed their directory listing")
    CONTACT_REQUESTED = "community.contact_requested", _("Officer asked another officer to connect")
    CONTACT_ACCEPTED = "community.contact_accepted", _("Officer accepted a contact request")
    CONTACT_DECLINED = "community.contact_declined", _("Officer declined a contact request")
    COMMUNITY_MESSAGE_SENT = "community.message_sent", _("Officer sent a private message")
    COMMUNITY_EMAIL_SHARED = "community.email_shared", _("Officer shared their email address with a contact")
    COMMUNITY_EMAIL_UNSHARED = "community.email_unshared", _("Officer stopped sharing their email address")
    COMMUNITY_BLOCKED = "community.blocked", _("Officer blocked another officer")
    COMMUNITY_UNBLOCKED = "community.unblocked", _("Officer unblocked another officer")
    COMMUNITY_MESSAGE_REPORTED = "community.message_reported", _("Private message reported to the coordinators")
    COMMUNITY_REPORT_DISMISSED = "community.report_dismissed", _("Report of a private message dismissed")
    COMMUNITY_SENDER_WARNED = "community.sender_warned", _("Officer warned about a private message")
    COMMUNITY_SENDER_SUSPENDED = "community.sender_suspended", _("Officer's access to the community suspended")
    TIME_ZONE_CHANGED = "account.time_zone_changed", _("Time zone changed")
    EVENT_CREATED = "event.created", _("Event created")
    EVENT_UPDATED = "event.updated", _("Event changed")
    EVENT_CANCELLED = "event.cancelled", _("Event cancelled")
    EVENT_PARTICIPANT_ADDED = "event.participant_added", _("Speaker or participant added to an event")
    EVENT_PARTICIPANT_REMOVED = "event.participant_removed", _("Speaker or participant removed from an event")
    EVENT_MATERIALS_SAVED = "event.materials_saved", _("Event materials saved")
    EVENT_REGISTERED = "event.registered", _("Officer registered for an event")
    EVENT_WAITLISTED = "event.waitlisted", _("Officer put on an event's waiting list")
    EVENT_REGISTRATION_CANCELLED = "event.registration_cancelled", _("Officer cancelled an event registration")
    EVENT_PROMOTED = "event.promoted", _("Officer moved from the waiting list to a place")
    EVENT_REMINDED = "event.reminded", _("Registrant reminded of an event")
    # Discussions, field reports and agency use (discussions app, issue 11).
    SPACE_CREATED = "discussions.space_created", _("Discussion space created")
    SPACE_EDITED = "discussions.space_edited", _("Discussion space edited")
    SPACE_LOCKED = "discussions.space_locked", _("Discussion space locked")
    SPACE_UNLOCKED = "discussions.space_unlocked", _("Discussion space unlocked")
    THREAD_STARTED = "discussions.thread_started", _("Discussion thread started")
    THREAD_LOCKED = "discussions.thread_locked", _("Discussion thread locked")
    THREAD_UNLOCKED = "discussions.thread_unlocked", _("Discussion thread unlocked")
    THREAD_MOVED = "discussions.thread_moved", _("Discussion thread moved")
    POST_WRITTEN = "discussions.post_written", _("Discussion post written")
    POST_EDITED = "discussions.post_edited", _("Discussion post edited by its author")
    POST_REPORTED = "discussions.post_reported", _("Discussion post reported")
    POST_REPORT_DISMISSED = "discussions.report_dismissed", _("Report of a discussion post dismissed")
    POST_HIDDEN = "discussions.post_hidden", _("Discussion post hidden")
    POST_RESTORED = "discussions.post_restored", _("Discussion post restored")
    POST_MOVED = "discussions.post_moved", _("Discussion post moved")
    DISCUSSION_SUBSCRIBED = "discussions.subscribed", _("Subscribed to a discussion")
    DISCUSSION_UNSUBSCRIBED = "discussions.unsubscribed", _("Unsubscribed from a discussion")
    FIELD_REPORT_WRITTEN = "field_report.written", _("Field report written")
    FIELD_REPORT_EDITED = "field_report.edited", _("Field report edited")
    FIELD_REPORT_WITHDRAWN = "field_report.withdrawn", _("Field report withdrawn")
    AGENCY_USE_DECLARED = "agency_use.declared", _("Officer declared their agency uses a tool")
    AGENCY_USE_WITHDRAWN = "agency_use.withdrawn", _("Officer withdrew their agency-use declaration")
    LEARNING_ITEM_CREATED = "learning.item_created", _("Learning item created")
    LEARNING_ITEM_CHANGED = "learning.item_changed", _("Learning item details changed")
    LEARNING_TEXT_SAVED = "learning.text_saved", _("Learning text saved as a draft")
    LEARNING_TEXT_SUBMITTED = "learning.text_submitted", _("Learning text submitted for review")
    LEARNING_TEXT_PUBLISHED = "learning.text_published", _("Learning text published")
    LEARNING_TEXT_RETURNED = "learning.text_returned", _("Learning text returned with a comment")
    LEARNING_ITEM_REVIEWED = "learning.item_reviewed", _("Learning item marked as reviewed")
    LEARNING_REVIEW_REMINDED = "learning.review_reminded", _("Coordinators reminded to review a learning item")
    LEARNING_IMAGE_UPLOADED = "learning.image_uploaded", _("Image uploaded for a learning item")
    LEARNING_CONTRIBUTOR_GRANTED = "learning.contributor_granted", _("Officer made a learning contributor")
    LEARNING_CONTRIBUTOR_REVOKED = "learning.contributor_revoked", _("Learning contributor role withdrawn")
    LEARNING_TOPIC_SAVED = "learning.topic_saved", _("Learning topic saved")
    LEARNING_LESSON_DONE = "learning.lesson_done", _("Officer marked a lesson done")
    LEARNING_CHECK_TAKEN = "learning.check_taken", _("Officer took a module check")
    # Providers withdrawing consent (withdrawals app, issue 14).
    TOOL_WITHDRAWN = "tool.withdrawn", _("Tool withdrawn from the catalogue by its provider")
    ORG_LEFT = "org.left", _("Organisation left the hub")
    ORG_PSEUDONYMISED = "org.pseudonymised", _("Departed organisation pseudonymised after its retention period")
    # Decision packs (packs app, issue 14).
    PACK_DOWNLOADED = "pack.downloaded", _("Decision pack downloaded")
    # Backups (backups app): made from the live database, restored into the replaced one.
    BACKUP_MADE = "backup.made", _("Backup of the database and uploaded files made")
    BACKUP_RESTORED = "backup.restored", _("Database and uploaded files restored from a backup")
    # The contact point: anyone signed in writes to the coordinators (contact app, issue 14).
    CONTACT_POINT_WRITTEN = "contact_point.written", _("Message to the coordinators written")
    CONTACT_POINT_REPLIED = "contact_point.replied", _("Author wrote again to the coordinators")
    CONTACT_POINT_ANSWERED = "contact_point.answered", _("Coordinator answered a message to the coordinators")
    CONTACT_POINT_ASSIGNED = "contact_point.assigned", _("Message to the coordinators assigned")
    CONTACT_POINT_CLOSED = "contact_point.closed", _("Conversation with the coordinators closed")
    # Officers asking providers (enquiries app, issue 14): ids and field names, never the texts.
    ENQUIRY_SENT = "enquiry.sent", _("Officer asked a provider for a demonstration, a trial or contact")
    ENQUIRY_MESSAGE_SENT = "enquiry.message_sent", _("Message written in an exchange between an officer and a provider")
    ENQUIRY_ABUSE_REPORTED = "enquiry.abuse_reported", _("Exchange between an officer and a provider reported")
    ENQUIRY_OPENED = "enquiry.opened", _("Coordinator opened a reported exchange between an officer and a provider")
    ENQUIRY_REPORT_DISMISSED = "enquiry.report_dismissed", _("Report of an exchange with a provider dismissed")
    ENQUIRY_CLOSED = "enquiry.closed", _("Exchange between an officer and a provider closed by the coordinators")
    # Search (discovery app, issue 12): the multilingual thesaurus and providers' translations.
    THESAURUS_CONCEPT_ADDED = "thesaurus.concept_added", _("Search thesaurus concept added")
    THESAURUS_CONCEPT_CHANGED = "thesaurus.concept_changed", _("Search thesaurus concept changed")
    THESAURUS_CONCEPT_DELETED = "thesaurus.concept_deleted", _("Search thesaurus concept deleted")
    TOOL_TRANSLATIONS_SAVED = "tool.translations_saved", _("Translations of a tool's free-text answers saved")


class AuditEvent(models.Model):
    """One thing that happened: who did what to which object, with before/after."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")

    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=True,
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = ActionField(max_length=50, choices=Action.choices, db_index=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    target_type = models.CharField(max_length=100, blank=True, db_index=True)
    target_id = models.CharField(max_length=100, blank=True, db_index=True)
    target_label = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
