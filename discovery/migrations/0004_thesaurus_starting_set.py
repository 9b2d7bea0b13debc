# The thesaurus's starting concepts (discovery/data/thesaurus.json); coordinators edit them after.
# Search texts stored before stemming and labels are written again by `manage.py reindex_search`.

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "thesaurus.json"


def load(apps, schema_editor):
    Concept = apps.get_model("discovery", "Concept")
    Term = apps.get_model("discovery", "Term")
    if Concept.objects.exists():
        return
    for terms in json.loads(DATA.read_text(encoding="utf-8")):
        concept = Concept.objects.create()
        Term.objects.bulk_create(
            [Term(concept=concept, language=code, text=text) for code, texts in terms.items() for text in texts]
        )


def unload(apps, schema_editor):
    apps.get_model("discovery", "Concept").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0003_thesaurus"),
    ]

    operations = [migrations.RunPython(load, unload)]
