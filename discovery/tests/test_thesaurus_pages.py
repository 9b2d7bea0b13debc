"""Coordinators keep the search thesaurus; officers and providers may not; every change audited."""

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from catalogue.services import RESERVED_SLUGS
from discovery import search
from discovery.models import Concept, Term

from .test_search_helpers import make_questionnaires, tool_with

pytestmark = pytest.mark.django_db

LIST = reverse("discovery:thesaurus")
ADD = reverse("discovery:thesaurus_add")


def found(q):
    return {result.slug for result in search.search({}, seed="s:2026-01-01", q=q)}


def test_officers_and_providers_get_403(signed_in, verified_officer, provider_member):
    concept = Concept.objects.first()
    for user in (verified_officer, provider_member):
        client = signed_in(user)
        for url in (LIST, ADD, reverse("discovery:thesaurus_edit", args=[concept.pk])):
            assert client.get(url).status_code == 403
        assert client.post(ADD, {"en": "a\nb"}).status_code == 403
        assert client.post(reverse("discovery:thesaurus_delete", args=[concept.pk])).status_code == 403
    assert Concept.objects.filter(pk=concept.pk).exists()


def test_the_list_shows_every_concept_in_six_columns_in_few_queries(
    signed_in, coordinator, django_assert_max_num_queries
):
    client = signed_in(coordinator)
    with django_assert_max_num_queries(12):
        html = client.get(LIST).content.decode()
    assert "CSAM" in html and "儿童性虐待材料" in html and 'lang="ar" dir="rtl"' in html
    assert reverse("discovery:thesaurus") in client.get(reverse("home:home")).content.decode()  # in the navigation


def test_add_edit_delete_a_concept_changes_search_and_is_audited(signed_in, coordinator):
    tools_form, _rai = make_questionnaires()
    tool = tool_with(tools_form, {}, name="Lingo", short_description="Reads a pidgin lexicon.")
    client = signed_in(coordinator)
    assert found("creole") == set()

    response = client.post(ADD, {"en": "creole\n", "fr": "créole", "es": "pidgin"})
    assert response.status_code == 302
    concept = Concept.objects.get(terms__text="créole")
    assert found("creole") == {tool.slug}
    event = AuditEvent.objects.get(action=Action.THESAURUS_CONCEPT_ADDED)
    assert event.after["terms"]["es"] == ["pidgin"]

    edit = reverse("discovery:thesaurus_edit", args=[concept.pk])
    assert "pidgin" in client.get(edit).content.decode()
    assert client.post(edit, {"en": "creole", "fr": "créole"}).status_code == 302
    assert set(Term.objects.filter(concept=concept).values_list("text", flat=True)) == {"creole", "créole"}
    assert found("creole") == set()
    assert AuditEvent.objects.filter(action=Action.THESAURUS_CONCEPT_CHANGED).count() == 1

    assert client.post(reverse("discovery:thesaurus_delete", args=[concept.pk])).status_code == 302
    assert not Concept.objects.filter(pk=concept.pk).exists()
    assert AuditEvent.objects.get(action=Action.THESAURUS_CONCEPT_DELETED).before["terms"]["en"] == ["creole"]


def test_bad_input_is_refused_with_a_message_and_kept(signed_in, coordinator):
    client = signed_in(coordinator)
    response = client.post(ADD, {"en": "lonely term"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "at least two terms" in html and "lonely term" in html
    response = client.post(ADD, {"en": "ok", "fr": "!!!"})
    assert response.status_code == 400 and "no letters or digits" in response.content.decode()
    assert not Concept.objects.filter(terms__text="ok").exists()
    assert client.get(reverse("discovery:thesaurus_edit", args=[999999])).status_code == 404


def test_thesaurus_is_a_reserved_tool_slug():
    # /tools/<slug>/ is a tool's page: no tool may be called "thesaurus".
    assert "thesaurus" in RESERVED_SLUGS
