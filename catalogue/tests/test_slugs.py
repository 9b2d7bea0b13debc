"""A new tool's slug tells nobody anything about other organisations' tools (issue 13 hole 6)."""

import re

import pytest

from catalogue import services
from testkit import factories

pytestmark = pytest.mark.django_db

SHAPE = re.compile(r"^lighthouse-triage-[0-9a-f]{6}$")


def create(organisation, name="Lighthouse Triage"):
    member = factories.MembershipFactory(organisation=organisation).user
    return services.create_tool(organisation, by=member, data={"name": name, "short_description": "Sorts images."})


def test_a_slug_has_the_same_shape_whether_or_not_another_organisation_has_a_draft_of_that_name():
    first = create(factories.OrganisationFactory(status="approved"))
    second = create(factories.OrganisationFactory(status="approved"))
    assert SHAPE.match(first.slug) and SHAPE.match(second.slug), (first.slug, second.slug)
    assert first.slug != second.slug


def test_control_a_slug_numbered_by_collision_gives_the_other_draft_away(monkeypatch):
    def numbered(name):  # the old rule: the bare name, "-2" when taken
        base = "lighthouse-triage"
        return base if not services.Tool.objects.filter(slug=base).exists() else f"{base}-2"

    monkeypatch.setattr(services, "new_slug", numbered)
    create(factories.OrganisationFactory(status="approved"))
    second = create(factories.OrganisationFactory(status="approved"))
    assert not SHAPE.match(second.slug) and second.slug.endswith("-2")


def test_reserved_words_and_empty_names_still_get_a_usable_slug():
    organisation = factories.OrganisationFactory(status="approved")
    assert re.match(r"^compare-[0-9a-f]{6}$", create(organisation, "Compare").slug)
    assert re.match(r"^tool-[0-9a-f]{6}$", create(organisation, "!!!").slug)
