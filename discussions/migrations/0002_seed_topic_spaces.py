"""Seed the topic spaces: one per investigative workflow step of the current Tools Form (named
as its options, found by their value), then investigator wellbeing and responsible use of AI.
Coordinators rename and reorder them afterwards; running this again creates only missing ones."""

from django.db import migrations

from discussions.topics import topic_space_specs

WORKFLOW_STEPS_KEY = "workflow-steps"


def workflow_steps(apps) -> list[tuple[str, dict]]:
    Question = apps.get_model("questionnaires", "Question")
    question = (
        Question.objects.filter(key=WORKFLOW_STEPS_KEY, version__status="published")
        .order_by("-version__published_at", "-version__number", "-pk")
        .first()
    )
    if question is None:
        return []
    return [(option.value, dict(option.labels)) for option in question.options.order_by("order", "id")]


def seed(apps, schema_editor):
    Space = apps.get_model("discussions", "Space")
    for slug, names, order in topic_space_specs(workflow_steps(apps)):
        Space.objects.get_or_create(slug=slug, defaults={"kind": "topic", "names": names, "order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0001_initial"),
        ("questionnaires", "0004_shipped_whole_numbers"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
