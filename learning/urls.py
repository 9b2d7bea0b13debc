from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.index, name="index"),
    path("steps/<slug:step>/", views.step, name="step"),
    path("progress/", views.progress, name="progress"),
    path("items/<slug:slug>/", views.item, name="item"),
    path("items/<slug:slug>/versions/", views.item_versions, name="item_versions"),
    path("items/<slug:slug>/versions/<str:language_code>/<int:number>/", views.item_version, name="item_version"),
    path("items/<slug:slug>/file/", views.resource, name="resource"),
    path("items/<slug:slug>/lessons/<int:lesson>/done/", views.lesson_done, name="lesson_done"),
    path("items/<slug:slug>/check/", views.check, name="check"),
    path("images/<uuid:public_id>/", views.image, name="image"),
    path("write/", views.write, name="write"),
    path("write/new/", views.item_new, name="item_new"),
    path("write/<slug:slug>/", views.item_edit, name="item_edit"),
    path("write/<slug:slug>/images/", views.image_upload, name="image_upload"),
    path("write/<slug:slug>/<str:language_code>/", views.text_edit, name="text_edit"),
    path("write/<slug:slug>/<str:language_code>/submit/", views.text_submit, name="text_submit"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/coverage/", views.coverage, name="coverage"),
    path("review/overdue/", views.overdue, name="overdue"),
    path("review/statistics/", views.statistics, name="statistics"),
    path("review/topics/", views.topics, name="topics"),
    path("review/topics/<slug:slug>/", views.topic_edit, name="topic_edit"),
    path("review/contributors/", views.contributors, name="contributors"),
    path("review/contributors/<uuid:public_id>/revoke/", views.contributor_revoke, name="contributor_revoke"),
    path("review/items/<slug:slug>/reviewed/", views.mark_reviewed, name="mark_reviewed"),
    path("review/items/<slug:slug>/<str:language_code>/", views.review_text, name="review_text"),
]
