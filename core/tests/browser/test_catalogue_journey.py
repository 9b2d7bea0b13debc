"""End-to-end journey of a tool through the catalogue, in a real browser (issue 3).

A provider member describes a new tool, answers part of the Tools Form, previews the entry
(unanswered questions read "No reply provided by the provider"), is refused at submission
until the required questions are answered, then submits. A coordinator publishes it from the
review queue. A verified officer searches the catalogue with a required criterion, finds and
opens the tool, and compares it with another published tool side by side.

The questionnaire is built by the test (testkit.factories.make_questionnaire) so that the
questions, their labels and which ones are required are fixed here.
"""

import re

import pytest
from django.core import mail

from catalogue.models import Review, Tool, ToolState
from questionnaires.models import Option, Question
from testkit import factories

from .test_journeys import reauthenticate_if_asked, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_REPLY = "No reply provided by the provider"
TOOL_NAME = "Harbour Triage Assistant"
OTHER_NAME = "Lantern Media Sorter"
CLOUD_NAME = "Skyline Cloud Classifier"

QUESTIONS = {
    "summary": "In one paragraph, what does the tool do?",
    "deployment-model": "How is the tool deployed?",
    "workflow-steps": "Which workflow steps does the tool support?",
    "training-data": "Which data was the model trained on?",
}
OPTIONS = {
    "on-premises": "On the agency's own premises",
    "cloud": "Hosted in the provider's cloud",
    "triage": "Triage of seized media",
    "classification": "Classification of material",
}


def build_tools_form():
    """A small published "Tools Form": two criteria, two required questions, one left open."""
    version = factories.make_questionnaire(
        "tools-form",
        [
            {"key": "summary", "type": Question.Type.LONG_TEXT, "required": True},
            {
                "key": "deployment-model",
                "type": Question.Type.SINGLE_CHOICE,
                "criterion": True,
                "required": True,
                "options": ["on-premises", "cloud"],
            },
            {
                "key": "workflow-steps",
                "type": Question.Type.MULTIPLE_CHOICE,
                "criterion": True,
                "options": ["triage", "classification"],
            },
            {"key": "training-data", "type": Question.Type.LONG_TEXT},
        ],
    )
    version.questionnaire.names = {"en": "Tools Form"}
    version.questionnaire.save(update_fields=["names"])
    for key, label in QUESTIONS.items():
        Question.objects.filter(version=version, key=key).update(labels={"en": label})
    for value, label in OPTIONS.items():
        Option.objects.filter(question__version=version, value=value).update(labels={"en": label})
    return version


def published_tool(version, name, *, deployment, summary):
    """A tool another organisation already has in the catalogue, with some answers."""
    tool = factories.ToolFactory(name=name, slug=name.lower().replace(" ", "-"), published=True)
    questions = {question.key: question for question in version.questions.all()}
    factories.AnswerFactory(tool=tool, question=questions["summary"], value=summary)
    factories.AnswerFactory(tool=tool, question=questions["deployment-model"], value=deployment)
    factories.AnswerFactory(tool=tool, question=questions["workflow-steps"], value=["classification"])
    return tool


def question_block(page, key):
    return page.locator(f"#field-{key}")


def answer_of(page, label):
    """The <dd> after the <dt> holding a question's label in a tool entry."""
    return page.locator("dl.answers dt", has_text=label).locator("xpath=following-sibling::dd[1]")


