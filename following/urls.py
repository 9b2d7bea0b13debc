"""Officers following tools and keeping catalogue searches, under /tools/ (following namespace).

Included before the catalogue's URLs (config/urls.py): the fixed paths must win over the
catalogue's "<slug>/" page ("followed" and "search" are reserved tool slugs,
catalogue.services.RESERVED_SLUGS). The tool paths take only a slug a tool can have, so that
the catalogue's own "logos/<slug>/" of a tool whose slug is "follow" still reaches its logo."""

from django.urls import path, register_converter
from django.urls.converters import SlugConverter

from catalogue.services import RESERVED_SLUGS

from . import views


class ToolSlugConverter(SlugConverter):
    """A slug that is not a reserved first path segment of the catalogue (no tool has one)."""

    def to_python(self, value):
        if value in RESERVED_SLUGS:
            raise ValueError(value)  # not a match: the resolver tries the catalogue's paths
        return value


register_converter(ToolSlugConverter, "tool_slug")

app_name = "following"

urlpatterns = [
    path("followed/", views.followed, name="followed"),
    path("search/saved/", views.saved_searches, name="saved_searches"),
    path("search/saved/new/", views.save_search, name="save_search"),
    path("search/saved/<uuid:public_id>/delete/", views.delete_saved_search, name="delete_saved_search"),
    path("<tool_slug:slug>/follow/", views.follow, name="follow"),
    path("<tool_slug:slug>/unfollow/", views.unfollow, name="unfollow"),
]
