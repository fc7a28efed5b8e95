"""Reading objectives and key results with their measured values, progress and status.

A fixed number of queries whatever the number of objectives, key results or readings:
the objectives, their key results with measures, the readings of those measures, and the
names of the slices they narrow to.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from engage.models import Persona, Segment
from journeys.models import Touchpoint
from metrics import charts
from metrics.calculations import okr
from metrics.catalogue import METRICS, Metric
from metrics.models import KeyResult, Measure, MeasureReading, Objective

HISTORY_DAYS = 400  # readings further back than this before a key result's start are not drawn


def window_label(days: int) -> str:
    return "whole history" if not days else "last day" if days == 1 else f"last {days} days"


def slice_names(workspace, measures: list[Measure]) -> dict[tuple[str, str], str]:
    """(dimension, key) → a name for the slices the measures narrow to: a query per kind used."""
    wanted: dict[str, set[int]] = {}
    for measure in measures:
        if measure.dimension:
            wanted.setdefault(measure.dimension, set()).add(int(measure.key))
    names = {}
    for dimension, rows in (
        ("segment", Segment.objects.filter(workspace=workspace)),
        ("persona", Persona.objects.filter(workspace=workspace)),
        ("touchpoint", Touchpoint.objects.filter(stage__journey__workspace=workspace)),
    ):
        if wanted.get(dimension):
            for pk, name in rows.filter(pk__in=wanted[dimension]).values_list("pk", "name"):
                names[(dimension, str(pk))] = name
    return names


def measure_label(measure: Measure, names: dict) -> str:
    """“NPS · Enterprise (segment) · last 90 days”; a removed slice says so."""
    parts = [METRICS[measure.metric].title]
    if measure.dimension:
        name = names.get((measure.dimension, measure.key), f"a removed {measure.dimension}")
        parts.append(f"{name} ({measure.dimension})")
    parts.append(window_label(measure.window_days))
    return " · ".join(parts)


@dataclass
class MeasuredValue:
    measure: Measure
    metric: Metric
    label: str
    readings: list[MeasureReading]  # oldest first

    @property
    def latest(self) -> MeasureReading | None:
        return self.readings[-1] if self.readings else None

    @property
    def value(self) -> float | None:
        return self.latest.value if self.latest else None

    @property
    def shown(self) -> str:
        return self.metric.format(self.value)


def measured_values(workspace, measures: list[Measure], *, since: dt.date | None = None) -> dict:
    """{measure pk: MeasuredValue} with the readings from `since` (all when None)."""
    if not measures:
        return {}
    readings = MeasureReading.objects.filter(measure__in=measures).order_by("measure", "day")
    if since:
        readings = readings.filter(day__gte=since)
    by_measure: dict[int, list[MeasureReading]] = {m.pk: [] for m in measures}
    for reading in readings:
        by_measure[reading.measure_id].append(reading)
    names = slice_names(workspace, measures)
    return {
        m.pk: MeasuredValue(m, METRICS[m.metric], measure_label(m, names), by_measure[m.pk])
        for m in measures
    }


@dataclass
class KeyResultView:
    key_result: KeyResult
    measured: MeasuredValue
    progress: float | None
    status: okr.Status
    elapsed: float
    chart: dict
    edit_form: object = None  # set by the page for editors

    @property
    def percent(self) -> float | None:
        return None if self.progress is None else self.progress * 100

    @property
    def baseline_shown(self) -> str:
        return self.measured.metric.format(self.key_result.baseline)

    @property
    def target_shown(self) -> str:
        return self.measured.metric.format(self.key_result.target)

    @property
    def bar_percent(self) -> float:
        """The progress bar's fill, 0…100."""
        return 0.0 if self.progress is None else min(max(self.progress, 0.0), 1.0) * 100


@dataclass
class ObjectiveView:
    objective: Objective
    key_results: list[KeyResultView] = field(default_factory=list)
    edit_form: object = None  # set by the page for editors
    add_form: object = None

    @property
    def progress(self) -> float | None:
        return okr.objective_progress([kr.progress for kr in self.key_results])

    @property
    def percent(self) -> float | None:
        return None if self.progress is None else self.progress * 100

    @property
    def statuses(self) -> list[tuple[str, str, int]]:
        """(status, label, count) of its key results, in a fixed order."""
        counts = {}
        for kr in self.key_results:
            counts[kr.status] = counts.get(kr.status, 0) + 1
        return [(s.value, s.label, counts[s]) for s in okr.Status if s in counts]


def key_result_view(key_result: KeyResult, measured: MeasuredValue, today: dt.date):
    kr = key_result
    current = measured.value
    progress = okr.progress(baseline=kr.baseline, target=kr.target, current=current)
    history = [
        (r.day, r.value)
        for r in measured.readings
        if r.value is not None and r.day >= kr.start - dt.timedelta(days=HISTORY_DAYS)
    ]
    return KeyResultView(
        key_result=kr,
        measured=measured,
        progress=progress,
        status=okr.status(progress=progress, start=kr.start, due=kr.due, today=today),
        elapsed=okr.time_elapsed(start=kr.start, due=kr.due, today=today),
        chart=charts.key_result_chart(
            history, baseline=kr.baseline, target=kr.target, start=kr.start, due=kr.due, today=today
        ),
    )


def okr_board(workspace, *, today: dt.date | None = None) -> list[ObjectiveView]:
    today = today or timezone.localdate()
    objectives = list(
        Objective.objects.filter(workspace=workspace)
        .select_related("owner")
        .prefetch_related(
            Prefetch("key_results", queryset=KeyResult.objects.select_related("measure"))
        )
    )
    key_results = [kr for objective in objectives for kr in objective.key_results.all()]
    measures = list({kr.measure_id: kr.measure for kr in key_results}.values())
    since = min((kr.start for kr in key_results), default=today) - dt.timedelta(days=HISTORY_DAYS)
    measured = measured_values(workspace, measures, since=since)
    return [
        ObjectiveView(
            objective,
            [
                key_result_view(kr, measured[kr.measure_id], today)
                for kr in objective.key_results.all()
            ],
        )
        for objective in objectives
    ]


def key_results_by_measure(workspace, measure_ids: list[int]) -> dict[int, list[KeyResult]]:
    """The key results bound to each of these measures (for benefits that share one)."""
    found: dict[int, list[KeyResult]] = {}
    for kr in KeyResult.objects.filter(
        measure_id__in=measure_ids, objective__workspace=workspace
    ).select_related("objective"):
        found.setdefault(kr.measure_id, []).append(kr)
    return found
