"""Measured values shown on the plan: what customers answered about each journey touchpoint."""

from collections import defaultdict

from metrics import calculations
from metrics.models import Snapshot


def touchpoint_measures(workspace_id: int, ids: list[int]) -> dict[int, list[str]]:
    """NPS and CSAT per touchpoint over all time, from the touchpoint snapshots: one query."""
    totals = defaultdict(lambda: defaultdict(lambda: [0] * 11))
    rows = Snapshot.objects.filter(
        workspace_id=workspace_id,
        source="surveys",
        period="day",
        dimension="touchpoint",
        key__in=[str(pk) for pk in ids],
    ).values_list("key", "data")
    for key, data in rows:
        for kind, counts in data.items():
            totals[int(key)][kind] = [
                a + b for a, b in zip(totals[int(key)][kind], counts, strict=True)
            ]
    found = {}
    for pk, kinds in totals.items():
        items = []
        if "nps" in kinds:
            nps = kinds["nps"]
            score = calculations.nps(
                promoters=nps[9] + nps[10], passives=nps[7] + nps[8], detractors=sum(nps[:7])
            )
            items.append(f"NPS {score.score:+.0f} (n = {score.n})")
        if "csat" in kinds:
            csat = calculations.csat({value: kinds["csat"][value] for value in range(1, 6)})
            items.append(f"CSAT {csat.percent:.0f} % (n = {csat.n})")
        if "ces" in kinds:
            ces = calculations.ces({value: kinds["ces"][value] for value in range(1, 8)})
            items.append(f"CES {ces.mean:.1f} (n = {ces.n})")
        found[pk] = items
    return found
