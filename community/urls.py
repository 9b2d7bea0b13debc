"""Meet other officers, under /community/."""

from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/", views.my_listing, name="my_listing"),
    path("officers/<uuid:public_id>/", views.officer, name="officer"),
    path("officers/<uuid:public_id>/connect/", views.connect, name="connect"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/<uuid:public_id>/", views.conversation, name="conversation"),
    path("contacts/<uuid:public_id>/respond/", views.respond, name="respond"),
    path("contacts/<uuid:public_id>/email/", views.share_email, name="share_email"),
    path("contacts/<uuid:public_id>/block/", views.block, name="block"),
    path("blocked/", views.blocks, name="blocks"),
    path("blocked/<uuid:public_id>/unblock/", views.unblock, name="unblock"),
    path("messages/<uuid:public_id>/report/", views.report, name="report"),
    path("reports/", views.reports, name="reports"),
    path("reports/<uuid:public_id>/", views.report_detail, name="report_detail"),
]
