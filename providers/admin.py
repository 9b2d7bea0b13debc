"""Raw data for coordinators. Every change goes through the product's audited pages."""

from django.contrib import admin

from core.admin_mixins import ReadOnlyAdminMixin

from .models import Invitation, Membership, Organisation


class MembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "is_admin", "joined_at"]
    readonly_fields = fields


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "country", "status", "created_at", "decided_at"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "contact_name", "contact_email", "website"]
    ordering = ["-created_at"]
    readonly_fields = [
        "public_id",
        "name",
        "kind",
        "country",
        "website",
        "contact_name",
        "contact_email",
        "contact_phone",
        "status",
        "created_at",
        "decided_at",
        "decision_reason",
        "version",
        "is_demo",
    ]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["organisation", "user", "is_admin", "joined_at"]
    list_filter = ["is_admin"]
    list_select_related = ["organisation", "user"]
    search_fields = ["organisation__name", "user__email"]
    readonly_fields = ["organisation", "user", "is_admin", "joined_at"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["organisation", "email", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "email"]
    # Only the token's hash is stored; it is shown read-only like everything else here.
    readonly_fields = [
        "public_id",
        "organisation",
        "email",
        "token_hash",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
