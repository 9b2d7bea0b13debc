"""URL table of discussions, field reports and agency use (/discussions/).

Verified officers and coordinators read; officers and coordinators take part in discussions;
only officers write field reports and declare agency use; coordinators moderate. Providers,
pending officers and anonymous visitors get nothing. Uses `page_tool` (a published tool of
provider A) from catalogue's url_expectations_review, built before this world."""

import datetime

from community.models import Connection
from discussions import services as discussions
from discussions.models import AgencyUse, FieldReport, Post, PostReport, Space, Subscription, Thread
from testkit import factories
from testkit.urltable import COORDINATOR_ONLY, COORDINATOR_POST, HUB, LOGIN, Expect, fresh, no_fields, same

OFFICER_ONLY = same(403, anonymous=LOGIN, verified_officer=200)
OFFICER_POST = same(403, anonymous=LOGIN, verified_officer=302)
HUB_POST = same(403, anonymous=LOGIN, verified_officer=302, coordinator=302)
# The author's own post or report: another reader is refused as if it did not exist.
AUTHOR_ONLY = same(403, anonymous=LOGIN, verified_officer=200, coordinator=404)
AUTHOR_POST = same(403, anonymous=LOGIN, verified_officer=302, coordinator=404)

REPORT = {
    "used_in": "2025-01",
    "context": "Triage of seized phones in a regional unit.",
    "data": "About 40,000 images per case.",
    "hurdles": "",
    "integration": "",
    "worked": "",
    "did_not_work": "",
    "attribution": FieldReport.Attribution.REGION,
}


def build_world(world):
    officer, coordinator = world.users["verified_officer"], world.users["coordinator"]
    topic = discussions.create_space(coordinator, slug="world-topic", names={"en": "World topic"}, descriptions={})
    world.objects["topic_space"] = topic
    world.objects["other_topic"] = discussions.create_space(
        coordinator, slug="world-other", names={"en": "Other topic"}, descriptions={}
    )
    world.objects["tool_space"] = discussions.ensure_tool_space(world.page_tool)
    thread = discussions.start_thread(officer, topic, title="Hash sets", body="Which hash sets do you load?")
    world.objects["thread"] = thread
    world.objects["first_post"] = thread.posts.get()
    world.objects["coordinator_post"] = discussions.reply(coordinator, thread, body="Please keep case details out.")
    world.objects["post_report"] = discussions.report_post(officer, world.coordinator_post, reason="Test report")
    world.objects["field_report"] = discussions.write_field_report(
        officer, world.page_tool, **{**REPORT, "used_in": datetime.date(2025, 1, 1)}
    )
    # Another officer's report, signed with their name: the verified officer may ask to contact them.
    colleague = factories.OfficerProfileFactory(verified=True).user
    world.objects["colleague_report"] = discussions.write_field_report(
        colleague,
        world.page_tool,
        **{**REPORT, "used_in": datetime.date(2025, 2, 1), "attribution": FieldReport.Attribution.NAME},
    )


def _space(w):
    return {"slug": w.topic_space.slug}


def _thread(w):
    return {"public_id": w.thread.public_id}


def _tool(w):
    return {"slug": w.page_tool.slug}


