"""manage.py compute_positions <workspace-slug> [--now ISO]: the positions pass, now, here."""

import argparse
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from engage.models import Workspace
from metrics.services.position_runs import PositionsBusy, position_run


def moment(text: str) -> dt.datetime:
    """An ISO 8601 date or datetime; without an offset it is UTC."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not an ISO 8601 date or time.") from None
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)


class Command(BaseCommand):
    help = "Derive where each customer stands on the workspace's journeys, and who is stalled."

    def add_arguments(self, parser):
        parser.add_argument("workspace", help="The workspace's slug.")
        parser.add_argument(
            "--now", type=moment, help="The pass's clock (ISO 8601; default: the current time)."
        )

    def handle(self, *args, workspace, now, **options):
        found = Workspace.objects.filter(slug=workspace).first()
        if found is None:
            raise CommandError(f"No workspace “{workspace}”.")
        try:
            run = position_run(workspace=found, now=now or timezone.now())
        except PositionsBusy as busy:
            raise CommandError(str(busy)) from None
        if run.status != run.Status.DONE:
            raise CommandError(f"The pass failed: {run.error}")
        self.stdout.write(
            f"Positions of {found.name} as of {run.as_of:%Y-%m-%d %H:%M} UTC: {run.positions} "
            f"placed, {run.behind} behind, {run.stuck} stuck ({run.seconds:.2f} s)."
        )
