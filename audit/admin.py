"""The raw audit data in the admin: read-only, like everywhere else (SECURITY.md AU-02)."""

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "outcome", "actor_label", "target_type", "target_id", "ip_address"]
    list_filter = ["action", "outcome", "target_type", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["target_id", "actor_label", "target_label"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)
