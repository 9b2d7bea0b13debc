"""Mark the shipped number questions that count things as whole numbers, in every version.

Versions loaded before the setting existed (and the copies coordinators drafted from them)
keep the question key, so the shipped definition says which of their questions are counts.
"""

from django.db import migrations

from questionnaires.loader import shipped_whole_number_keys


def mark_whole_numbers(apps, schema_editor):
    Question = apps.get_model("questionnaires", "Question")
    for questionnaire_key, question_key in shipped_whole_number_keys():
        Question.objects.filter(
            version__questionnaire__key=questionnaire_key, key=question_key, type="number"
        ).update(whole_number=True)


class Migration(migrations.Migration):
    dependencies = [
        ("questionnaires", "0003_question_whole_number"),
    ]

    operations = [
        migrations.RunPython(mark_whole_numbers, migrations.RunPython.noop),
    ]
