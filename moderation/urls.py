"""Moderation: coordinators' decisions, officers' notices register, providers' right of reply."""

from django.urls import path

from . import concern_views, views

app_name = "moderation"

urlpatterns = [
    path("", views.notices, name="notices"),
    path("tools/<slug:slug>/decide/", views.decide, name="decide"),
    path("cases/<uuid:public_id>/", views.case, name="case"),
    path("mine/", views.provider_notices, name="provider_notices"),
    path("mine/<uuid:public_id>/", views.provider_notice, name="provider_notice"),
    path("mine/<uuid:public_id>/reply/", views.reply, name="reply"),
    # Concerns about tools.
    path("tools/<slug:slug>/concern/", concern_views.report_concern, name="report_concern"),
    path("concerns/", concern_views.queue, name="concerns"),
    path("concerns/mine/", concern_views.my_concerns, name="my_concerns"),
    path("concerns/<uuid:public_id>/", concern_views.detail, name="concern"),
    path("concerns/<uuid:public_id>/assess/", concern_views.assess, name="concern_assess"),
    path("concerns/<uuid:public_id>/note/", concern_views.add_note, name="concern_note"),
    path("concerns/<uuid:public_id>/decide/", concern_views.decide, name="concern_decide"),
    path("concerns/<uuid:public_id>/close/", concern_views.close, name="concern_close"),
    path("concerns/<uuid:public_id>/file/", concern_views.concern_file, name="concern_file"),
    path("mine/concerns/", concern_views.provider_concerns, name="provider_concerns"),
    path("mine/concerns/<uuid:public_id>/", concern_views.provider_concern, name="provider_concern"),
]
