"""Each outbox row keeps one Message-ID for all its delivery attempts.

Rows that exist already get the Message-ID they were (or would have been) sent with
until now, `<outbox-ID@saferhub>`, so a retry still matches an earlier delivery.
"""

from django.db import migrations, models

import notifications.models


def fill_message_ids(apps, schema_editor):
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    for row in OutboxMessage.objects.filter(message_id__isnull=True).only("id").iterator():
        OutboxMessage.objects.filter(id=row.id).update(message_id=f"<outbox-{row.id}@saferhub>")


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_inbox")]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="message_id",
            field=models.CharField(max_length=255, null=True, editable=False),
        ),
        migrations.RunPython(fill_message_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outboxmessage",
            name="message_id",
            field=models.CharField(
                default=notifications.models.new_message_id, editable=False, max_length=255, unique=True
            ),
        ),
    ]
