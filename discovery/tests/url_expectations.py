"""URL table for the catalogue's search, comparison and exposure report."""

from django.contrib.sessions.models import Session

from discovery.compare import TRAY_KEY
from discovery.models import Concept, Term
from testkit.urltable import COORDINATOR_ONLY, COORDINATOR_POST, HUB, LOGIN, Expect, same

EXPECTATIONS: dict = {}


def build_world(world):
    concept = Concept.objects.create()
    Term.objects.create(concept=concept, language="en", text="table concept")
    Term.objects.create(concept=concept, language="fr", text="concept de table")
    world.objects["thesaurus_concept"] = concept


def _concept(world):
    return {"pk": world.thesaurus_concept.pk}


# --- the catalogue, comparison and exposure report (search part) -----------------------
# Without `?tools=` the comparison page explains how to choose tools; its CSV needs tools (400).
EXPECTATIONS.update(
    {
        "discovery:catalogue": Expect(HUB),
        "discovery:compare": Expect(HUB),
        "discovery:compare_csv": Expect(same(403, anonymous=LOGIN, verified_officer=400, coordinator=400)),
        "discovery:exposure_report": Expect(COORDINATOR_ONLY),
        # The selection tray lives in the session: its effect is the trays stored there.
        "discovery:compare_tray": Expect(
            same(403, anonymous=LOGIN, verified_officer=302, coordinator=302),
            method="post",
            body=lambda w: {"action": "set", "tools": w.page_tool.slug},
            effect=lambda w: sorted(str(s.get_decoded().get(TRAY_KEY)) for s in Session.objects.all()),
        ),
    }
)

# --- the search thesaurus: coordinators only -------------------------------------------------
EXPECTATIONS.update(
    {
        "discovery:thesaurus": Expect(COORDINATOR_ONLY),
        "discovery:thesaurus_add": Expect(COORDINATOR_ONLY),
        "discovery:thesaurus_edit": Expect(COORDINATOR_ONLY, kwargs=_concept),
        "discovery:thesaurus_delete": Expect(
            COORDINATOR_POST,
            kwargs=_concept,
            method="post",
            body=lambda w: {},
            effect=lambda w: Concept.objects.filter(pk=w.thesaurus_concept.pk).exists(),
        ),
    }
)
