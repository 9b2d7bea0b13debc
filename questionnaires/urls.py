from django.urls import path

from . import views

app_name = "questionnaires"

VERSION = "<slug:key>/v<int:number>/"
SECTION = VERSION + "sections/<slug:section>/"
QUESTION = VERSION + "questions/<slug:question>/"
OPTION = QUESTION + "options/<slug:option>/"

urlpatterns = [
    path("", views.questionnaire_list, name="list"),
    path("<slug:key>/new-version/", views.new_version, name="new_version"),
    path(VERSION, views.version_detail, name="version_detail"),
    path(VERSION + "edit/", views.edit_version, name="edit_version"),
    path(VERSION + "publish/", views.publish, name="publish"),
    path(VERSION + "add-section/", views.section_add, name="section_add"),
    path(SECTION, views.section_edit, name="section_edit"),
    path(SECTION + "delete/", views.section_delete, name="section_delete"),
    path(SECTION + "move/", views.section_move, name="section_move"),
    path(SECTION + "add-question/", views.question_add, name="question_add"),
    path(QUESTION, views.question_edit, name="question_edit"),
    path(QUESTION + "delete/", views.question_delete, name="question_delete"),
    path(QUESTION + "move/", views.question_move, name="question_move"),
    path(QUESTION + "add-option/", views.option_add, name="option_add"),
    path(OPTION, views.option_edit, name="option_edit"),
    path(OPTION + "delete/", views.option_delete, name="option_delete"),
    path(OPTION + "move/", views.option_move, name="option_move"),
]
