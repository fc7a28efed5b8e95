"""manage.py import_data <workspace-slug> <kind> <file.csv>: the upload's code path, from a shell."""

from django.core.management.base import BaseCommand, CommandError

from engage.models import Workspace
from metrics.imports.kinds import KINDS
from metrics.services.imports import FileRefused, ImportRefused, import_file


class Command(BaseCommand):
    help = "Import a CSV file of customers, surveys, purchases, events or mentions."

    def add_arguments(self, parser):
        parser.add_argument("workspace", help="The workspace's slug.")
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", help="Path of the CSV file (UTF-8, comma or semicolon).")

    def handle(self, *args, workspace, kind, file, **options):
        found = Workspace.objects.filter(slug=workspace).first()
        if found is None:
            raise CommandError(f"No workspace “{workspace}”.")
        try:
            with open(file, "rb") as binary:
                result = import_file(workspace=found, kind=kind, binary=binary)
        except OSError as error:
            raise CommandError(f"Can't read {file}: {error.strerror}.") from None
        except FileRefused as error:
            raise CommandError(str(error)) from None
        except ImportRefused as refused:
            for line, reason in refused.errors:
                self.stderr.write(f"row {line}: {reason}")
            raise CommandError(
                f"{refused.error_count} of {refused.rows} rows can't be imported; nothing was stored."
            ) from None
        self.stdout.write(
            f"Imported {result.rows} {KINDS[kind].title.lower()} rows: {result.created} new, "
            f"{result.duplicates} already there."
        )
