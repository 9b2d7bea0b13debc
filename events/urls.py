"""Events (/events/): trainings, webinars and conferences, registration, the representation report."""

from django.urls import path

from . import report_views, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("past/", views.past_events, name="past"),
    path("time-zone/", views.time_zone, name="time_zone"),
    path("new/", views.event_new, name="new"),
    path("representation/", report_views.representation, name="representation"),
    path("representation.csv", report_views.representation_csv, name="representation_csv"),
    path("<uuid:public_id>/", views.event_detail, name="detail"),
    path("<uuid:public_id>/calendar.ics", views.event_ics, name="ics"),
    path("<uuid:public_id>/register/", views.event_register, name="register"),
    path("<uuid:public_id>/unregister/", views.event_unregister, name="unregister"),
    path("<uuid:public_id>/edit/", views.event_edit, name="edit"),
    path("<uuid:public_id>/cancel/", views.event_cancel, name="cancel"),
    path("<uuid:public_id>/participants/", views.event_participants, name="participants"),
    path("<uuid:public_id>/participants/<int:pk>/remove/", views.participant_remove, name="participant_remove"),
    path("<uuid:public_id>/registrations/", views.event_registrations, name="registrations"),
    path("<uuid:public_id>/materials/", views.event_materials, name="materials"),
    path("<uuid:public_id>/slides/", views.event_slides, name="slides"),
]
