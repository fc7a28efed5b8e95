"""manage.py import_workspace <file.zip> [--owner EMAIL] [--name NAME]: the page's import,
from a shell, with no size or time limit."""

from django.core.management.base import BaseCommand, CommandError

from engage.models import User
from engage.portability import ArchiveRefused, owners_here, workspace_import


class Command(BaseCommand):
    help = "Create a workspace from an export file (README: Export and import)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The export's ZIP file.")
        parser.add_argument(
            "--owner",
            help="Email of the account that will own the new workspace "
            "(default: the file's first owner who has an account here).",
        )
        parser.add_argument("--name", default="", help="The new workspace's name.")

    def handle(self, *args, file, owner=None, name="", **options):
        try:
            owner = self._owner(file, owner)
            result = workspace_import(source=file, owner=owner, name=name)
        except OSError as error:
            raise CommandError(f"Can't read {file}: {error.strerror}.") from None
        except ArchiveRefused as refused:
            raise CommandError(f"{refused} Nothing was imported.") from None
        workspace = result.workspace
        self.stdout.write(
            f"Imported “{workspace.name}” (/w/{workspace.slug}/), owned by {owner.email}: "
            f"{sum(result.rows.values()):,} rows."
        )
        for label, count in result.left_out.items():
            self.stdout.write(f"  Left out: {count} {label} rows of people with no account here.")
        if result.strangers:
            self.stdout.write(f"  No account here: {', '.join(result.strangers)}.")
        for note, count in result.notes.items():
            self.stdout.write(f"  {note} ({count})")

    @staticmethod
    def _owner(file, email) -> User:
        if email:
            found = User.objects.filter(email__iexact=email).first()
            if found is None:
                raise CommandError(f"No account with the email {email}.")
            return found
        owners = owners_here(file)
        if not owners:
            raise CommandError("None of the file's owners has an account here: give --owner.")
        return owners[0]
