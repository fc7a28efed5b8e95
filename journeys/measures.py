"""What touchpoints measure in practice (answers, scores), told by a higher app.

journeys knows nothing of metrics: metrics registers a provider from its AppConfig.ready(),
and the journey map asks all providers once per rendering for all its touchpoints.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

# provider(workspace_id, touchpoint ids) -> {touchpoint id: ["CSAT 72 % (n = 40)", …]}
_providers: list[Callable[[int, list[int]], dict[int, list[str]]]] = []


def register_touchpoint_measures(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def touchpoint_measures(workspace_id: int, ids: Iterable[int]) -> dict[int, list[str]]:
    ids, found = list(ids), defaultdict(list)
    if not ids:
        return found
    for provider in _providers:
        for pk, items in provider(workspace_id, ids).items():
            found[pk].extend(items)
    return found
