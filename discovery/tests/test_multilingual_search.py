"""Search in six languages: labels of the criteria answers, stemming, Chinese substrings, the
thesaurus. Runs on SQLite (FTS5) and, with DATABASE_URL pointing at PostgreSQL, on its GIN index."""

import pytest
from django.db import connection
from django.urls import reverse

from discovery import search, textsearch, thesaurus
from discovery.models import Concept, ToolSearchText
from questionnaires.models import Option, Question
from questionnaires.selectors import bump_generation
from testkit import factories
from testkit.personas import sign_in

from .test_search_helpers import answer, make_questionnaires, tool_with

pytestmark = pytest.mark.django_db

TRIAGE_LABELS = {
    "en": "Triage of seized images",
    "ar": "فرز الصور المضبوطة",
    "zh-hans": "查获图像的分诊",
    "fr": "Tri des images saisies",
    "ru": "Сортировка изъятых изображений",
    "es": "Clasificación de imágenes incautadas",
}


@pytest.fixture
def forms():
    tools_form, rai = make_questionnaires()
    Option.objects.filter(question__version=tools_form, question__key="workflow", value="triage").update(
        labels=TRIAGE_LABELS
    )
    Question.objects.filter(version=tools_form, key="offline").update(
        labels={"en": "Works without a network connection", "ar": "يعمل دون اتصال بالشبكة"}
    )
    bump_generation()
    return tools_form, rai


def found(q):
    return {result.slug for result in search.search({}, seed="s:2026-01-01", q=q)}


# --- labels of the criteria answers ------------------------------------------------------
def test_arabic_word_finds_tools_by_the_labels_of_their_answers(forms):
    tools_form, _rai = forms
    triage = tool_with(tools_form, {"workflow": ["triage"]}, name="Sorter", short_description="Sorts evidence.")
    tool_with(tools_form, {"workflow": ["review"]}, name="Reviewer", short_description="Reviews evidence.")
    offline = tool_with(tools_form, {"offline": True}, name="Island", short_description="Runs anywhere.")
    tool_with(tools_form, {"offline": False}, name="Cloudy", short_description="Runs anywhere.")
    assert found("صور") == {triage.slug}  # "images", in the Arabic label of the option chosen
    assert found("الصور") == {triage.slug}  # with the article: the same stem
    assert found("图像") == {triage.slug}
    assert found("Изображения") == {triage.slug}
    assert found("اتصال") == {offline.slug}  # a yes/no criterion answered yes, not one answered no


def test_control_without_the_label_index_the_arabic_word_finds_nothing(forms, monkeypatch):
    tools_form, _rai = forms
    monkeypatch.setattr(search, "label_texts", lambda answers, versions=None: [])
    tool_with(tools_form, {"workflow": ["triage"]}, name="Sorter", short_description="Sorts evidence.")
    assert found("صور") == set()


def test_labels_follow_the_answers_and_the_current_questionnaire_version(forms, django_capture_on_commit_callbacks):
    tools_form, _rai = forms
    tool = tool_with(tools_form, {"workflow": ["review"]}, name="Sorter", short_description="Sorts evidence.")
    assert found("صور") == set()
    answer_row = tool.answers.get(question_key="workflow")
    answer_row.value = ["triage"]
    answer_row.save()  # a published tool's answer changes (e.g. an approved update applied)
    assert found("صور") == {tool.slug}
    # A new version of the questionnaire names the option otherwise: the texts are written again.
    new = factories.make_questionnaire(
        "tools-form-2",
        [{"key": "workflow", "type": Question.Type.MULTIPLE_CHOICE, "criterion": True, "options": ["triage"]}],
        keep_shipped=True,
    )
    tools_form.questionnaire.versions.all().update(status="draft")
    Option.objects.filter(question__version=new).update(labels={"en": "Sorting", "ar": "ترتيب"})
    bump_generation()
    with django_capture_on_commit_callbacks(execute=True):
        new.save(update_fields=["status"])
    assert found("ترتيب") == {tool.slug}
    assert found("صور") == set()


