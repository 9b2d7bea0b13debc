"""The contact point, under /contact/."""

from django.urls import path

from . import views

app_name = "contact"

urlpatterns = [
    path("", views.write, name="write"),
    path("mine/", views.mine, name="mine"),
    path("mine/<uuid:public_id>/", views.conversation, name="conversation"),
    path("files/<uuid:public_id>/", views.post_file, name="file"),
    path("queue/", views.queue, name="queue"),
    path("queue/<uuid:public_id>/", views.detail, name="detail"),
    path("queue/<uuid:public_id>/answer/", views.answer, name="answer"),
    path("queue/<uuid:public_id>/assign/", views.assign, name="assign"),
    path("queue/<uuid:public_id>/close/", views.close, name="close"),
]