def test_provider_submits_coordinator_publishes_officer_finds_and_compares(new_page, totp):
    # --- the world: questionnaire, terms, people, two tools already published ---------------
    version = build_tools_form()
    organisation, provider = factories.provider_admin_under_terms("Northwind Forensics GmbH")
    coordinator = factories.CoordinatorFactory()
    officer = factories.OfficerProfileFactory(verified=True).user
    secrets = {user.pk: factories.add_totp(user) for user in (provider, coordinator, officer)}
    other = published_tool(version, OTHER_NAME, deployment="on-premises", summary="Sorts media by content.")
    published_tool(version, CLOUD_NAME, deployment="cloud", summary="Classifies material in the cloud.")

    def code_for(user):
        return lambda: totp.code(secrets[user.pk])

    # --- the provider describes a new tool ---------------------------------------------------
    page = new_page()
    sign_in(page, provider.email, factories.DEFAULT_PASSWORD, code_for(provider))
    page.locator("nav.main-nav").get_by_role("link", name="Our tools").click()
    page.wait_for_url(re.compile(r"/tools/mine/$"))
    page.get_by_role("link", name="Describe a new tool").click()
    page.wait_for_url(re.compile(r"/tools/mine/new/$"))
    page.fill("input[name=name]", TOOL_NAME)
    page.fill("textarea[name=short_description]", "Sorts seized images so investigators see likely victims first.")
    page.fill("textarea[name=long_description]", "Runs offline on a forensic workstation.")
    page.fill("input[name=website]", "https://harbour.example.com")
    page.get_by_role("button", name="Create the draft").click()
    page.wait_for_url(re.compile(r"/tools/mine/[\w-]+/$"))
    assert page.locator("h1").inner_text() == TOOL_NAME
    assert page.locator(".status-draft").is_visible()
    tool = Tool.objects.get(name=TOOL_NAME)
    assert tool.organisation == organisation
    tool_page_url = page.url

    # --- answers part of the Tools Form (criteria only) and saves -----------------------------
    page.get_by_role("link", name="Tools Form").click()
    page.wait_for_url(re.compile(rf"/tools/mine/{tool.slug}/questionnaires/tools-form/$"))
    page.get_by_role("link", name="Start with the first section").click()
    page.wait_for_url(re.compile(rf"/tools/mine/{tool.slug}/questionnaires/tools-form/main/$"))
    question_block(page, "deployment-model").get_by_label(OPTIONS["on-premises"]).check()
    question_block(page, "workflow-steps").get_by_label(OPTIONS["triage"]).check()
    page.get_by_role("button", name="Save this section").click()
    page.wait_for_load_state()
    assert "were saved" in page.locator("body").inner_text()
    # What was saved is shown again when the form is reopened.
    assert question_block(page, "deployment-model").get_by_label(OPTIONS["on-premises"]).is_checked()
    assert question_block(page, "workflow-steps").get_by_label(OPTIONS["triage"]).is_checked()
    assert not question_block(page, "workflow-steps").get_by_label(OPTIONS["classification"]).is_checked()

    # --- the preview shows the entry as officers will see it ----------------------------------
    page.goto(tool_page_url)
    assert "2 of 4 questions answered" in page.locator("main").inner_text()
    page.get_by_role("link", name="Preview the tool's page as officers will see it").click()
    page.wait_for_url(re.compile(rf"/tools/mine/{tool.slug}/preview/$"))
    assert "Preview — not published" in page.locator(".preview-banner").inner_text()
    assert answer_of(page, QUESTIONS["training-data"]).inner_text().strip() == NO_REPLY
    assert answer_of(page, QUESTIONS["summary"]).inner_text().strip() == NO_REPLY
    assert answer_of(page, QUESTIONS["deployment-model"]).inner_text().strip() == OPTIONS["on-premises"]
    assert OPTIONS["triage"] in answer_of(page, QUESTIONS["workflow-steps"]).inner_text()

    # --- submitting is refused while a required question is unanswered ------------------------
    page.get_by_role("link", name="Back to the tool").click()
    page.wait_for_url(tool_page_url)
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(re.compile(rf"/tools/mine/{tool.slug}/submit/"))
    assert "2 of 4 questions answered." in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Yes, submit for review").count() == 0
    alert = page.locator(".notice.message-error")
    assert alert.is_visible()
    assert QUESTIONS["summary"] in alert.inner_text()
    assert QUESTIONS["deployment-model"] not in alert.inner_text()
    tool.refresh_from_db()
    assert tool.state == ToolState.DRAFT

    # --- answers it from the list of missing questions, then submits ---------------------------
    alert.get_by_role("link", name=QUESTIONS["summary"]).click()
    page.wait_for_url(re.compile(r"/questionnaires/tools-form/main/#field-summary$"))
    question_block(page, "summary").locator("textarea[name=summary]").fill(
        "Ranks seized images by the likelihood that they show a child in need of help."
    )
    page.get_by_role("button", name="Save this section").click()
    page.wait_for_load_state()
    assert "were saved" in page.locator("body").inner_text()
    page.goto(tool_page_url)
    assert "3 of 4 questions answered" in page.locator("main").inner_text()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_role("button", name="Yes, submit for review").click()
    page.wait_for_url(tool_page_url)
    assert page.locator(".status-submitted").is_visible()
    assert "The tool was submitted for review" in page.locator("body").inner_text()
    tool.refresh_from_db()
    assert tool.state == ToolState.SUBMITTED
    sign_out(page)

    # --- a coordinator publishes it from the review queue --------------------------------------
    page = new_page()
    sign_in(page, coordinator.email, factories.DEFAULT_PASSWORD, code_for(coordinator))
    page.locator("nav.main-nav").get_by_role("link", name="Tool reviews").click()
    page.wait_for_url(re.compile(r"/tools/review/$"))
    queue = page.locator("main table")
    assert OTHER_NAME not in queue.inner_text()  # only submitted tools wait for review
    queue.get_by_role("link", name=TOOL_NAME).click()
    page.wait_for_url(re.compile(rf"/tools/review/{tool.slug}/$"))
    assert "Northwind Forensics GmbH" in page.locator(".review-facts").inner_text()
    assert answer_of(page, QUESTIONS["training-data"]).inner_text().strip() == NO_REPLY
    # The checklist shows once "Publish" is chosen (each outcome's fields sit under its radio).
    page.check("input[name=decision][value=publish]")
    page.check("input[name=no_advertising]")
    page.check("input[name=answers_plausible]")
    page.check("input[name=attachments_genuine]")
    page.check("input[name=human_rights_screened]")
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_load_state()
    reauthenticate_if_asked(page, factories.DEFAULT_PASSWORD, code_for(coordinator))
    page.wait_for_url(re.compile(r"/tools/review/$"))
    assert "The tool was published" in page.locator("body").inner_text()
    assert "No tool is waiting for review." in page.locator("main").inner_text()
    tool.refresh_from_db()
    assert tool.state == ToolState.PUBLISHED
    review = Review.objects.get(tool=tool)
    assert review.decision == Review.Decision.PUBLISH and review.reviewer == coordinator
    assert any(provider.email in message.to for message in mail.outbox)
    sign_out(page)

    # --- a verified officer searches with a required criterion and finds the tool -------------
    page = new_page()
    sign_in(page, officer.email, factories.DEFAULT_PASSWORD, code_for(officer))
    page.locator("nav.main-nav").get_by_role("link", name="Catalogue").click()
    page.wait_for_url(re.compile(r"/tools/$"))
    criterion = page.locator("fieldset.criterion", has=page.locator("legend", has_text=QUESTIONS["deployment-model"]))
    criterion.get_by_label(OPTIONS["on-premises"]).check()
    criterion.locator("input[name='mode.deployment-model'][value=required]").check()
    page.get_by_role("button", name="Show tools").last.click()
    page.wait_for_url(re.compile(r"/tools/\?.*deployment-model=on-premises"))
    results = page.locator("#catalogue-results")
    page.locator("#results-count", has_text="2 tools fit.").wait_for()
    names = results.locator(".tool-card-name").all_inner_texts()
    assert sorted(names) == sorted([TOOL_NAME, OTHER_NAME])
    assert CLOUD_NAME not in results.inner_text()
    results_url = page.url

    # --- opens the tool: the unanswered question reads "No reply provided by the provider" -----
    results.get_by_role("link", name=TOOL_NAME).click()
    page.wait_for_url(re.compile(rf"/tools/{tool.slug}/\?from="))
    assert page.locator("h1#tool-name").inner_text() == TOOL_NAME
    assert "Provided by Northwind Forensics GmbH" in page.locator(".tool-provider").inner_text()
    unanswered = answer_of(page, QUESTIONS["training-data"])
    assert unanswered.inner_text().strip() == NO_REPLY
    assert "no-reply" in unanswered.get_attribute("class")
    assert "3 of 4 questions answered" in page.locator(".completeness").inner_text()

    # --- back in the results, compares it with the other tool ----------------------------------
    page.goto(results_url)
    results = page.locator("#catalogue-results")
    results.get_by_label(f"Compare {TOOL_NAME}").check()
    results.get_by_label(f"Compare {OTHER_NAME}").check()
    results.get_by_role("button", name="Compare selected tools").click()
    page.wait_for_url(re.compile(r"/tools/compare/\?"))
    table = page.locator("table.compare-table")
    headers = table.locator("thead th").all_inner_texts()
    assert any(TOOL_NAME in header for header in headers)
    assert any(OTHER_NAME in header for header in headers)
    assert not any(CLOUD_NAME in header for header in headers)
    row = table.locator("tr", has=page.locator("th", has_text=QUESTIONS["training-data"]))
    assert row.locator("td .no-reply").count() == 2
    deployment = table.locator("tr", has=page.locator("th", has_text=QUESTIONS["deployment-model"]))
    assert deployment.locator("td").all_inner_texts() == [OPTIONS["on-premises"]] * 2
    assert other.slug in page.url and tool.slug in page.url
