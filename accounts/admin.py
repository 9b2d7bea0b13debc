from django.contrib import admin

from core.admin_mixins import ReadOnlyAdminMixin

from .models import AllowedDomain, OfficerProfile, User


@admin.register(User)
class UserAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Raw account data. Roles and vetting change through the product's pages, which audit them."""

    list_display = ["email", "full_name", "role", "is_active", "locked_until", "date_joined"]
    list_filter = ["role", "is_active", "is_demo"]
    search_fields = ["email", "full_name"]
    readonly_fields = [
        "public_id",
        "email",
        "role",
        "password",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
        "last_seen_at",
        "failed_login_count",
        "locked_until",
        "disabled_for_inactivity_at",
        "is_active",
        "groups",
        "user_permissions",
    ]
    exclude = ["password"]


@admin.register(OfficerProfile)
class OfficerProfileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "country", "status", "submitted_at", "verified_until"]
    list_filter = ["status", "country"]
    list_select_related = ["user"]
    readonly_fields = [
        "user",
        "status",
        "decided_at",
        "decided_by",
        "decision_reason",
        "verified_until",
        "renewal_requested_at",
    ]


@admin.register(AllowedDomain)
class AllowedDomainAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["domain", "agency", "added_at"]
    readonly_fields = ["added_by", "added_at"]
