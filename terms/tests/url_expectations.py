from testkit.factories import TermsDocumentFactory
from testkit.urltable import COORDINATOR_ONLY, LOGIN, PUBLIC, Expect, same


def build_world(world):
    world.objects["terms_document"] = TermsDocumentFactory(audience="providers", version="9.9")
    # Everyone in the world has accepted what applies to them, so other pages are reachable.


EXPECTATIONS = {
    "terms:public_list": Expect(PUBLIC),
    "terms:public_detail": Expect(
        PUBLIC, kwargs=lambda w: {"audience": w.terms_document.audience, "version": w.terms_document.version}
    ),
    # Nothing pending: signed-in users are sent home.
    "terms:accept": Expect(same(302, anonymous=LOGIN)),
    # Provider admins with terms to accept see the page; everyone else is refused.
    "terms:accept_organisation": Expect(same(404, anonymous=LOGIN, provider_a=200, provider_b=200)),
    "terms:manage": Expect(COORDINATOR_ONLY),
}
