"""A page reads each generation token from the shared cache once (core.generations): the
catalogue reads the questionnaires' token from several places, each a round trip to Redis."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from core import generations
from questionnaires.selectors import GENERATION_KEY, bump_generation

pytestmark = pytest.mark.django_db


def token_reads(client, monkeypatch) -> int:
    reads = []
    original = cache.get

    def counting(key, *args, **kwargs):
        if key == GENERATION_KEY:
            reads.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counting)
    assert client.get(reverse("discovery:catalogue")).status_code == 200
    return len(reads)


def test_the_catalogue_reads_the_questionnaires_token_once(signed_in, verified_officer, monkeypatch):
    assert token_reads(signed_in(verified_officer), monkeypatch) == 1


def test_control_without_the_middleware_the_token_is_read_again_and_again(
    signed_in, verified_officer, monkeypatch, settings
):
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if not name.endswith("GenerationTokensMiddleware")]
    assert token_reads(signed_in(verified_officer), monkeypatch) > 1


def test_a_token_drawn_during_the_request_is_the_one_it_reads_next():
    generations.begin_request()
    try:
        before = generations.current(GENERATION_KEY)
        bump_generation()
        assert generations.current(GENERATION_KEY) != before
        assert generations.current(GENERATION_KEY) == cache.get(GENERATION_KEY)
    finally:
        generations.end_request()
