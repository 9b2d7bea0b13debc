# ToolSearchText and ExposureCount moved here from catalogue (0001, state only); their content
# types follow.

from django.db import migrations

from core.content_types import move_content_types


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0001_initial"),
        ("catalogue", "0008_search_and_exposure_move_to_discovery"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [move_content_types("catalogue", "discovery", ("toolsearchtext", "exposurecount"))]
