"""What a benefit's measure reads in practice, told by a higher app.

canvases knows nothing of metrics: metrics registers one source from its
AppConfig.ready(). The benefit editor offers the source's choices, binding stores the
chosen measure's id in `BdnNode.metric_id`, and the board, its print and the job trace
show the bound measure's current value. Without a source nothing of this shows.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MeasuredValue:
    label: str  # what is measured: “NPS · Enterprise (segment) · last 90 days”
    name: str  # the metric alone, for narrow places: “NPS”
    value: str  # “+32”, or “—” without data
    reached: str  # “38 % of the way to +63”, when a key result shares the measure
    detail: str  # “n = 410 · 7 Dec 2026”, and a key result's target when one shares it
    url: str  # where the measure is followed


@dataclass(frozen=True)
class MeasureSource:
    # (workspace id) -> [(group, [(choice value, label), …]), …]
    choices: Callable[[int], list]
    # (workspace id, choice value) -> metric id; ValidationError when not the workspace's
    bind: Callable[[int, str], int]
    # (workspace id, metric ids) -> {metric id: MeasuredValue}
    values: Callable[[int, list[int]], dict[int, MeasuredValue]]


_sources: list[MeasureSource] = []


def register_measure_source(source: MeasureSource) -> None:
    _sources[:] = [source]


def measure_source() -> MeasureSource | None:
    return _sources[0] if _sources else None


def attach_measured(workspace_id: int, benefits: list) -> None:
    """Give each benefit node `measured` (a MeasuredValue, or None): one call for them all."""
    source = measure_source()
    ids = [node.metric_id for node in benefits if node.metric_id]
    found = source.values(workspace_id, ids) if source and ids else {}
    for node in benefits:
        node.measured = found.get(node.metric_id)
