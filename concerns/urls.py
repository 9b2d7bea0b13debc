"""Concerns about tools, under /moderation/ as before they had an app of their own (links in
emails already sent keep working)."""

from django.urls import path

from . import views

app_name = "concerns"

urlpatterns = [
    path("tools/<slug:slug>/concern/", views.report_concern, name="report"),
    path("concerns/", views.queue, name="queue"),
    path("concerns/mine/", views.my_concerns, name="mine"),
    path("concerns/<uuid:public_id>/", views.detail, name="detail"),
    path("concerns/<uuid:public_id>/assess/", views.assess, name="assess"),
    path("concerns/<uuid:public_id>/note/", views.add_note, name="note"),
    path("concerns/<uuid:public_id>/decide/", views.decide, name="decide"),
    path("concerns/<uuid:public_id>/close/", views.close, name="close"),
    path("concerns/<uuid:public_id>/file/", views.concern_file, name="file"),
    path("mine/concerns/", views.provider_concerns, name="provider_list"),
    path("mine/concerns/<uuid:public_id>/", views.provider_concern, name="provider_detail"),
]
