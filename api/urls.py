"""The read-only API (/api/v1/) and the page where users manage their API tokens."""

from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<uuid:public_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("openapi.json", views.openapi_schema, name="openapi"),
    path("criteria", views.criteria, name="criteria"),
    path("tools", views.tools, name="tools"),
    path("tools/<str:slug>", views.tool_detail, name="tool"),
    path("notices", views.notices, name="notices"),
    # Anything else under /api/v1/ answers a JSON 404, not the HTML error page.
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
