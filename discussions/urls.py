"""Discussions, field reports and agency use, under /discussions/ (officers and coordinators)."""

from django.urls import path

from . import views

app_name = "discussions"

urlpatterns = [
    path("", views.index, name="index"),
    path("reports/", views.reports, name="reports"),
    path("reports/<uuid:public_id>/dismiss/", views.report_dismiss, name="report_dismiss"),
    path("agency-use/", views.agency_use_counts, name="agency_use_counts"),
    path("spaces/new/", views.space_create, name="space_create"),
    path("spaces/<slug:slug>/", views.space, name="space"),
    path("spaces/<slug:slug>/edit/", views.space_edit, name="space_edit"),
    path("s/<uuid:public_id>/new/", views.new_thread, name="new_thread"),
    path("s/<uuid:public_id>/subscription/", views.space_subscription, name="space_subscription"),
    path("threads/<uuid:public_id>/", views.thread, name="thread"),
    path("threads/<uuid:public_id>/reply/", views.reply, name="reply"),
    path("threads/<uuid:public_id>/subscription/", views.thread_subscription, name="thread_subscription"),
    path("threads/<uuid:public_id>/moderate/", views.thread_moderate, name="thread_moderate"),
    path("posts/<uuid:public_id>/edit/", views.post_edit, name="post_edit"),
    path("posts/<uuid:public_id>/report/", views.post_report, name="post_report"),
    path("posts/<uuid:public_id>/moderate/", views.post_moderate, name="post_moderate"),
    path("tools/<slug:slug>/", views.tool_space, name="tool_space"),
    path("tools/<slug:slug>/field-reports/", views.field_reports, name="field_reports"),
    path("tools/<slug:slug>/field-reports/new/", views.field_report_new, name="field_report_new"),
    path("tools/<slug:slug>/agency-use/", views.agency_use, name="agency_use"),
    path("field-reports/<uuid:public_id>/edit/", views.field_report_edit, name="field_report_edit"),
    path("field-reports/<uuid:public_id>/withdraw/", views.field_report_withdraw, name="field_report_withdraw"),
    path("field-reports/<uuid:public_id>/contact/", views.field_report_contact, name="field_report_contact"),
]
