"""Demo discussions, field reports and agency-use declarations (issue 11), in the project's own
words and marked "Demo:". Written through the discussions services, so audit events, inbox
entries and moderation reasons are real. Idempotent: skipped when the demo threads exist."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from catalogue.models import Tool, ToolState
from discussions import services as discussions
from discussions.models import FieldReport, Post, Space, Thread
from discussions.topics import WELLBEING
from questionnaires.selectors import workflow_steps

from . import data

TRIAGE_TITLE = "Demo: keeping the triage queue short after a large seizure"
WELLBEING_TITLE = "Demo: how does your unit organise breaks from media review?"
TOOL_TITLE = "Demo: first weeks with this tool on an air-gapped workstation"
HIDDEN_REASON = "Demo: this post named a real-looking person and place. Please describe cases only in general terms."


def _officers() -> list[User]:
    emails = [spec.email for spec in data.OFFICERS if spec.status == data.VERIFIED_OFFICER]
    by_email = {user.email: user for user in User.objects.filter(email__in=emails)}
    return [by_email[email] for email in emails if email in by_email]


def _published_demo_tools() -> list[Tool]:
    return list(
        Tool.objects.filter(organisation__is_demo=True, state=ToolState.PUBLISHED, revision_of__isnull=True).order_by(
            "slug"
        )[:3]
    )


def seed_discussions(coordinator: User) -> None:
    discussions.ensure_topic_spaces(workflow_steps())
    if Thread.objects.filter(title=TRIAGE_TITLE).exists():
        return
    officers = _officers()
    tools = _published_demo_tools()
    if len(officers) < 4 or not tools:
        return
    amina, wanjiru, rafael, maria = officers[:4]
    with transaction.atomic():
        _threads(coordinator, amina, wanjiru, rafael, maria, tools[0])
        _field_reports(amina, wanjiru, rafael, tools)
        for officer, tool in ((amina, tools[0]), (wanjiru, tools[0]), (rafael, tools[-1])):
            discussions.set_agency_use(officer, tool, uses=True)


def _threads(coordinator, amina, wanjiru, rafael, maria, tool) -> None:
    triage = Space.objects.filter(slug="triage").first() or Space.objects.filter(kind=Space.Kind.TOPIC).first()
    thread = discussions.start_thread(
        amina,
        triage,
        title=TRIAGE_TITLE,
        body=(
            "Demo: after a seizure of several terabytes our queue grew to weeks. We now run known-hash matching "
            "first and review only what is left. **What do you run first?**"
        ),
    )
    first = thread.posts.get()
    discussions.reply(
        wanjiru,
        thread,
        body=(
            "> Demo: We now run known-hash matching first\n\n"
            "Demo: same here, then a scene classifier to put likely first-hand material at the top."
        ),
        reply_to=first,
    )
    discussions.reply(rafael, thread, body="Demo: we also split the queue by device, so that phones come first.")
    discussions.set_subscription(amina, subscribed=True, thread=thread)

    wellbeing = Space.objects.get(slug=WELLBEING)
    care = discussions.start_thread(
        maria,
        wellbeing,
        title=WELLBEING_TITLE,
        body="Demo: we agreed on a 10-minute break every hour of review and a monthly talk with a counsellor.",
    )
    discussions.reply(wanjiru, care, body="Demo: we mute the sound by default and switch to greyscale for triage.")
    hidden = discussions.reply(
        rafael,
        care,
        body="Demo: this post stands for one that named a person and a place; the coordinators hid it.",
    )
    discussions.report_post(maria, hidden, reason="Demo: it names a person and a place.")
    discussions.hide_post(coordinator, hidden, reason=HIDDEN_REASON)
    open_one = discussions.reply(amina, care, body="Demo: does anyone have a written policy they could share?")
    discussions.report_post(wanjiru, open_one, reason="Demo: a report left open for the coordinators' queue.")
    # The demo keeps these posts old enough that the 30-minute edit window has closed.
    Post.objects.filter(thread__in=[thread, care]).update(created_at=timezone.now() - datetime.timedelta(days=2))

    space = discussions.ensure_tool_space(tool)
    discussions.start_thread(
        wanjiru,
        space,
        title=TOOL_TITLE,
        body="Demo: installation offline took a day; updates come on signed media every month.",
    )


def _field_reports(amina, wanjiru, rafael, tools) -> None:
    today = timezone.localdate().replace(day=1)
    month = (today - datetime.timedelta(days=70)).replace(day=1)
    discussions.write_field_report(
        amina,
        tools[0],
        attribution=FieldReport.Attribution.NAME,
        used_in=month,
        context="Demo: triage of seized phones in a unit of six investigators.",
        data="Demo: images and videos, about 50,000 files per case.",
        hurdles="Demo: the licence needed approval from our national procurement office (three months).",
        integration="Demo: two days to connect it to our forensic suite's export folder.",
        worked="Demo: duplicates removed reliably; the review queue was a third shorter.",
        did_not_work="Demo: videos longer than an hour had to be split by hand.",
    )
    discussions.write_field_report(
        wanjiru,
        tools[0],
        attribution=FieldReport.Attribution.REGION,
        used_in=today,
        context="Demo: a pilot on closed cases before any live use.",
        data="Demo: about 5,000 images from three closed cases.",
        hurdles="Demo: a data-protection review before the pilot.",
        integration="Demo: the provider's installer worked offline.",
        worked="Demo: the interface was easy to learn in one afternoon.",
        did_not_work="Demo: the interface is not yet available in Swahili.",
    )
    if len(tools) > 1:
        discussions.write_field_report(
            rafael,
            tools[1],
            attribution=FieldReport.Attribution.NAME,
            used_in=month,
            context="Demo: open-source research for offender identification.",
            data="Demo: public profile pages, a few hundred per case.",
            worked="Demo: saved searches across several platforms at once.",
            did_not_work="Demo: exports lacked the capture time of each page.",
        )
