# Concern and ConcernNote now belong to the concerns app (its 0001). State only: the tables
# moderation_concern and moderation_concernnote stay, with every row.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0004_concern_notice"),
        ("concerns", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="concernnote", name="concern"),
                migrations.RemoveField(model_name="concernnote", name="author"),
                migrations.DeleteModel(name="Concern"),
                migrations.DeleteModel(name="ConcernNote"),
            ],
            database_operations=[],
        ),
    ]
