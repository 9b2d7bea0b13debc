from django.urls import path

from . import views

app_name = "terms"

urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("accept/", views.accept, name="accept"),
    path("accept/organisation/", views.accept_for_organisation, name="accept_organisation"),
    path("manage/", views.manage, name="manage"),
    path("manage/<slug:audience>/<str:version>/acceptances/", views.acceptances, name="acceptances"),
    path("manage/<slug:audience>/<str:version>/acceptances.csv", views.acceptances_csv, name="acceptances_csv"),
    path("<slug:audience>/<str:version>/changes/", views.changes, name="changes"),
    path("<slug:audience>/<str:version>/", views.public_detail, name="public_detail"),
]
