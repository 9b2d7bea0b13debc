# Follow and SavedSearch now belong to the following app (its 0001). State only: the tables
# and their rows stay; following's models keep the table names.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0006_tool_state_applied"),
        ("following", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Follow"),
                migrations.DeleteModel(name="SavedSearch"),
            ],
            database_operations=[],
        ),
    ]
