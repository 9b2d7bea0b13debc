"""The catalogue's search, comparison and exposure report, under /tools/ (discovery namespace).

Included before the catalogue's URLs (config/urls.py): its "<slug>/" page would otherwise catch
these fixed paths ("compare", "exposure" and "thesaurus" are reserved tool slugs)."""

from django.urls import path

from . import thesaurus_views, views

app_name = "discovery"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("compare/", views.compare_view, name="compare"),
    path("compare/selection/", views.compare_tray, name="compare_tray"),
    path("compare/csv/", views.compare_csv, name="compare_csv"),
    path("exposure/", views.exposure_report, name="exposure_report"),
    path("thesaurus/", thesaurus_views.concept_list, name="thesaurus"),
    path("thesaurus/new/", thesaurus_views.concept_add, name="thesaurus_add"),
    path("thesaurus/<int:pk>/", thesaurus_views.concept_edit, name="thesaurus_edit"),
    path("thesaurus/<int:pk>/delete/", thesaurus_views.concept_delete, name="thesaurus_delete"),
]