# --- one word per language: stemming and normalisation ------------------------------------
@pytest.fixture
def described(forms):
    tools_form, _rai = forms
    tools = {
        "en": tool_with(tools_form, {}, name="Alpha", short_description="Classifies seized photographs and videos."),
        "fr": tool_with(tools_form, {}, name="Beta", short_description="Détecte les images d'abus."),
        "es": tool_with(tools_form, {}, name="Gamma", short_description="Analiza las imágenes incautadas."),
        "ru": tool_with(tools_form, {}, name="Delta", short_description="Анализирует изъятые изображения."),
        "ar": tool_with(tools_form, {}, name="Epsilon", short_description="يحلل المستندات المضبوطة."),
        "zh": tool_with(tools_form, {}, name="Zeta", short_description="识别儿童性虐待材料。"),
    }
    return {code: tool.slug for code, tool in tools.items()}


def test_english_inflected_form(described):
    assert found("photograph") == {described["en"]}  # singular typed, plural written
    assert found("classify video") == {described["en"]}


def test_french_plural_and_accents(described):
    assert found("détecter image") == {described["fr"]}  # the verb and the singular


def test_spanish_singular_finds_plural(described):
    assert found("imagen incautada") == {described["es"]}


def test_russian_inflected_form(described):
    assert found("изображение") == {described["ru"]}  # nominative singular typed, plural written


def test_arabic_word_without_the_article(described):
    assert found("مستند") == {described["ar"]}  # the document(s): plural with the article written


def test_chinese_substring(described):
    assert found("性虐待") == {described["zh"]}  # inside a run of ideographs with no spaces
    assert found("儿童") == {described["zh"]}
    assert found("虐儿") == set()  # the characters, not in this order


def test_control_without_stems_the_inflected_forms_are_not_found(described, monkeypatch):
    monkeypatch.setattr(textsearch, "stems", lambda word: ())
    search.reindex_published()
    assert found("изображение") == set()
    assert found("imagen incautada") == set()


def test_the_engine_in_use_answers(described):
    # The tests above ran on this engine: FTS5 on SQLite, the GIN-indexed tsvector on PostgreSQL.
    assert connection.vendor in {"sqlite", "postgresql"}
    assert ToolSearchText.objects.count() == len(described)


# --- the thesaurus ---------------------------------------------------------------------
def test_the_starting_thesaurus_is_loaded_in_six_languages():
    assert Concept.objects.count() >= 10
    languages = set(thesaurus.Term.objects.values_list("language", flat=True))
    assert languages == {"en", "ar", "zh-hans", "fr", "ru", "es"}


def test_a_term_finds_tools_named_by_another_term_of_its_concept(forms):
    tools_form, _rai = forms
    arabic = tool_with(tools_form, {}, name="Kashif", short_description="يكتشف مواد الاعتداء الجنسي على الأطفال.")
    english = tool_with(tools_form, {}, name="Finder", short_description="Flags CSAM in seized media.")
    tool_with(tools_form, {}, name="Other", short_description="Reads chat logs.")
    assert found("CSAM") == {arabic.slug, english.slug}
    assert found("儿童性虐待材料") == {arabic.slug, english.slug}
    assert found("child sexual abuse material") == {arabic.slug, english.slug}


def test_control_without_the_thesaurus_a_term_finds_only_its_own_words(forms):
    tools_form, _rai = forms
    tool_with(tools_form, {}, name="Kashif", short_description="يكتشف مواد الاعتداء الجنسي على الأطفال.")
    english = tool_with(tools_form, {}, name="Finder", short_description="Flags CSAM in seized media.")
    Concept.objects.all().delete()
    assert found("CSAM") == {english.slug}


def test_catalogue_page_search_in_arabic(client, forms, verified_officer):
    tools_form, _rai = forms
    triage = tool_with(tools_form, {"workflow": ["triage"]}, name="Sorter", short_description="Sorts evidence.")
    sign_in(client, verified_officer)
    response = client.get(reverse("discovery:catalogue"), {"q": "صور"})
    assert response.status_code == 200
    assert triage.name in response.content.decode()


def test_free_text_answers_translations_are_searched(forms):
    tools_form, _rai = forms
    tool = tool_with(tools_form, {}, name="Sorter", short_description="Sorts evidence.")
    answer(tool, tools_form, "summary", "Works on handsets", translations={"ru": "Работает на телефонах"})
    assert found("телефон") == {tool.slug}
