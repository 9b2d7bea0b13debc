# ToolSearchText and ExposureCount move here from catalogue (issue 9). State only: their tables,
# catalogue_toolsearchtext (with its SQLite FTS5 triggers or PostgreSQL search vector, made by
# catalogue 0002 and 0004) and catalogue_exposurecount, stay as they are, with every row.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalogue", "0007_follows_move_to_following"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ExposureCount",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("day", models.DateField()),
                        ("position_bucket", models.PositiveSmallIntegerField()),
                        ("count", models.PositiveIntegerField(default=0)),
                        (
                            "tool",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalogue.tool"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "catalogue_exposurecount",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("tool", "day", "position_bucket"), name="unique_exposure_bucket"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ToolSearchText",
                    fields=[
                        (
                            "tool",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="search_text",
                                serialize=False,
                                to="catalogue.tool",
                            ),
                        ),
                        ("text", models.TextField(blank=True)),
                        ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={"db_table": "catalogue_toolsearchtext"},
                ),
            ],
            database_operations=[],
        ),
    ]
