"""The cached criteria block of the catalogue never outlives a questionnaire publication
(issue 13 hole 8): a request that spans a publication draws its criteria from the versions it
read at its start, and must store them under those versions, not under the new ones."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language

from discovery import criteria_block, search
from questionnaires import services as questionnaire_services
from questionnaires.models import Option, Questionnaire
from questionnaires.selectors import current_versions, generation

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("discovery:catalogue")
CANARY = "Pictures-canary-label"


def publish_a_new_criterion_label(coordinator):
    questionnaire = Questionnaire.objects.get(key="tools-form")
    draft = questionnaire_services.copy_as_draft(questionnaire, by=coordinator)
    option = Option.objects.filter(question__version=draft, question__is_criterion=True).order_by("pk").first()
    questionnaire_services.update_option(option, by=coordinator, value=option.value, labels={"en": CANARY})
    questionnaire_services.publish(draft, by=coordinator)


def browse_across_a_publication(client, coordinator, monkeypatch) -> str:
    cache.clear()
    assert client.get(CATALOGUE).status_code == 200  # the block is cached, as on any busy day
    real_search = search.search

    def search_while_a_coordinator_publishes(*args, **kwargs):
        publish_a_new_criterion_label(coordinator)
        return real_search(*args, **kwargs)

    monkeypatch.setattr(search, "search", search_while_a_coordinator_publishes)
    client.get(CATALOGUE)  # started before the publication, ends after it
    monkeypatch.setattr(search, "search", real_search)
    return client.get(CATALOGUE).content.decode()


def test_the_next_request_shows_the_criteria_just_published(signed_in, verified_officer, coordinator, monkeypatch):
    assert CANARY in browse_across_a_publication(signed_in(verified_officer), coordinator, monkeypatch)


def test_control_a_key_read_at_the_end_of_the_request_keeps_the_old_criteria(
    signed_in, verified_officer, coordinator, monkeypatch
):
    def key_read_at_the_end(token, versions, key, collapsed, expanded_on_request):
        versions_now = tuple(version.pk for version in current_versions())
        return (generation(), versions_now, get_language(), key, collapsed, expanded_on_request)

    monkeypatch.setattr(criteria_block, "block_key", key_read_at_the_end)
    assert CANARY not in browse_across_a_publication(signed_in(verified_officer), coordinator, monkeypatch)