EXPECTATIONS = {
    "discussions:index": Expect(HUB),
    "discussions:reports": Expect(COORDINATOR_ONLY),
    "discussions:report_dismiss": Expect(
        COORDINATOR_POST,
        kwargs=lambda w: {"public_id": w.post_report.public_id},
        method="post",
        body=no_fields,
        effect=lambda w: fresh(w.post_report).outcome,
    ),
    "discussions:agency_use_counts": Expect(COORDINATOR_ONLY),
    "discussions:space_create": Expect(
        COORDINATOR_ONLY,
        body=lambda w: {"slug": "new-topic", "order": 5, "name_en": "New topic"},
        posted=COORDINATOR_POST,
        effect=lambda w: Space.objects.count(),
    ),
    "discussions:space": Expect(HUB, kwargs=_space),
    "discussions:space_edit": Expect(
        COORDINATOR_ONLY,
        kwargs=_space,
        body=lambda w: {"order": 3, "name_en": "Renamed topic", "name_fr": "Sujet renommé"},
        posted=COORDINATOR_POST,
        effect=lambda w: fresh(w.topic_space).names,
    ),
    "discussions:new_thread": Expect(
        HUB,
        kwargs=lambda w: {"public_id": w.topic_space.public_id},
        body=lambda w: {"title": "Offline tools", "body": "Which tools run without a network?"},
        posted=HUB_POST,
        effect=lambda w: Thread.objects.count(),
    ),
    "discussions:space_subscription": Expect(
        HUB_POST,
        kwargs=lambda w: {"public_id": w.topic_space.public_id},
        method="post",
        body=lambda w: {"subscribed": "1"},
        effect=lambda w: Subscription.objects.count(),
    ),
    "discussions:thread": Expect(HUB, kwargs=_thread),
    "discussions:reply": Expect(
        HUB_POST,
        kwargs=_thread,
        method="post",
        body=lambda w: {"body": "We load the national set first."},
        effect=lambda w: Post.objects.count(),
    ),
    "discussions:thread_subscription": Expect(
        HUB_POST,
        kwargs=_thread,
        method="post",
        body=lambda w: {"subscribed": "1"},
        effect=lambda w: Subscription.objects.count(),
    ),
    "discussions:thread_moderate": Expect(
        COORDINATOR_ONLY,
        kwargs=_thread,
        body=lambda w: {"action": "lock", "reason": "Off topic."},
        posted=COORDINATOR_POST,
        effect=lambda w: fresh(w.thread).is_locked,
    ),
    "discussions:post_edit": Expect(
        AUTHOR_ONLY,
        kwargs=lambda w: {"public_id": w.first_post.public_id},
        body=lambda w: {"body": "Which hash sets do you load first?"},
        posted=AUTHOR_POST,
        effect=lambda w: fresh(w.first_post).body,
    ),
    "discussions:post_report": Expect(
        HUB,
        kwargs=lambda w: {"public_id": w.first_post.public_id},
        body=lambda w: {"reason": "Names a suspect."},
        posted=HUB_POST,
        effect=lambda w: PostReport.objects.count(),
    ),
    "discussions:post_moderate": Expect(
        COORDINATOR_ONLY,
        kwargs=lambda w: {"public_id": w.first_post.public_id},
        body=lambda w: {"action": "hide", "reason": "Case details."},
        posted=COORDINATOR_POST,
        effect=lambda w: fresh(w.first_post).is_hidden,
    ),
    "discussions:tool_space": Expect(HUB, kwargs=_tool),
    "discussions:field_reports": Expect(HUB, kwargs=_tool),
    "discussions:field_report_new": Expect(
        OFFICER_ONLY,
        kwargs=_tool,
        body=lambda w: dict(REPORT),
        posted=OFFICER_POST,
        effect=lambda w: FieldReport.objects.count(),
    ),
    "discussions:agency_use": Expect(
        OFFICER_POST,
        kwargs=_tool,
        method="post",
        body=lambda w: {"uses": "1"},
        effect=lambda w: AgencyUse.objects.count(),
    ),
    "discussions:field_report_edit": Expect(
        same(403, anonymous=LOGIN, verified_officer=200),
        kwargs=lambda w: {"public_id": w.field_report.public_id},
        body=lambda w: {**REPORT, "context": "Triage of seized phones and laptops."},
        posted=OFFICER_POST,
        effect=lambda w: fresh(w.field_report).context,
    ),
    "discussions:field_report_withdraw": Expect(
        OFFICER_POST,
        kwargs=lambda w: {"public_id": w.field_report.public_id},
        method="post",
        body=no_fields,
        effect=lambda w: FieldReport.objects.filter(pk=w.field_report.pk).exists(),
    ),
    # A community contact request to the author; only officers who take part in the community.
    "discussions:field_report_contact": Expect(
        same(403, anonymous=LOGIN, verified_officer=200),
        kwargs=lambda w: {"public_id": w.colleague_report.public_id},
        body=lambda w: {"note": "I read your report on triage; could we talk about the integration?"},
        posted=same(403, anonymous=LOGIN, verified_officer=302),
        effect=lambda w: Connection.objects.filter(recipient=w.colleague_report.author).count(),
    ),
}
