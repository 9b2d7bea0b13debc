"""Raw data for coordinators. Every change goes through the product's audited pages."""

from django.contrib import admin

from core.admin_mixins import ReadOnlyAdminMixin

from .models import CaseMessage, Notice


class CaseMessageInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CaseMessage
    extra = 0
    fields = ["role", "author", "text", "created_at"]
    readonly_fields = fields


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["tool", "action", "reason_code", "decided_at"]
    list_filter = ["action", "reason_code"]
    search_fields = ["tool__name", "tool__slug", "summary"]
    ordering = ["-decided_at"]
    readonly_fields = [
        "public_id",
        "tool",
        "action",
        "reason_code",
        "summary",
        "officer_guidance",
        "provider_guidance",
        "decided_by",
        "decided_at",
    ]
    inlines = [CaseMessageInline]
