# Follow and SavedSearch moved here from catalogue (0001, state only); their content types follow.

from django.db import migrations

from core.content_types import move_content_types


class Migration(migrations.Migration):
    dependencies = [
        ("following", "0001_initial"),
        ("catalogue", "0007_follows_move_to_following"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [move_content_types("catalogue", "following", ("follow", "savedsearch"))]
