# ToolSearchText and ExposureCount now belong to the discovery app (its 0001). State only: the
# tables and their rows stay; discovery's models keep the table names.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0007_follows_move_to_following"),
        ("discovery", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ExposureCount"),
                migrations.DeleteModel(name="ToolSearchText"),
            ],
            database_operations=[],
        ),
    ]
