"""A migration operation for models that move from one app to another (state only, tables kept):
their content types move with them, so permissions, admin history and anything else that
points at a content type keep pointing at the same model."""

from django.db import migrations


def move_content_types(source: str, target: str, models: tuple[str, ...]) -> migrations.RunPython:
    def _move(apps, from_label, to_label):
        ContentType = apps.get_model("contenttypes", "ContentType")
        for model in models:
            # A database migrated before the move has only the old row; a new one may have neither.
            if not ContentType.objects.filter(app_label=to_label, model=model).exists():
                ContentType.objects.filter(app_label=from_label, model=model).update(app_label=to_label)

    def forwards(apps, schema_editor):
        _move(apps, source, target)

    def backwards(apps, schema_editor):
        _move(apps, target, source)

    return migrations.RunPython(forwards, backwards)
