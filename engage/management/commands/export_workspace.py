"""manage.py export_workspace <workspace-slug> <file.zip>: the page's export, from a shell."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from engage.models import Workspace
from engage.portability import workspace_export


class Command(BaseCommand):
    help = "Write a workspace and everything in it into one ZIP file (README: Export and import)."

    def add_arguments(self, parser):
        parser.add_argument("workspace", help="The workspace's slug.")
        parser.add_argument("file", help="Where to write the ZIP file.")

    def handle(self, *args, workspace, file, **options):
        found = Workspace.objects.filter(slug=workspace).first()
        if found is None:
            raise CommandError(f"No workspace “{workspace}”.")
        path = Path(file)
        partial = path.with_name(path.name + ".part")  # the file appears only when complete
        try:
            with open(partial, "wb") as target:
                manifest = workspace_export(workspace=found, target=target)
            os.replace(partial, path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Can't write {file}: {error.strerror}.") from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        rows = sum(entry["rows"] for entry in manifest["models"])
        self.stdout.write(
            f"Exported “{found.name}” into {file}: {rows:,} rows of "
            f"{len(manifest['models'])} kinds, {len(manifest['media'])} files, "
            f"{path.stat().st_size / 2**20:.1f} MB."
        )
