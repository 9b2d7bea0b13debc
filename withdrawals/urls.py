"""Withdrawing a tool (next to the provider's tool pages) and leaving the hub (next to the
organisation's page). Included at the root, before the catalogue (config/urls.py)."""

from django.urls import path

from . import views

app_name = "withdrawals"

urlpatterns = [
    path("tools/mine/<slug:slug>/withdraw/", views.withdraw_tool, name="withdraw_tool"),
    path("providers/organisation/leave/", views.leave, name="leave"),
]
