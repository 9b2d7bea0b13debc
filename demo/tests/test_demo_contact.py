"""The demo shows the contact point (an answered question, one waiting) and requests to providers
(one answered, sharing agency and country; one sharing nothing), once."""

import pytest
from django.core.management import call_command

from contact.models import Conversation, Post
from demo import data
from enquiries.models import Enquiry, EnquiryMessage

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_contact_point_conversations_and_requests_to_providers_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    awaiting = dict(Conversation.objects.values_list("author__email", "awaiting"))
    assert awaiting == {
        f"applicant@{data.ALLOWLISTED_DOMAIN}": Conversation.Awaiting.AUTHOR,
        "admin@harbourline.demo.invalid": Conversation.Awaiting.COORDINATORS,
    }
    trial = Enquiry.objects.get(officer__email=f"officer@{data.DEMO_DOMAIN}")
    assert (trial.kind, trial.shared_name, trial.shared_email) == ("trial", "", "")
    assert trial.shared_agency and trial.shared_country
    assert trial.organisation.name == data.ORGANISATIONS[0].name
    assert Enquiry.objects.get(officer__email=f"officer-ke@{data.DEMO_DOMAIN}").shared_agency == ""
    assert all(m.body.startswith("Demo:") for m in [*EnquiryMessage.objects.all(), *Post.objects.all()])
    counts = (
        Conversation.objects.count(),
        Post.objects.count(),
        Enquiry.objects.count(),
        EnquiryMessage.objects.count(),
    )
    assert counts == (2, 3, 2, 3)
    call_command("seed_demo")
    assert (
        Conversation.objects.count(),
        Post.objects.count(),
        Enquiry.objects.count(),
        EnquiryMessage.objects.count(),
    ) == counts
