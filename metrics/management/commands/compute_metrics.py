"""manage.py compute_metrics <workspace-slug>: recompute the snapshots now, in this process."""

from django.core.management.base import BaseCommand, CommandError

from engage.models import Workspace
from metrics.services.runs import MetricsBusy, metrics_run


class Command(BaseCommand):
    help = "Recompute a workspace's metric snapshots from its data."

    def add_arguments(self, parser):
        parser.add_argument("workspace", help="The workspace's slug.")

    def handle(self, *args, workspace, **options):
        found = Workspace.objects.filter(slug=workspace).first()
        if found is None:
            raise CommandError(f"No workspace “{workspace}”.")
        try:
            run = metrics_run(workspace=found)
        except MetricsBusy as busy:
            raise CommandError(str(busy)) from None
        if run.status != run.Status.DONE:
            raise CommandError(f"The computation failed: {run.error}")
        self.stdout.write(f"Computed the metrics of {found.name} in {run.seconds:.2f} s.")
