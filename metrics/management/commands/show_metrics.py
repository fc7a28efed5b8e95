"""manage.py show_metrics <workspace-slug> [--json] [--from] [--to] [--segment] [--persona]"""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from engage.models import Workspace
from metrics.selectors import current_metrics


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"“{value}” is not a date like 2026-03-01.") from None


class Command(BaseCommand):
    help = "Print a workspace's current metrics, read from its last computed snapshots."

    def add_arguments(self, parser):
        parser.add_argument("workspace", help="The workspace's slug.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")
        parser.add_argument("--from", dest="start", type=_date, help="First day, e.g. 2026-01-01")
        parser.add_argument("--to", dest="end", type=_date, help="Last day, e.g. 2026-03-31")
        parser.add_argument("--segment", help="A segment's name: survey measures of its customers")
        parser.add_argument("--persona", help="A persona's name: survey measures of its customers")

    def handle(self, *args, workspace, start, end, segment, persona, **options):
        found = Workspace.objects.filter(slug=workspace).first()
        if found is None:
            raise CommandError(f"No workspace “{workspace}”.")
        if segment and persona:
            raise CommandError("Give --segment or --persona, not both.")
        slices = {}
        for name, value, related in (
            ("segment", segment, found.segments),
            ("persona", persona, found.personas),
        ):
            if value:
                match = related.filter(name__iexact=value).first()
                if match is None:
                    raise CommandError(f"No {name} “{value}” in {found.name}.")
                slices[name] = match.pk
        values = current_metrics(found, start=start, end=end, **slices)
        if options["json"]:
            self.stdout.write(json.dumps(values, indent=2, default=str))
            return
        nps, csat = values["nps"], values["csat"]
        self.stdout.write(
            f"NPS {_fmt(nps['score'])} (n={nps['n']}) · CSAT {_fmt(csat['percent'])} % "
            f"(n={csat['n']}) · CES {_fmt(values['ces']['mean'])} · retention "
            f"{_fmt(values['retention']['rate'], 100)} % · digital "
            f"{_fmt(values['digital']['digital_percent'])} % · net sentiment "
            f"{_fmt(values['social']['net_sentiment'])}"
        )


def _fmt(value, scale=1) -> str:
    return "—" if value is None else f"{value * scale:.1f}"
