"""The coordinators' questionnaire editor: drafting, editing, publishing, permissions, audit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Action, AuditEvent
from catalogue.answers import completeness
from questionnaires import services
from questionnaires.forms import OptionForm, QuestionForm, SectionForm
from questionnaires.models import Question, QuestionnaireVersion
from questionnaires.selectors import current_versions
from testkit.factories import (
    AnswerFactory,
    OptionFactory,
    QuestionFactory,
    SectionFactory,
    ToolFactory,
    make_questionnaire,
)

pytestmark = pytest.mark.django_db

KEY = "editor-test"


@pytest.fixture
def v1():
    """A published version 1 with two sections, translated texts, help texts and options."""
    version = make_questionnaire(
        KEY,
        [
            {"key": "purpose", "type": Question.Type.LONG_TEXT, "required": True},
            {
                "key": "deployment",
                "type": Question.Type.SINGLE_CHOICE,
                "criterion": True,
                "options": ["cloud", "onsite"],
            },
        ],
    )
    main = version.sections.get(key="main")
    main.titles = {"en": "General", "fr": "Général", "ar": "عام"}
    main.save()
    purpose = version.questions.get(key="purpose")
    purpose.labels = {"en": "What does the tool do?", "fr": "Que fait l'outil ?", "zh-hans": "工具做什么？"}
    purpose.help_texts = {"en": "In a few sentences.", "es": "En pocas frases."}
    purpose.save()
    cloud = version.questions.get(key="deployment").options.get(value="cloud")
    cloud.labels = {"en": "Cloud service", "ru": "Облачный сервис"}
    cloud.save()
    other = SectionFactory(version=version, key="licence", order=1, titles={"en": "Licence"})
    QuestionFactory(section=other, key="free-for-police", type=Question.Type.YES_NO, labels={"en": "Free?"})
    return version


def contents(version):
    """Everything a version defines, without ids, for comparing copies."""
    return {
        "sections": [(s.key, s.order, s.titles) for s in version.sections.order_by("order", "id")],
        "questions": [
            (
                q.section.key,
                q.key,
                q.order,
                q.type,
                q.labels,
                q.help_texts,
                q.required,
                q.is_criterion,
                [(o.value, o.order, o.labels) for o in q.options.order_by("order", "id")],
            )
            for q in version.questions.select_related("section").order_by("section__order", "order", "id")
        ],
    }


def url(name, version, **extra):
    return reverse(
        f"questionnaires:{name}", kwargs={"key": version.questionnaire.key, "number": version.number, **extra}
    )


def question_data(**overrides):
    data = {
        "question-key": "new-question",
        "question-section": "main",
        "question-type": Question.Type.SHORT_TEXT,
        "question-label_en": "A new question?",
        "question-label_fr": "Une nouvelle question ?",
        "question-help_en": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def coordinator_client(client, coordinator, signed_in):
    signed_in(coordinator)
    return client


@pytest.fixture
def draft(v1, coordinator):
    return services.copy_as_draft(v1.questionnaire, by=coordinator)


# --- copying --------------------------------------------------------------------------------
def test_new_version_copies_everything_into_a_draft_and_leaves_v1_untouched(coordinator_client, coordinator, v1):
    before = contents(v1)
    response = coordinator_client.post(reverse("questionnaires:new_version", kwargs={"key": KEY}))
    draft = QuestionnaireVersion.objects.get(questionnaire=v1.questionnaire, number=2)
    assert response.status_code == 302
    assert response["Location"] == url("edit_version", draft)
    assert draft.status == QuestionnaireVersion.Status.DRAFT
    assert draft.created_by == coordinator
    assert contents(draft) == before
    assert contents(v1) == before
    v1.refresh_from_db()
    assert v1.status == QuestionnaireVersion.Status.PUBLISHED
    # The copy has its own rows: v1's questions are not shared.
    assert not set(draft.questions.values_list("pk", flat=True)) & set(v1.questions.values_list("pk", flat=True))
    # Copying alone does not change what is current.
    assert [v.pk for v in current_versions() if v.questionnaire.key == KEY] == [v1.pk]
    event = AuditEvent.objects.get(action=Action.QUESTIONNAIRE_DRAFTED)
    assert event.actor == coordinator
    assert event.after["copied_from"] == 1 and event.after["number"] == 2 and event.after["questions"] == 3


def test_a_second_draft_is_refused_and_the_existing_one_is_linked(coordinator_client, draft):
    response = coordinator_client.post(reverse("questionnaires:new_version", kwargs={"key": KEY}), follow=True)
    assert response.redirect_chain[-1][0] == url("edit_version", draft)
    assert "A draft version already exists" in response.content.decode()
    assert draft.questionnaire.versions.count() == 2


def test_new_version_on_a_get_is_not_allowed(coordinator_client, v1):
    response = coordinator_client.get(reverse("questionnaires:new_version", kwargs={"key": KEY}))
    assert response.status_code == 405
    assert v1.questionnaire.versions.count() == 1


# --- only drafts can be edited ---------------------------------------------------------------
def test_a_published_version_cannot_be_edited(coordinator_client, v1):
    before = contents(v1)
    response = coordinator_client.get(url("edit_version", v1))
    assert response.status_code == 302 and response["Location"] == url("version_detail", v1)
    response = coordinator_client.post(
        url("question_edit", v1, question="purpose"), question_data(**{"question-key": "purpose"})
    )
    assert response.status_code == 302 and response["Location"] == url("version_detail", v1)
    coordinator_client.post(url("question_delete", v1, question="purpose"))
    coordinator_client.post(url("section_add", v1), {"section-key": "extra", "section-title_en": "Extra"})
    coordinator_client.post(url("option_delete", v1, question="deployment", option="cloud"))
    assert contents(v1) == before
    assert not AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_EDITED).exists()


def test_the_service_refuses_a_version_published_meanwhile(coordinator, draft):
    question = draft.questions.get(key="purpose")
    QuestionnaireVersion.objects.filter(pk=draft.pk).update(status=QuestionnaireVersion.Status.PUBLISHED)
    with pytest.raises(services.NotEditable):
        services.delete_question(question, by=coordinator)
    assert draft.questions.filter(key="purpose").exists()


# --- editing a draft ---------------------------------------------------------------------------
def test_adding_a_question_with_translations_is_audited(coordinator_client, coordinator, draft):
    response = coordinator_client.post(url("question_add", draft, section="main"), question_data())
    assert response.status_code == 302
    assert response["Location"] == url("edit_version", draft) + "#question-new-question"
    question = draft.questions.get(key="new-question")
    assert question.labels == {"en": "A new question?", "fr": "Une nouvelle question ?"}
    assert question.section.key == "main"
    assert question.order > draft.questions.get(key="deployment").order
    event = AuditEvent.objects.get(action=Action.QUESTIONNAIRE_EDITED)
    assert event.actor == coordinator and event.before is None
    assert event.after["change"] == "question_added" and event.after["question"]["key"] == "new-question"
    page = coordinator_client.get(url("edit_version", draft)).content.decode()
    assert "A new question?" in page


def test_editing_a_question_records_before_and_after(coordinator_client, draft):
    data = question_data(
        **{
            "question-key": "purpose",
            "question-type": Question.Type.LONG_TEXT,
            "question-label_en": "What is the tool for?",
            "question-label_fr": "",
            "question-required": "on",
        }
    )
    response = coordinator_client.post(url("question_edit", draft, question="purpose"), data)
    assert response.status_code == 302
    question = draft.questions.get(key="purpose")
    assert question.labels == {"en": "What is the tool for?"}
    event = AuditEvent.objects.get(action=Action.QUESTIONNAIRE_EDITED)
    assert event.before["question"]["labels"]["en"] == "What does the tool do?"
    assert event.before["question"]["labels"]["fr"] == "Que fait l'outil ?"
    assert event.after["question"]["labels"] == {"en": "What is the tool for?"}


def test_invalid_question_is_answered_400_with_errors_next_to_fields(coordinator_client, draft):
    data = question_data(**{"question-key": "Not a slug!", "question-label_en": "", "question-label_fr": "Gardé"})
    response = coordinator_client.post(url("question_add", draft, section="main"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_question-key_error"' in page
    assert 'id="id_question-label_en_error"' in page
    assert "Gardé" in page  # what was typed is kept
    assert not draft.questions.filter(labels__fr="Gardé").exists()


def test_question_keys_must_be_unique_in_the_version(coordinator_client, draft):
    response = coordinator_client.post(
        url("question_add", draft, section="main"), question_data(**{"question-key": "free-for-police"})
    )
    assert response.status_code == 400
    assert "Another question of this version already uses this key." in response.content.decode()
    assert draft.questions.filter(key="free-for-police").count() == 1


def test_a_key_cannot_change_to_a_type_its_earlier_answers_would_not_fit(coordinator_client, draft):
    data = question_data(**{"question-key": "deployment", "question-type": Question.Type.NUMBER})
    response = coordinator_client.post(url("question_edit", draft, question="deployment"), data)
    assert response.status_code == 400
    assert 'id="id_question-type_error"' in response.content.decode()
    assert draft.questions.get(key="deployment").type == Question.Type.SINGLE_CHOICE


def test_only_choice_and_yes_no_questions_can_be_criteria(coordinator_client, draft):
    data = question_data(**{"question-is_criterion": "on", "question-type": Question.Type.LONG_TEXT})
    response = coordinator_client.post(url("question_add", draft, section="main"), data)
    assert response.status_code == 400
    assert 'id="id_question-is_criterion_error"' in response.content.decode()


def test_moving_and_deleting_questions(coordinator_client, draft):
    response = coordinator_client.post(url("question_move", draft, question="deployment"), {"direction": "up"})
    assert response["Location"].endswith("#question-deployment")
    keys = list(draft.sections.get(key="main").questions.order_by("order").values_list("key", flat=True))
    assert keys == ["deployment", "purpose"]
    response = coordinator_client.post(url("question_delete", draft, question="purpose"))
    assert response.status_code == 302
    assert not draft.questions.filter(key="purpose").exists()
    event = AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_EDITED).first()
    assert event.before["change"] == "question_deleted" and event.after is None


def test_moving_a_question_to_another_section(coordinator_client, draft):
    data = question_data(
        **{"question-key": "purpose", "question-type": Question.Type.LONG_TEXT, "question-section": "licence"}
    )
    coordinator_client.post(url("question_edit", draft, question="purpose"), data)
    assert draft.questions.get(key="purpose").section.key == "licence"


def test_sections_can_be_added_edited_and_only_empty_ones_deleted(coordinator_client, draft):
    response = coordinator_client.post(
        url("section_add", draft), {"section-key": "support", "section-title_en": "Support"}
    )
    assert response["Location"] == url("edit_version", draft) + "#section-support"
    response = coordinator_client.post(url("section_add", draft), {"section-key": "support", "section-title_en": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Another section of this version already uses this key." in page
    assert 'id="id_section-title_en_error"' in page
    response = coordinator_client.post(
        url("section_edit", draft, section="support"),
        {"section-key": "training", "section-title_en": "Training", "section-title_ar": "تدريب"},
    )
    assert response.status_code == 302
    assert draft.sections.get(key="training").titles == {"en": "Training", "ar": "تدريب"}
    coordinator_client.post(url("section_delete", draft, section="main"))
    assert draft.sections.filter(key="main").exists()  # it has questions
    coordinator_client.post(url("section_delete", draft, section="training"))
    assert not draft.sections.filter(key="training").exists()


def test_options_can_be_added_edited_moved_and_deleted(coordinator_client, draft):
    question = url("question_edit", draft, question="deployment")
    response = coordinator_client.post(
        url("option_add", draft, question="deployment"), {"option-value": "hybrid", "option-label_en": "Hybrid"}
    )
    assert response["Location"] == question + "#option-hybrid"
    response = coordinator_client.post(
        url("option_add", draft, question="deployment"), {"option-value": "hybrid", "option-label_en": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Another option of this question already uses this value." in page
    assert 'id="id_option-label_en_error"' in page
    coordinator_client.post(
        url("option_edit", draft, question="deployment", option="hybrid"),
        {"option-value": "hybrid", "option-label_en": "Hybrid (cloud and on site)", "option-label_es": "Híbrido"},
    )
    coordinator_client.post(url("option_move", draft, question="deployment", option="hybrid"), {"direction": "up"})
    options = draft.questions.get(key="deployment").options.order_by("order")
    assert [(o.value, o.labels) for o in options][1:] == [
        ("hybrid", {"en": "Hybrid (cloud and on site)", "es": "Híbrido"}),
        ("onsite", {"en": "Onsite"}),
    ]
    coordinator_client.post(url("option_delete", draft, question="deployment", option="onsite"))
    assert list(draft.questions.get(key="deployment").options.values_list("value", flat=True)) == ["cloud", "hybrid"]


def test_a_question_that_stops_being_a_choice_loses_its_options(coordinator, draft):
    question = draft.questions.get(key="deployment")
    data = {"key": "deployment", "type": Question.Type.MULTIPLE_CHOICE, "labels": {"en": "Deployment"}}
    services.update_question(question, by=coordinator, data=data)
    assert question.options.count() == 2  # still a choice question
    data["key"], data["type"] = "deployment-notes", Question.Type.SHORT_TEXT
    services.update_question(question, by=coordinator, data=data)
    assert not question.options.exists()
    event = AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_EDITED).first()
    assert [o["value"] for o in event.before["options"]] == ["cloud", "onsite"]


# --- publishing -----------------------------------------------------------------------------
def test_publishing_makes_the_draft_current(coordinator_client, coordinator, v1, draft):
    coordinator_client.post(url("question_add", draft, section="main"), question_data())
    response = coordinator_client.post(url("publish", draft))
    assert response.status_code == 302 and response["Location"] == url("version_detail", draft)
    draft.refresh_from_db()
    assert draft.status == QuestionnaireVersion.Status.PUBLISHED and draft.published_at
    current = [v for v in current_versions() if v.questionnaire.key == KEY]
    assert [v.pk for v in current] == [draft.pk]
    assert "new-question" in [q.key for q in current[0].questions.all()]
    v1.refresh_from_db()
    assert v1.status == QuestionnaireVersion.Status.PUBLISHED
    event = AuditEvent.objects.get(action=Action.QUESTIONNAIRE_PUBLISHED)
    assert event.actor == coordinator
    assert event.before == {"status": "draft", "current": 1}
    assert event.after["current"] == 2
    # Published now: read-only.
    assert coordinator_client.get(url("edit_version", draft)).status_code == 302


def test_publishing_is_refused_until_the_draft_is_complete(coordinator_client, draft):
    QuestionFactory(section=draft.sections.get(key="main"), key="languages", type=Question.Type.MULTIPLE_CHOICE)
    QuestionFactory(section=draft.sections.get(key="main"), key="nameless", labels={"fr": "Sans nom"})
    OptionFactory(question=draft.questions.get(key="deployment"), value="other", labels={"fr": "Autre"})
    response = coordinator_client.post(url("publish", draft))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choice question “languages” has no options." in page
    assert "Question “nameless” has no English text." in page
    assert "Option “other” of question “deployment” has no English text." in page
    draft.refresh_from_db()
    assert draft.status == QuestionnaireVersion.Status.DRAFT
    assert not AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_PUBLISHED).exists()


def test_a_question_added_in_v2_shows_as_unanswered_for_a_tool_answered_in_v1(coordinator, v1, draft):
    tool = ToolFactory(published=True)
    for question in v1.questions.all():
        AnswerFactory(tool=tool, question=question, value=True if question.type == Question.Type.YES_NO else "x")
    assert completeness(tool, [v for v in current_versions() if v.questionnaire.key == KEY]) == {KEY: (3, 3)}
    services.add_question(
        draft.sections.get(key="main"),
        by=coordinator,
        data={"key": "accuracy", "type": Question.Type.LONG_TEXT, "labels": {"en": "How accurate is it?"}},
    )
    services.publish(draft, by=coordinator)
    current = [v for v in current_versions() if v.questionnaire.key == KEY]
    assert current[0].number == 2
    # The v1 answers still count (matched by key); the new question is not answered.
    assert completeness(tool, current) == {KEY: (3, 4)}


# --- pages and permissions ---------------------------------------------------------------------
def test_list_marks_the_current_version_and_stays_within_a_fixed_number_of_queries(
    coordinator_client, draft, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as baseline:
        coordinator_client.get(reverse("questionnaires:list"))
    for number in range(3):
        version = make_questionnaire(f"other-{number}", [{"key": "q"}, {"key": "r"}])
        services.copy_as_draft(version.questionnaire, by=draft.created_by)
    with django_assert_max_num_queries(len(baseline)):
        response = coordinator_client.get(reverse("questionnaires:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Current" in page
    assert url("edit_version", draft) in page
    assert url("version_detail", draft.questionnaire.versions.get(number=1)) in page


def test_edit_page_query_count_does_not_grow_with_questions(coordinator_client, draft, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as baseline:
        coordinator_client.get(url("edit_version", draft))
    section = draft.sections.get(key="main")
    for index in range(15):
        question = QuestionFactory(section=section, key=f"extra-{index}", type=Question.Type.SINGLE_CHOICE)
        OptionFactory(question=question, value="a")
    with django_assert_max_num_queries(len(baseline)):
        response = coordinator_client.get(url("edit_version", draft))
    assert response.status_code == 200
    assert "extra-14" in response.content.decode()


def test_version_detail_shows_every_translation(coordinator_client, v1):
    response = coordinator_client.get(url("version_detail", v1))
    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "What does the tool do?",
        "Que fait l'outil ?",
        "工具做什么？",
        "En pocas frases.",
        "Облачный сервис",
        "عام",
    ]:
        assert text in page.replace("&#x27;", "'")
    assert url("edit_version", v1) not in page


@pytest.mark.parametrize("persona", ["verified_officer", "provider_admin", "pending_officer"])
def test_non_coordinators_are_refused(request, client, signed_in, persona, v1, draft):
    signed_in(request.getfixturevalue(persona))
    assert client.get(reverse("questionnaires:list")).status_code == 403
    assert client.get(url("edit_version", draft)).status_code == 403
    assert client.post(reverse("questionnaires:new_version", kwargs={"key": KEY})).status_code == 403
    assert client.post(url("question_add", draft, section="main"), question_data()).status_code == 403
    assert client.post(url("publish", draft)).status_code == 403
    assert not draft.questions.filter(key="new-question").exists()
    draft.refresh_from_db()
    assert draft.status == QuestionnaireVersion.Status.DRAFT


def test_anonymous_visitors_are_sent_to_sign_in(client, draft):
    response = client.get(url("edit_version", draft))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_services_refuse_duplicate_keys_even_without_the_form(coordinator, draft):
    section = draft.sections.get(key="main")
    with pytest.raises(services.EditorError):
        services.add_question(section, by=coordinator, data={"key": "purpose", "type": Question.Type.SHORT_TEXT})
    with pytest.raises(services.EditorError):
        services.add_section(draft, by=coordinator, key="licence", titles={"en": "Again"})
    with pytest.raises(services.EditorError):
        services.add_option(draft.questions.get(key="deployment"), by=coordinator, value="cloud", labels={"en": "x"})
    assert draft.questions.filter(key="purpose").count() == 1


def test_sections_move_and_the_move_is_audited(coordinator_client, draft):
    response = coordinator_client.post(url("section_move", draft, section="licence"), {"direction": "up"})
    assert response["Location"] == url("edit_version", draft) + "#section-licence"
    assert list(draft.sections.order_by("order").values_list("key", flat=True)) == ["licence", "main"]
    event = AuditEvent.objects.get(action=Action.QUESTIONNAIRE_EDITED)
    assert event.before["sections"] == ["main", "licence"] and event.after["sections"] == ["licence", "main"]
    # The first section cannot move further up: nothing changes, nothing is recorded.
    coordinator_client.post(url("section_move", draft, section="licence"), {"direction": "up"})
    assert AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_EDITED).count() == 1


def test_a_number_question_can_be_limited_to_whole_numbers(coordinator_client, draft):
    data = question_data(**{"question-key": "agencies", "question-type": "number", "question-whole_number": "on"})
    response = coordinator_client.post(url("question_add", draft, section="main"), data)
    assert response.status_code == 302
    question = draft.questions.get(key="agencies")
    assert question.whole_number
    event = AuditEvent.objects.get(action=Action.QUESTIONNAIRE_EDITED)
    assert event.after["question"]["whole_number"] is True
    assert "whole numbers only" in coordinator_client.get(url("edit_version", draft)).content.decode()

    # Unticking it allows decimals again, and the change is audited.
    data.pop("question-whole_number")
    coordinator_client.post(url("question_edit", draft, question="agencies"), data)
    question.refresh_from_db()
    assert not question.whole_number
    event = AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_EDITED).latest("id")
    assert event.before["question"]["whole_number"] is True and event.after["question"]["whole_number"] is False
    assert "decimals allowed" in coordinator_client.get(url("edit_version", draft)).content.decode()


def test_only_number_questions_can_be_limited_to_whole_numbers(coordinator_client, draft):
    data = question_data(**{"question-whole_number": "on", "question-type": Question.Type.SHORT_TEXT})
    response = coordinator_client.post(url("question_add", draft, section="main"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Only number questions can be limited to whole numbers." in page
    assert '<a href="#id_question-whole_number">' in page
    assert not draft.questions.filter(key="new-question").exists()


def test_a_new_version_keeps_the_whole_number_setting(coordinator, v1):
    QuestionFactory(section=v1.sections.get(key="main"), key="agencies", type="number", whole_number=True)
    draft = services.copy_as_draft(v1.questionnaire, by=coordinator)
    assert draft.questions.get(key="agencies").whole_number


@pytest.mark.parametrize(
    "step,data,field",
    [
        (
            "question",
            {"question-key": "deployment", "question-type": "single_choice", "question-label_en": "Typed label"},
            "question-key",
        ),
        ("section", {"section-key": "licence", "section-title_en": "Typed label"}, "section-key"),
        ("option", {"option-value": "onsite", "option-label_en": "Typed label"}, "option-value"),
    ],
)
def test_a_key_taken_meanwhile_is_refused_next_to_its_field(coordinator_client, draft, monkeypatch, step, data, field):
    # Another coordinator takes the key between the form's check and the save: only the service sees it.
    form_class = {"question": QuestionForm, "section": SectionForm, "option": OptionForm}[step]
    name = "value" if step == "option" else "key"
    monkeypatch.setattr(form_class, f"clean_{name}", lambda form: form.cleaned_data[name])
    target = {
        "question": url("question_add", draft, section="main"),
        "section": url("section_add", draft),
        "option": url("option_add", draft, question="deployment"),
    }[step]
    posted = question_data(**data) if step == "question" else data
    response = coordinator_client.post(target, posted)

    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert f'<a href="#id_{field}">' in page  # in the error summary at the top
    assert "Typed label" in page  # what was typed is kept
    assert 'class="message message-error"' not in page
