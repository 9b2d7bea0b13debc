from django.urls import path

from . import inbox_views, views

app_name = "notifications"

urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/retry/", views.outbox_retry, name="outbox_retry"),
    path("", inbox_views.inbox_page, name="inbox"),
    path("read-all/", inbox_views.mark_all_read, name="mark_all_read"),
    path("settings/", inbox_views.preferences, name="preferences"),
    path("<uuid:public_id>/open/", inbox_views.open_notification, name="open"),
    path("<uuid:public_id>/read/", inbox_views.mark_read, name="mark_read"),
]
