"""Officers following tools and keeping catalogue searches (catalogue namespace).

`urlpatterns` (fixed paths) are included before the catalogue's "<slug>/" pages: "followed" and
"search" must stay reserved tool slugs (catalogue.services.RESERVED_SLUGS). `tool_patterns` are
included after the catalogue's own pages, so that "logos/<slug>/" of a tool whose slug is
"follow" still reaches its logo."""

from django.urls import path

from . import following_views as views

urlpatterns = [
    path("followed/", views.followed, name="followed"),
    path("search/saved/", views.saved_searches, name="saved_searches"),
    path("search/saved/new/", views.save_search, name="save_search"),
    path("search/saved/<uuid:public_id>/delete/", views.delete_saved_search, name="delete_saved_search"),
]

tool_patterns = [
    path("<slug:slug>/follow/", views.follow, name="follow"),
    path("<slug:slug>/unfollow/", views.unfollow, name="unfollow"),
]
