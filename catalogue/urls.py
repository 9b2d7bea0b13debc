"""Catalogue URLs, in three parts owned by their own modules (following's and discovery's URLs
are included before these, under the same /tools/ prefix: config/urls.py)."""

from django.urls import include, path

app_name = "catalogue"

urlpatterns = [
    path("mine/", include("catalogue.provider_urls")),
    path("review/", include("catalogue.review_urls")),
    path("", include("catalogue.tool_urls")),
]
