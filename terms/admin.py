from django.contrib import admin

from core.admin_mixins import ReadOnlyAdminMixin

from .models import TermsAcceptance, TermsDocument


@admin.register(TermsDocument)
class TermsDocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Raw view of loaded versions. Loading goes through the product's back office."""

    list_display = ["audience", "version", "title", "effective_from", "is_demo", "loaded_at"]
    list_filter = ["audience", "is_demo"]
    readonly_fields = ["audience", "version", "title", "body", "effective_from", "loaded_at", "loaded_by", "is_demo"]


@admin.register(TermsAcceptance)
class TermsAcceptanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["document", "organisation", "accepted_at", "ip_address"]
    list_filter = ["document__audience"]
    list_select_related = ["document", "organisation"]
    readonly_fields = ["document", "user", "organisation", "accepted_at", "ip_address"]
