"""Requests to providers, under /enquiries/."""

from django.urls import path

from . import views

app_name = "enquiries"

urlpatterns = [
    path("tools/<slug:slug>/ask/", views.ask, name="ask"),
    path("mine/", views.mine, name="mine"),
    path("mine/<uuid:public_id>/", views.officer_detail, name="officer_detail"),
    path("received/", views.received, name="received"),
    path("received/<uuid:public_id>/", views.provider_detail, name="provider_detail"),
    path("<uuid:public_id>/report/", views.report, name="report"),
    path("counts/", views.counts, name="counts"),
    path("reports/", views.reports, name="reports"),
    path("reports/<uuid:public_id>/", views.report_detail, name="report_detail"),
]
