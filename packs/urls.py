from django.urls import path

from . import views

app_name = "packs"

urlpatterns = [
    path("download/", views.download, name="download"),
    path("counts/", views.counts, name="counts"),
]
