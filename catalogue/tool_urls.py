from django.urls import path

from . import tool_views

# --- a tool's page and its files (tool page / review part) -------------------------------
# Keep these last: "<slug>/" would otherwise catch fixed paths such as a comparison page.
urlpatterns = [
    path("files/<uuid:public_id>/", tool_views.attachment_download, name="attachment_download"),
    path("logos/<slug:slug>/", tool_views.logo, name="logo"),
    path("<slug:slug>/", tool_views.tool_detail, name="tool_detail"),
]
