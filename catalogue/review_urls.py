from django.urls import path

from . import review_views

urlpatterns = [
    path("", review_views.review_queue, name="review_queue"),
    path("confirmations/", review_views.confirmation_overdue, name="confirmation_overdue"),
    path("<slug:slug>/", review_views.review_detail, name="review_detail"),
    path("<slug:slug>/decide/", review_views.review_decide, name="review_decide"),
]
