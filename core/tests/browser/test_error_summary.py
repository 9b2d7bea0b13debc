"""A refused form's page opens on its error summary, in a real browser (issue 8).

A coordinator publishes a submitted tool without ticking the checklist: the page must not
reload at its top with the error far below, but open with the summary focused and in view,
and its link must take the keyboard to the checklist.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalogue.models import ToolState
from questionnaires.models import Question
from testkit import factories

from .test_journeys import reauthenticate_if_asked, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submitted_tool_with_a_long_entry():
    """A submitted tool whose entry is long enough to push the decision form far down the page."""
    version = factories.make_questionnaire(
        "tools-form", [{"key": f"question-{n}", "type": Question.Type.LONG_TEXT} for n in range(30)]
    )
    tool = factories.ToolFactory(
        name="Harbour Scanner", state=ToolState.SUBMITTED, submitted_at=timezone.now() - timedelta(days=2)
    )
    for question in version.questions.all():
        factories.AnswerFactory(tool=tool, question=question, value="A long answer.\n" * 8)
    return tool


def test_publishing_with_the_checklist_unticked_opens_on_the_focused_summary(new_page, totp):
    tool = submitted_tool_with_a_long_entry()
    coordinator = factories.CoordinatorFactory()
    secret = factories.add_totp(coordinator)

    def code():
        return totp.code(secret)

    page = new_page(viewport={"width": 1024, "height": 700})
    sign_in(page, coordinator.email, factories.DEFAULT_PASSWORD, code)
    page.goto(f"/tools/review/{tool.slug}/")
    # A comment typed under "Request changes", then "Publish" chosen: the comment still travels.
    page.check("input[name=decision][value=request_changes]")
    page.fill("textarea[name=comment]", "Looks right.")
    page.check("input[name=decision][value=publish]")
    page.check("input[name=no_advertising]")
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_load_state()
    # allauth answers the resumed decision in place of the re-authentication page.
    reauthenticate_if_asked(page, factories.DEFAULT_PASSWORD, code)
    page.wait_for_selector(".error-summary")
    page.wait_for_function("document.activeElement && document.activeElement.matches('.error-summary')")

    summary = page.locator(".error-summary")
    assert "Tick every item of the checklist before publishing." in summary.inner_text()
    box = page.evaluate(
        "() => { const r = document.querySelector('.error-summary').getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, height: innerHeight, scroll: scrollY,"
        " page: document.documentElement.scrollHeight}; }"
    )
    assert box["page"] > 3 * box["height"]  # the decision form is far below the summary
    assert box["top"] >= 0 and box["bottom"] <= box["height"]  # the summary is in view
    assert box["top"] < box["height"] / 2  # near the top of the window

    summary.get_by_role("link").click()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_answers_plausible'")
    in_view = page.evaluate(
        "() => { const r = document.activeElement.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= innerHeight; }"
    )
    assert in_view
    # Its label is in view too, with room above it (the field is not glued to the window's edge).
    label_top = page.evaluate(
        "() => document.querySelector('label[for=id_answers_plausible]').getBoundingClientRect().top"
    )
    assert label_top > 40
    assert page.input_value("textarea[name=comment]") == "Looks right."  # what was typed is kept
