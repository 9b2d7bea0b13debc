from datetime import timedelta

from django.utils import timezone

from terms import services
from testkit.factories import TermsDocumentFactory
from testkit.urltable import COORDINATOR_ONLY, LOGIN, PUBLIC, Expect, same


def build_world(world):
    document = TermsDocumentFactory(audience="providers", version="9.9")
    world.objects["terms_document"] = document
    # Provider A's organisation accepted the current provider terms, so its work pages are
    # reachable; provider B's has not, so they are refused (rule "organisation.work").
    # Everyone else has accepted what applies to them.
    provider_a = world.users["provider_a"]
    services.accept(provider_a, document, organisation=provider_a.membership.organisation)
    # A later version, published but not in force yet: its changes page and its acceptance
    # report exist, and nobody is asked to accept it.
    world.objects["next_terms_document"] = TermsDocumentFactory(
        audience="providers",
        version="10.0",
        body="Demo text for tests.\nA new line.",
        summary="A line was added.",
        effective_from=timezone.now().date() + timedelta(days=30),
    )


def _version(document_name):
    return lambda w: {"audience": w.objects[document_name].audience, "version": w.objects[document_name].version}


EXPECTATIONS = {
    "terms:public_list": Expect(PUBLIC),
    "terms:public_detail": Expect(
        PUBLIC, kwargs=lambda w: {"audience": w.terms_document.audience, "version": w.terms_document.version}
    ),
    # Nothing pending: signed-in users are sent home.
    "terms:accept": Expect(same(302, anonymous=LOGIN)),
    # Provider admins with terms to accept see the page; provider A, whose organisation has
    # accepted them, is sent home; everyone else is refused.
    "terms:accept_organisation": Expect(same(404, anonymous=LOGIN, provider_a=302, provider_b=200)),
    "terms:manage": Expect(COORDINATOR_ONLY),
    # Upcoming versions and their changes are readable by anyone, like the terms in force.
    "terms:changes": Expect(PUBLIC, kwargs=_version("next_terms_document")),
    # Who accepted a version names officers: coordinators only, after confirming their password.
    "terms:acceptances": Expect(COORDINATOR_ONLY, kwargs=_version("terms_document"), confirmed=True),
    "terms:acceptances_csv": Expect(COORDINATOR_ONLY, kwargs=_version("next_terms_document"), confirmed=True),
}
