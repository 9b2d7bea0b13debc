"""Decision forms group each outcome's own fields under it, and only a suspension or removal
turns the submit button red (static/css/app.css, no script)."""

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from accounts.forms import VettingDecisionForm
from catalogue.review_forms import ToolDecisionForm
from concerns.forms import DecideForm
from moderation.forms import DecisionForm
from moderation.models import NoticeAction

ROOT = Path(__file__).resolve().parents[2]
CSS = (ROOT / "static" / "css" / "app.css").read_text(encoding="utf-8")


def fieldsets(html) -> dict[str, str]:
    """{classes of the group: its HTML}."""
    return dict(re.findall(r'<fieldset class="form-section outcome-group ([^"]+)">(.*?)</fieldset>', html, re.S))


def rendered(form):
    return render_to_string("includes/outcome_fields.html", {"form": form})


def danger_values(html) -> set[str]:
    return {
        re.search(r'value="([^"]+)"', tag).group(1) for tag in re.findall(r"<input[^>]*>", html) if "data-danger" in tag
    }


def test_moderation_decision_groups_the_providers_guidance_under_suspension_and_removal():
    html = rendered(DecisionForm(allowed_actions=[NoticeAction.SUSPENDED, NoticeAction.REMOVED]))
    groups = fieldsets(html)
    assert list(groups) == ["for-suspended for-removed"]
    assert 'name="provider_guidance"' in groups["for-suspended for-removed"]
    # Fields every decision needs stay outside the groups, always shown.
    outside = re.sub(r"<fieldset.*?</fieldset>", "", html, flags=re.S)
    assert 'name="summary"' in outside and 'name="officer_guidance"' in outside
    assert danger_values(html) == {"suspended", "removed"}


def test_a_reinstatement_offers_no_group_and_no_danger():
    html = rendered(DecisionForm(allowed_actions=[NoticeAction.REINSTATED]))
    assert fieldsets(html) == {} and danger_values(html) == set()


def test_concern_decision_groups_fields_by_outcome():
    html = rendered(DecideForm(outcomes=None))
    groups = fieldsets(html)
    assert set(groups) == {"for-provider_asked", "for-suspension for-removal"}
    assert 'name="provider_request"' in groups["for-provider_asked"]
    for name in ("reason_code", "summary", "officer_guidance", "provider_guidance"):
        assert f'name="{name}"' in groups["for-suspension for-removal"]
    assert danger_values(html) == {"suspension", "removal"}


def test_review_and_vetting_decisions_group_fields_and_are_never_red():
    review = rendered(ToolDecisionForm())
    groups = fieldsets(review)
    assert (
        'name="no_advertising"' in groups["for-publish"]
        and 'name="comment"' in groups["for-request_changes for-reject"]
    )
    vetting = rendered(VettingDecisionForm())
    assert 'name="reason"' in fieldsets(vetting)["for-reject"]
    assert danger_values(review) == danger_values(vetting) == set()


def uncovered(css: str, forms) -> set[str]:
    """Outcome values a form groups fields for that the stylesheet never reveals."""
    values = {outcome for form in forms for group in form.outcome_layout()["groups"] for outcome in group["outcomes"]}
    return {value for value in values if f'input[value="{value}"]:checked) .outcome-group.for-{value}' not in css}


FORMS = [
    DecisionForm(allowed_actions=list(NoticeAction)),
    DecideForm(),
    ToolDecisionForm(),
    VettingDecisionForm(),
]


def test_the_stylesheet_reveals_the_group_of_every_outcome():
    assert uncovered(CSS, FORMS) == set()
    assert ".outcome-form:has(.outcome-choice input[data-danger]:checked) .outcome-submit" in CSS


def test_control_a_forgotten_outcome_is_caught():
    broken = CSS.replace('input[value="removal"]:checked) .outcome-group.for-removal', "")
    assert uncovered(broken, FORMS) == {"removal"}


@pytest.mark.parametrize(
    "template",
    [
        "moderation/templates/moderation/decide.html",
        "concerns/templates/concerns/detail.html",
        "catalogue/templates/catalogue/review/detail.html",
        "accounts/templates/accounts/vetting_detail.html",
    ],
)
def test_decision_pages_use_the_grouped_layout_and_a_neutral_button(template):
    source = (ROOT / template).read_text(encoding="utf-8")
    assert 'class="outcome-form"' in source and "includes/outcome_fields.html" in source
    assert 'class="outcome-submit"' in source and "button-danger" not in source
