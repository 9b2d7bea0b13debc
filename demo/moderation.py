"""Demo data for keeping the catalogue honest: published versions, a suspended and a removed
tool with their notices, a pending update request and entries overdue for confirmation.

Idempotent: each part is skipped when the demo hub already has it. Decisions go through the
same service functions as the pages, so notices, inbox entries and audit records are real.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from catalogue import history, services, updates
from catalogue.models import Tool, ToolState
from following.models import Follow
from moderation.models import Notice, ReasonCode
from moderation.services import remove_tool, suspend_tool

from . import data

SUSPENDED_SUMMARY = (
    "Demo: a concern about the accuracy figures published for this tool is being assessed with its provider."
)
SUSPENDED_OFFICER_GUIDANCE = (
    "Demo: if you already use this tool, do not rely on its published accuracy figures until the assessment "
    "ends; keep a human review of every result."
)
SUSPENDED_PROVIDER_GUIDANCE = (
    "Demo: publish the test set and method behind the accuracy figures, or correct them, and reply to this notice."
)
REMOVED_SUMMARY = "Demo: the provider did not keep its entry accurate after repeated requests."
REMOVED_OFFICER_GUIDANCE = (
    "Demo: the information about this tool could not be kept current; check its claims with the provider directly "
    "before any further use."
)
REMOVED_PROVIDER_GUIDANCE = "Demo: a corrected entry may be submitted again as a new tool once it is accurate."


def _demo_published(exclude=()):
    return Tool.objects.filter(organisation__is_demo=True, state=ToolState.PUBLISHED, revision_of__isnull=True).exclude(
        pk__in=[tool.pk for tool in exclude]
    )


def _record_first_versions() -> None:
    """Published demo tools get their first published version (the change history starts there)."""
    for tool in _demo_published().filter(versions__isnull=True):
        history.ensure_first_version(tool)


def _main_demo_tools() -> list[Tool]:
    """Tools of the organisation the demo provider accounts sign in to, so they see the notices."""
    first = data.ORGANISATIONS[0]
    return list(_demo_published().filter(organisation__name=first.name).order_by("slug"))


def seed_moderation(coordinator: User) -> None:
    if Notice.objects.filter(tool__organisation__is_demo=True).exists():
        return
    with transaction.atomic():
        _record_first_versions()
        own = _main_demo_tools()
        others = list(_demo_published(exclude=own).order_by("slug")[:4])
        candidates = own + others
        if len(candidates) < 3:
            return
        to_suspend, to_remove, to_update = candidates[0], others[0], candidates[1]
        officer = User.objects.filter(email__iexact=data.OFFICERS[0].email).first()
        if officer is not None:
            # The demo officer follows the suspended tool and the updated one: their inbox shows both.
            for tool in (to_suspend, to_update):
                Follow.objects.get_or_create(user=officer, tool=tool)

        suspend_tool(
            to_suspend,
            by=coordinator,
            reason_code=ReasonCode.MISLEADING_INFORMATION,
            summary=SUSPENDED_SUMMARY,
            officer_guidance=SUSPENDED_OFFICER_GUIDANCE,
            provider_guidance=SUSPENDED_PROVIDER_GUIDANCE,
            expected_version=to_suspend.version,
        )
        remove_tool(
            to_remove,
            by=coordinator,
            reason_code=ReasonCode.OUTDATED_INFORMATION,
            summary=REMOVED_SUMMARY,
            officer_guidance=REMOVED_OFFICER_GUIDANCE,
            provider_guidance=REMOVED_PROVIDER_GUIDANCE,
            expected_version=to_remove.version,
        )

        # A pending update request: the provider rewrote the short description.
        member = User.objects.filter(membership__organisation_id=to_update.organisation_id).order_by("pk").first()
        if member is not None:
            # A fixed slug keeps the demo data the same on every fresh start.
            revision = updates.start_update(to_update, by=member, slug=f"{to_update.slug[:60]}-update-demo")
            services.update_tool(
                revision,
                by=member,
                data={"short_description": f"{to_update.short_description} Now also reads archived case files."},
            )
            try:
                services.submit_tool(revision, by=member)
            except services.MissingRequiredAnswers:
                pass  # questionnaires newer than the demo answers: the request stays a draft

        # A few entries whose providers have not confirmed them for longer than the interval.
        long_ago = timezone.now() - updates.confirmation_interval() - datetime.timedelta(days=21)
        overdue = [tool.pk for tool in others[1:4]]
        Tool.objects.filter(pk__in=overdue).update(last_confirmed_at=long_ago)
