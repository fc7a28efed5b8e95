"""What touchpoints measure in practice (answers, scores), and where real customers are on
a journey and in a job's states, told by a higher app.

journeys knows nothing of metrics: metrics registers a provider from its AppConfig.ready(),
and the journey map asks all providers once per rendering for all its touchpoints.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

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


# --- Customers on a journey, told by the same higher app ---------------------------------


@dataclass(frozen=True)
class StagePresence:
    """Customers at a stage, or in a job state."""

    here: int  # customers there now
    behind: int
    stuck: int
    url: str  # where they are listed


@dataclass(frozen=True)
class JourneyLink:
    label: str
    url: str
    icon: str  # a Bootstrap icon name, e.g. "bi-people"


# provider(journey) -> {stage id: StagePresence}
_presence: list[Callable] = []
# provider(journey) -> [JourneyLink, …]
_links: list[Callable] = []


def register_stage_presence(provider: Callable) -> None:
    if provider not in _presence:
        _presence.append(provider)


def register_journey_links(provider: Callable) -> None:
    if provider not in _links:
        _links.append(provider)


def stage_presence(journey) -> dict[int, StagePresence]:
    found = {}
    for provider in _presence:
        found.update(provider(journey))
    return found


def journey_links(journey) -> list[JourneyLink]:
    return [link for provider in _links for link in provider(journey)]


# --- Customers doing a job (its state machine), told by the same higher app ---------------

# provider(job) -> {job state id: StagePresence}
_state_presence: list[Callable] = []
# provider(job) -> [JourneyLink, …]
_job_links: list[Callable] = []


def register_state_presence(provider: Callable) -> None:
    if provider not in _state_presence:
        _state_presence.append(provider)


def register_job_links(provider: Callable) -> None:
    if provider not in _job_links:
        _job_links.append(provider)


def state_presence(job) -> dict[int, StagePresence]:
    found = {}
    for provider in _state_presence:
        found.update(provider(job))
    return found


def job_links(job) -> list[JourneyLink]:
    return [link for provider in _job_links for link in provider(job)]
