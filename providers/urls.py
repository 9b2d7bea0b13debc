from django.urls import path

from . import views

app_name = "providers"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("organisation/", views.my_organisation, name="my_organisation"),
    path("organisation/edit/", views.edit_organisation, name="edit_organisation"),
    path("organisation/invitations/", views.invite, name="invite"),
    path(
        "organisation/invitations/<uuid:public_id>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("organisation/members/<uuid:public_id>/remove/", views.remove_member, name="remove_member"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<uuid:public_id>/", views.review_detail, name="review_detail"),
    path("review/<uuid:public_id>/decide/", views.review_decide, name="review_decide"),
]
