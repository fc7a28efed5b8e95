"""Measured values shown on the plan: what customers answered about each journey touchpoint."""

from collections import defaultdict

from metrics.models import Snapshot
from metrics.selectors import add_histograms, survey_figures


def touchpoint_measures(workspace_id: int, ids: list[int]) -> dict[int, list[str]]:
    """NPS, CSAT and CES per touchpoint over all time, from the touchpoint snapshots: one query."""
    totals = defaultdict(dict)
    for key, data in Snapshot.objects.filter(
        workspace_id=workspace_id,
        source="surveys",
        period="day",
        dimension="touchpoint",
        key__in=[str(pk) for pk in ids],
    ).values_list("key", "data"):
        add_histograms(totals[int(key)], data)
    found = {}
    for pk, histograms in totals.items():
        figures, items = survey_figures(histograms), []
        if figures["nps"]["n"]:
            items.append(f"NPS {figures['nps']['score']:+.0f} (n = {figures['nps']['n']})")
        if figures["csat"]["n"]:
            items.append(f"CSAT {figures['csat']['percent']:.0f} % (n = {figures['csat']['n']})")
        if figures["ces"]["n"]:
            items.append(f"CES {figures['ces']['mean']:.1f} (n = {figures['ces']['n']})")
        found[pk] = items
    return found
