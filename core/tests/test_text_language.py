"""Provider and coordinator text carries its own language on pages in another one; the 500 page
speaks the reader's language; one date format per language, in the reader's time zone."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import ToolState
from core import middleware as core_middleware
from core.templatetags import text_language
from moderation import services as moderation
from moderation.models import ReasonCode
from testkit import factories

EN_ATTRS = ' lang="en" dir="ltr"'
AR_ATTRS = ' lang="ar" dir="rtl"'


def render(source, **context):
    return Template(source).render(Context(context))


# --- the tag ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("page", "code", "expected"),
    [
        ("ar", "en", EN_ATTRS),
        ("en", "ar", AR_ATTRS),
        ("fr", "zh-hans", ' lang="zh-hans" dir="ltr"'),
        ("ar", "ar", ""),  # same language: the element inherits it from <html>
        ("en", "en", ""),
        ("ar", "", ""),  # unknown or missing: never claim a wrong language
        ("ar", "xx", ""),
        ("ar", None, ""),
    ],
)
def test_text_attrs_marks_text_only_when_its_language_differs(page, code, expected):
    with translation.override(page):
        assert render("<p{% text_attrs code %}>", code=code) == f"<p{expected}>"


def test_text_attrs_can_compare_with_a_documents_own_language():
    # A decision pack names its language itself, whatever the request's.
    with translation.override("en"):
        assert render("<p{% text_attrs 'en' page='ar' %}>") == f"<p{EN_ATTRS}>"
        assert render("<p{% text_attrs 'ar' page='ar' %}>") == "<p>"


# --- the tool page in Arabic ------------------------------------------------------------
@pytest.fixture
def tool_with_answer(db):
    version = factories.make_questionnaire("basics", [{"key": "purpose", "type": "long_text"}])
    tool = factories.ToolFactory(
        state=ToolState.PUBLISHED,
        published_at=timezone.now(),
        short_description="Finds servers.",
        long_description="Reads seized media.",
    )
    question = version.questions.get(key="purpose")
    factories.AnswerFactory(tool=tool, question=question, value="Triage of servers.")
    return tool


def arabic_page(signed_in, user, url):
    return signed_in(user).get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()


def test_provider_english_on_an_arabic_tool_page_is_marked_english(signed_in, verified_officer, tool_with_answer):
    html = arabic_page(signed_in, verified_officer, reverse("catalogue:tool_detail", args=[tool_with_answer.slug]))
    assert '<html lang="ar" dir="rtl">' in html
    assert f'<p class="tool-short"{EN_ATTRS}>Finds servers.</p>' in html
    assert f'<div class="tool-long"{EN_ATTRS}>' in html
    # The answer is in English; the page's note about it is in Arabic again.
    answer = html.split("Triage of servers.")[0].rsplit("<dd", 1)[1]
    assert answer.startswith(EN_ATTRS)
    assert '<p class="help original-language" lang="ar" dir="rtl">' in html


def test_control_provider_text_in_the_page_language_is_not_marked(signed_in, verified_officer, tool_with_answer):
    # The same tool written in Arabic, read in Arabic: nothing to mark.
    tool_with_answer.text_language = "ar"
    tool_with_answer.save(update_fields=["text_language"])
    html = arabic_page(signed_in, verified_officer, reverse("catalogue:tool_detail", args=[tool_with_answer.slug]))
    assert '<p class="tool-short">Finds servers.</p>' in html
    assert EN_ATTRS not in html.split('id="main"')[1]


def test_control_without_the_tag_the_text_inherits_arabic(signed_in, verified_officer, tool_with_answer, monkeypatch):
    # Break the mechanism on purpose: the English description then reads as Arabic.
    monkeypatch.setattr(text_language, "known_language", lambda code: "")
    html = arabic_page(signed_in, verified_officer, reverse("catalogue:tool_detail", args=[tool_with_answer.slug]))
    assert f'<p class="tool-short"{EN_ATTRS}>' not in html and '<p class="tool-short">Finds servers.</p>' in html


def test_catalogue_cards_and_compare_cells_carry_the_providers_language(signed_in, verified_officer, tool_with_answer):
    client = signed_in(verified_officer)
    cards = client.get(reverse("discovery:catalogue"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert f'<p class="tool-card-description"{EN_ATTRS}>Finds servers.</p>' in cards
    compare = client.get(
        reverse("discovery:compare"), {"tools": [tool_with_answer.slug]}, HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()
    assert f"<td{EN_ATTRS}>Triage of servers.</td>" in compare


def test_notice_texts_carry_the_language_they_were_written_in(signed_in, verified_officer):
    notice = factories.NoticeFactory(language="en")
    html = signed_in(verified_officer).get(reverse("moderation:notices"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert f'<div class="notice-text"{EN_ATTRS}><p>{notice.summary}</p></div>' in html
    notice.language = "ar"
    notice.save(update_fields=["language"])
    html = signed_in(verified_officer).get(reverse("moderation:notices"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert f'<div class="notice-text"><p>{notice.summary}</p></div>' in html


def test_a_coordinators_decision_records_the_language_they_worked_in(db, coordinator):
    tool = factories.ToolFactory(state=ToolState.PUBLISHED, published_at=timezone.now())
    with translation.override("fr"):
        notice = moderation.suspend_tool(
            tool,
            by=coordinator,
            reason_code=ReasonCode.MISLEADING_INFORMATION,
            summary="Résumé.",
            officer_guidance="Conseils.",
            provider_guidance="Mesures.",
            expected_version=tool.version,
        )
    assert notice.language == "fr"


# --- the 500 page -----------------------------------------------------------------------
def broken(self, request):
    raise RuntimeError("a bug")


@pytest.mark.parametrize(
    ("language", "expected"), [("ar", '<html lang="ar" dir="rtl">'), ("fr", '<html lang="fr" dir="ltr">')]
)
def test_the_500_page_speaks_the_readers_language(db, monkeypatch, language, expected):
    monkeypatch.setattr(core_middleware.PermissionsPolicyMiddleware, "__call__", broken)
    response = Client(raise_request_exception=False).get(reverse("core:health"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 500
    assert expected in response.content.decode()


# --- dates ------------------------------------------------------------------------------
MOMENT = datetime(2026, 3, 7, 23, 30, tzinfo=UTC)
EXPECTED_DATES = {
    "en": "March 7, 2026",
    "fr": "7 mars 2026",
    "es": "7 de marzo de 2026",
    "ru": "7 марта 2026 г.",
    "zh-hans": "2026年3月7日",
    "ar": "7 مارس، 2026",
}


@pytest.mark.parametrize(("language", "expected"), sorted(EXPECTED_DATES.items()))
def test_the_same_date_reads_in_each_languages_format(language, expected):
    with translation.override(language), timezone.override(UTC):
        assert render("{{ d|local_date }}", d=MOMENT) == expected
        assert render("{{ d|local_date }}", d=date(2026, 3, 7)) == expected
        # A moment starts with exactly the same date.
        assert render("{{ d|local_datetime }}", d=MOMENT).startswith(expected + " ")


def test_dates_follow_the_readers_time_zone(signed_in, verified_officer, tool_with_answer):
    tool_with_answer.updated_at = MOMENT
    tool_with_answer.published_at = MOMENT
    tool_with_answer.save(update_fields=["updated_at", "published_at"])
    url = reverse("catalogue:tool_detail", args=[tool_with_answer.slug])
    client = signed_in(verified_officer)
    assert "Last updated March 7, 2026" in client.get(url).content.decode()
    # 23:30 UTC is already the next day in Tokyo.
    verified_officer.time_zone = "Asia/Tokyo"
    verified_officer.save(update_fields=["time_zone"])
    assert "Last updated March 8, 2026" in client.get(url).content.decode()
    assert "8 mars 2026" in client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_no_template_formats_dates_its_own_way():
    # Every date on a page goes through local_date / local_datetime (machine-readable 'c' and
    # a month or a time of day alone, a link's query aside), so one language reads one format everywhere.
    root = Path(__file__).resolve().parents[2]
    odd = []
    for path in root.glob("*/templates/**/*.html"):
        for match in re.finditer(r"\|date:([\"'])(.*?)\1", path.read_text(encoding="utf-8")):
            if match.group(2) not in ("c", "YEAR_MONTH_FORMAT", "TIME_FORMAT", "Y-m-d"):
                odd.append(f"{path.relative_to(root)}: {match.group(0)}")
    assert not odd, odd
