"""Load questionnaire definitions (JSON, the format of questionnaires/data/) into the database."""

from django.core.management.base import BaseCommand, CommandError

from questionnaires.loader import load_file


class Command(BaseCommand):
    help = "Load questionnaire versions from JSON definitions: load_questionnaire FILE [FILE...]"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="JSON definition files (see questionnaires/data/).")

    def handle(self, *args, files, **options):
        for file in files:
            try:
                version = load_file(file)
            except OSError as exc:
                raise CommandError(f"Cannot read {file}: {exc}") from exc
            except ValueError as exc:
                raise CommandError(f"{file}: {exc}") from exc
            questions = version.questions.count()
            self.stdout.write(
                self.style.SUCCESS(
                    f"{version.questionnaire.key} version {version.number}: {questions} questions, published."
                )
            )
