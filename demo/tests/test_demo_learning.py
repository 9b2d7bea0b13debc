"""The demo Learning Centre: a responsible-use module and a wellbeing article in every language,
items for at least five workflow steps, some translated and some not, marked as demo text."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from learning.models import Item, ItemStep, ItemText, Section
from learning.selectors import overdue
from questionnaires.selectors import workflow_steps

pytestmark = pytest.mark.django_db

LANGUAGES = {"ar", "zh-hans", "en", "fr", "ru", "es"}


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    return Item.objects.all()


def published_languages(slug):
    return set(
        ItemText.objects.filter(item__slug=slug, published_number__isnull=False).values_list("language", flat=True)
    )


def test_demo_learning_content(seeded):
    module = Item.objects.get(slug="demo-responsible-ai")
    assert module.section == Section.RESPONSIBLE_AI and published_languages(module.slug) == LANGUAGES
    wellbeing = Item.objects.get(section=Section.WELLBEING)
    assert wellbeing.distressing and published_languages(wellbeing.slug) == LANGUAGES
    steps = set(ItemStep.objects.filter(item__published_at__isnull=False).values_list("step", flat=True))
    assert len(steps & {option.value for option in workflow_steps()}) >= 5
    assert published_languages("demo-referral-intake") == {"en"}  # shows the fallback notice
    assert published_languages("demo-triage-queue") == {"en", "fr"}
    assert list(overdue(timezone.localdate()).values_list("slug", flat=True)) == ["demo-case-file"]
    for text in ItemText.objects.all():
        assert text.body.startswith(
            (
                "Demo text",
                "Texte de démonstration",
                "Texto de demostración",
                "Демонстрационный текст",
                "演示文本",
                "نص تجريبي",
            )
        )


def test_seeding_again_adds_no_learning_content(seeded, settings):
    count = (Item.objects.count(), ItemText.objects.count())
    call_command("seed_demo", stdout=None)
    assert (Item.objects.count(), ItemText.objects.count()) == count
