"""Catalogue URLs, in three parts owned by their own modules."""

from django.urls import include, path

from . import following_urls

app_name = "catalogue"

urlpatterns = [
    path("mine/", include("catalogue.provider_urls")),
    path("review/", include("catalogue.review_urls")),
    path("", include("catalogue.following_urls")),
    path("", include("catalogue.browse_urls")),
    path("", include(following_urls.tool_patterns)),
]
