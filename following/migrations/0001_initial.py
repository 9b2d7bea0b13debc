# Follow and SavedSearch move here from catalogue (issue 9). State only: their tables,
# catalogue_follow and catalogue_savedsearch, stay as they are, with every row.

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalogue", "0006_tool_state_applied"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SavedSearch",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("name", models.CharField(max_length=120, verbose_name="name")),
                        ("query", models.TextField(blank=True, max_length=4000)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("last_notified_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="saved_searches",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "catalogue_savedsearch", "ordering": ["-created_at", "-id"]},
                ),
                migrations.CreateModel(
                    name="Follow",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("last_seen_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "tool",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="follows", to="catalogue.tool"
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="follows",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "catalogue_follow",
                        "constraints": [models.UniqueConstraint(fields=("user", "tool"), name="unique_follow")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
