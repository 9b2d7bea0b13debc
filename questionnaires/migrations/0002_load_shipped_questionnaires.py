"""Load version 1 of the shipped questionnaires (questionnaires/data/*.json)."""

from django.db import migrations


def load_shipped(apps, schema_editor):
    from questionnaires.loader import load_file, shipped_files

    for path in shipped_files():
        load_file(path, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("questionnaires", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_shipped, migrations.RunPython.noop),
    ]
