from allauth.account.decorators import reauthentication_required
from django.contrib import admin
from django.utils.decorators import method_decorator

from core.admin_mixins import ReadOnlyAdminMixin

from .models import AllowedDomain, OfficerProfile, User
from .services import officer_details_viewed, officers_listed


class OfficerIdentityAdminMixin:
    """Admin pages that show officers' names and addresses ask for a recent password
    confirmation and are audited, like the product's own pages (AUTH-08, AU-01)."""

    def person(self, obj) -> User:
        return obj

    @method_decorator(reauthentication_required)
    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            people = [self.person(obj) for obj in changelist.result_list]
            officers_listed(people, by=request.user, request=request, page=f"admin:{self.opts.label_lower}")
        return response

    @method_decorator(reauthentication_required)
    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original")
        if original is not None:
            officer_details_viewed(
                self.person(original),
                by=request.user,
                request=request,
                shown_on={"page": f"admin:{self.opts.label_lower}"},
            )
        return response


@admin.register(User)
class UserAdmin(OfficerIdentityAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
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
class OfficerProfileAdmin(OfficerIdentityAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    def person(self, obj) -> User:
        return obj.user

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
