from django.db import migrations, models
from django.db.models import F


def backfill(apps, schema_editor):
    """Concerns whose provider was asked so far were asked when they were decided."""
    Concern = apps.get_model("moderation", "Concern")
    Concern.objects.exclude(provider_request="").update(provider_asked_at=F("decided_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_concern_concernnote"),
    ]

    operations = [
        migrations.AddField(
            model_name="concern",
            name="provider_asked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
