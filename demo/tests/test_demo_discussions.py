"""The demo hub has discussions with a hidden post, field reports (one pseudonymous) and declared use."""

import pytest
from django.test import Client
from django.urls import reverse

from demo.discussions import HIDDEN_REASON, TRIAGE_TITLE
from demo.tests.test_demo_commands import debug, seed  # noqa: F401 - the fixture and the command runner
from discussions.models import AgencyUse, FieldReport, Post, PostReport, Thread
from testkit.personas import sign_in

pytestmark = pytest.mark.django_db


def test_demo_discussions_show_replies_a_hidden_post_reports_and_declarations(debug):  # noqa: F811
    seed()
    thread = Thread.objects.get(title=TRIAGE_TITLE)
    assert thread.posts.count() == 3 and thread.posts.filter(reply_to__isnull=False).exists()
    hidden = Post.objects.get(is_hidden=True)
    assert hidden.hidden_reason == HIDDEN_REASON
    assert PostReport.objects.filter(outcome=PostReport.Outcome.OPEN).count() == 1
    assert FieldReport.objects.filter(attribution=FieldReport.Attribution.REGION).count() == 1
    assert FieldReport.objects.count() == 3 and AgencyUse.objects.count() == 3
    assert all("Demo:" in text for text in Post.objects.values_list("body", flat=True))
    reader = FieldReport.objects.filter(attribution="name").first().author
    page = sign_in(Client(), reader).get(reverse("discussions:thread", args=[hidden.thread.public_id])).content
    assert "hidden by the coordinators" in page.decode()
