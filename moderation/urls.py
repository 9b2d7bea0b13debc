"""Moderation: coordinators' decisions, officers' notices register, providers' right of reply."""

from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.notices, name="notices"),
    path("tools/<slug:slug>/decide/", views.decide, name="decide"),
    path("cases/<uuid:public_id>/", views.case, name="case"),
    path("mine/", views.provider_notices, name="provider_notices"),
    path("mine/<uuid:public_id>/", views.provider_notice, name="provider_notice"),
    path("mine/<uuid:public_id>/reply/", views.reply, name="reply"),
]
