from django.urls import path

from . import views

app_name = "providers"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("organisation/", views.my_organisation, name="my_organisation"),
    path("review/", views.review_queue, name="review_queue"),
]
