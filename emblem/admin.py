"""Raw data for coordinators. Every change goes through the product's audited pages."""

from django.contrib import admin

from core.admin_mixins import ReadOnlyAdminMixin

from .models import EmblemEntry, EmblemNotification


class EmblemEntryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = EmblemEntry
    extra = 0
    fields = ["kind", "author", "comment", "created_at"]
    readonly_fields = fields


@admin.register(EmblemNotification)
class EmblemNotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["public_id", "organisation", "medium", "period_start", "period_end", "state", "created_at"]
    list_filter = ["state", "medium"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "intended_use", "audience"]
    ordering = ["-created_at"]
    # The sample is left out on purpose: it is served only through the permission-checked view.
    readonly_fields = [
        "public_id",
        "organisation",
        "created_by",
        "previous",
        "intended_use",
        "medium",
        "audience",
        "period_start",
        "period_end",
        "sample_type",
        "sample_size",
        "state",
        "created_at",
        "decided_at",
        "version",
    ]
    fields = readonly_fields
    inlines = [EmblemEntryInline]
