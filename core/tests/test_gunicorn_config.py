"""What deploy/gunicorn.conf.py does in each worker before its first request."""

import gc
import logging
import runpy
from pathlib import Path

import pytest
from django.conf import settings

from discovery import search

CONFIG = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"


class Worker:
    log = logging.getLogger("test.gunicorn.worker")


@pytest.fixture
def post_worker_init():
    hooks = runpy.run_path(str(CONFIG))
    yield hooks["post_worker_init"]
    gc.unfreeze()


@pytest.mark.django_db
def test_a_worker_reads_the_criteria_index_then_freezes_what_it_holds(post_worker_init, monkeypatch):
    warmed = []
    monkeypatch.setattr(search, "warm_up", lambda: warmed.append(gc.get_freeze_count()))
    gc.unfreeze()
    post_worker_init(Worker())
    assert warmed == [0], "the index is read before the freeze, so that it is frozen too"
    assert gc.get_freeze_count() > 10_000


@pytest.mark.django_db
def test_a_worker_whose_index_cannot_be_read_still_serves(post_worker_init, monkeypatch, caplog):
    def broken():
        raise RuntimeError("database away")

    monkeypatch.setattr(search, "warm_up", broken)
    post_worker_init(Worker())
    assert "criteria index could not be read" in caplog.text
    assert gc.get_freeze_count() > 0
