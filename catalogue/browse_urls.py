from django.urls import path

from . import browse_views, tool_views

# --- the catalogue, comparison and exposure report (search part) -------------------------
urlpatterns: list = [
    path("", browse_views.catalogue, name="catalogue"),
    path("compare/", browse_views.compare, name="compare"),
    path("compare/csv/", browse_views.compare_csv, name="compare_csv"),
    path("exposure/", browse_views.exposure_report, name="exposure_report"),
]

# --- a tool's page and its files (tool page / review part) -------------------------------
# Keep these last: "<slug>/" would otherwise catch fixed paths such as a comparison page.
urlpatterns += [
    path("files/<uuid:public_id>/", tool_views.attachment_download, name="attachment_download"),
    path("logos/<slug:slug>/", tool_views.logo, name="logo"),
    path("<slug:slug>/", tool_views.tool_detail, name="tool_detail"),
]
