"""Providers' pages under /tools/mine/ (catalogue namespace)."""

from django.urls import path

from . import provider_views as views

urlpatterns = [
    path("", views.my_tools, name="my_tools"),
    path("new/", views.tool_create, name="provider_tool_create"),
    path("<slug:slug>/", views.provider_tool, name="provider_tool"),
    path("<slug:slug>/edit/", views.tool_edit, name="provider_tool_edit"),
    path("<slug:slug>/questionnaires/<slug:questionnaire>/", views.answers, name="provider_answers"),
    path(
        "<slug:slug>/questionnaires/<slug:questionnaire>/<slug:section>/",
        views.answers_section,
        name="provider_answers_section",
    ),
    path("<slug:slug>/attachments/", views.attachment_upload, name="provider_attachment_upload"),
    path(
        "<slug:slug>/attachments/<uuid:public_id>/delete/",
        views.attachment_delete,
        name="provider_attachment_delete",
    ),
    path("<slug:slug>/preview/", views.preview, name="preview"),
    path("<slug:slug>/submit/", views.submit, name="provider_submit"),
    path("<slug:slug>/update/", views.start_update, name="provider_start_update"),
    path("<slug:slug>/confirm/", views.confirm_accuracy, name="provider_confirm"),
]
