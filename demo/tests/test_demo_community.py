"""The demo shows Meet other officers: different listings, one officer not listed, requests, a conversation."""

import pytest
from django.core.management import call_command

from community.models import Connection, DirectoryProfile, Message
from community.selectors import DirectoryFilters, directory
from demo import data

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_community_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    listed = list(directory(DirectoryFilters()))
    assert len(listed) == 4
    choices = {tuple(getattr(p, f) for f in ("show_agency", "show_unit", "show_country", "show_tools")) for p in listed}
    assert len(choices) == 4  # every listed officer chose differently
    assert not DirectoryProfile.objects.filter(user__email=f"officer-ca@{data.DEMO_DOMAIN}").exists()
    states = sorted(Connection.objects.values_list("state", flat=True))
    assert states == ["accepted", "pending", "pending"]
    assert Message.objects.count() == 3 and all(m.body.startswith("Demo:") for m in Message.objects.all())
    call_command("seed_demo")
    assert Connection.objects.count() == 3 and Message.objects.count() == 3 and DirectoryProfile.objects.count() == 4
