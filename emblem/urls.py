"""Name-and-emblem notifications (/emblem/)."""

from django.urls import path

from . import views

app_name = "emblem"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("new/", views.notification_new, name="new"),
    path("<uuid:public_id>/", views.notification_detail, name="detail"),
    path("<uuid:public_id>/decide/", views.notification_decide, name="decide"),
    path("<uuid:public_id>/comment/", views.notification_comment, name="comment"),
    path("<uuid:public_id>/sample/", views.notification_sample, name="sample"),
]
