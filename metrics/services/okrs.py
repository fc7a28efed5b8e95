"""Writes for objectives, key results and the measures they bind.

Edits carry the version they started from: a change made to an older version is refused
with what the row reads now, never saved over someone else's.
"""

import calendar
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from engage.models import Membership, Persona, Segment, User, Workspace
from journeys.models import Touchpoint
from metrics.catalogue import METRICS, read_metric
from metrics.models import KeyResult, Measure, MeasureReading, Objective

BACKFILL_MONTHS = 12
SLICE_ROWS = {
    Measure.Slice.SEGMENT: Segment.objects,
    Measure.Slice.PERSONA: Persona.objects,
    Measure.Slice.TOUCHPOINT: Touchpoint.objects.filter(stage__removed_at=None),
}
SLICE_WORKSPACE = {
    Measure.Slice.SEGMENT: "workspace",
    Measure.Slice.PERSONA: "workspace",
    Measure.Slice.TOUCHPOINT: "stage__journey__workspace",
}


# --- Measures and their readings -----------------------------------------------------


def _check_slice(workspace: Workspace, metric: str, dimension: str, key: str) -> None:
    if not dimension:
        return
    if not METRICS[metric].sliced:
        raise ValidationError(
            f"{METRICS[metric].title} is measured for everyone; only survey measures "
            "take a segment, persona or touchpoint."
        )
    rows = SLICE_ROWS.get(dimension)
    if rows is None or not str(key).isdigit():
        raise ValidationError("Choose a segment, a persona or a touchpoint to narrow it to.")
    if not rows.filter(**{SLICE_WORKSPACE[dimension]: workspace, "pk": key}).exists():
        raise ValidationError(f"That {dimension} is not in this workspace.")


def measure_for(
    *, workspace: Workspace, metric: str, dimension: str = "", key="", window_days: int = 90
) -> Measure:
    """The workspace's measure of a metric with these filters, made (with a year of
    month-end readings, so its history shows at once) the first time it is asked for."""
    if metric not in METRICS:
        raise ValidationError(f"There is no metric “{metric}”.")
    if not 0 <= window_days <= 3660:
        raise ValidationError("Measure over 1 to 3,660 days, or 0 for the whole history.")
    key = str(key or "") if dimension else ""
    _check_slice(workspace, metric, dimension, key)
    fields = {"metric": metric, "dimension": dimension, "key": key, "window_days": window_days}
    found = Measure.objects.filter(workspace=workspace, **fields).first()
    if found:
        return found
    try:
        with transaction.atomic():
            measure = Measure.objects.create(workspace=workspace, **fields)
    except IntegrityError:  # made by someone else meanwhile
        return Measure.objects.get(workspace=workspace, **fields)
    measure_backfill(measure)
    measure_read(measure)
    return measure


def measure_read(measure: Measure, *, on: dt.date | None = None) -> MeasureReading:
    """Record the measure's value on `on` (today), replacing an earlier reading of that day."""
    on = on or timezone.localdate()
    reading = read_metric(
        measure.workspace,
        measure.metric,
        on=on,
        window_days=measure.window_days,
        dimension=measure.dimension,
        key=measure.key,
    )
    found, _ = MeasureReading.objects.update_or_create(
        measure=measure,
        day=on,
        defaults={"value": reading.value, "n": reading.n, "taken_at": timezone.now()},
    )
    return found


def _month_ends(before: dt.date, months: int) -> list[dt.date]:
    ends, year, month = [], before.year, before.month
    for _ in range(months):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        ends.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
    return sorted(ends)


def measure_backfill(measure: Measure, *, months: int = BACKFILL_MONTHS) -> None:
    """Readings at the end of each of the last `months` months, from the snapshots there are."""
    for day in _month_ends(timezone.localdate(), months):
        measure_read(measure, on=day)


def readings_refresh(workspace: Workspace) -> int:
    """Today's reading of every measure of the workspace (after each recompute)."""
    measures = list(Measure.objects.filter(workspace=workspace))
    for measure in measures:
        measure_read(measure)
    return len(measures)


# --- Objectives ------------------------------------------------------------------------


def _title(title: str, what: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError(f"{what} needs a title.")
    return title[:200]


def _owner(workspace: Workspace, owner: User | int | None) -> User | None:
    if owner is None:
        return None
    pk = owner.pk if isinstance(owner, User) else owner
    membership = Membership.objects.filter(workspace=workspace, user_id=pk).first()
    if membership is None:
        raise ValidationError("The owner must be a member of this workspace.")
    return membership.user


@transaction.atomic
def objective_create(
    *, workspace: Workspace, actor: User, title: str, description: str = "", owner=None
) -> Objective:
    last = Objective.objects.filter(workspace=workspace).aggregate(Max("position"))
    return Objective.objects.create(
        workspace=workspace,
        title=_title(title, "An objective"),
        description=(description or "").strip(),
        owner=_owner(workspace, owner),
        position=(last["position__max"] or 0) + 1,
        created_by=actor,
    )


def _changed_meanwhile(what: str, now_reads: str) -> ValidationError:
    return ValidationError(
        f"Not saved: someone changed this {what} while you were editing it; it now reads "
        f"“{now_reads}”. Make your change again if it is still needed."
    )


@transaction.atomic
def objective_change(
    *,
    objective: Objective,
    expected_version: int,
    title: str,
    description: str = "",
    owner=None,
) -> Objective:
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    if objective.version != expected_version:
        raise _changed_meanwhile("objective", objective.title)
    objective.title = _title(title, "An objective")
    objective.description = (description or "").strip()
    objective.owner = _owner(objective.workspace, owner)
    objective.version += 1
    objective.save()
    return objective


def objective_remove(*, objective: Objective) -> None:
    objective.delete()  # its key results go with it; their measures stay for benefits


# --- Key results -----------------------------------------------------------------------


def _check_numbers(
    *, measure: Measure, baseline: float, target: float, start: dt.date, due: dt.date
) -> None:
    metric = METRICS[measure.metric]
    for name, value in (("baseline", baseline), ("target", target)):
        if (metric.low is not None and value < metric.low) or (
            metric.high is not None and value > metric.high
        ):
            raise ValidationError(
                f"{metric.title} runs from {metric.format(metric.low)} to "
                f"{metric.format(metric.high)}: the {name} {metric.format(value)} is outside it."
            )
    if target == baseline:
        raise ValidationError("The target must differ from the baseline, or there is no result.")
    if due <= start:
        raise ValidationError("The due date must come after the start.")


def _baseline(measure: Measure, baseline: float | None) -> float:
    """The given baseline, or the measure's value today."""
    if baseline is not None:
        return baseline
    value = measure_read(measure).value
    if value is None:
        raise ValidationError(
            "There is no measured value yet to start from: give the baseline yourself."
        )
    return round(value, 2)


@transaction.atomic
def key_result_create(
    *,
    objective: Objective,
    title: str,
    measure: Measure,
    target: float,
    due: dt.date,
    baseline: float | None = None,
    start: dt.date | None = None,
) -> KeyResult:
    if measure.workspace_id != objective.workspace_id:
        raise ValidationError("That measure is not in this workspace.")
    start = start or timezone.localdate()
    baseline = _baseline(measure, baseline)
    _check_numbers(measure=measure, baseline=baseline, target=target, start=start, due=due)
    last = objective.key_results.aggregate(Max("position"))["position__max"]
    return KeyResult.objects.create(
        objective=objective,
        title=_title(title, "A key result"),
        measure=measure,
        baseline=baseline,
        target=target,
        start=start,
        due=due,
        position=(last or 0) + 1,
    )


@transaction.atomic
def key_result_change(
    *,
    key_result: KeyResult,
    expected_version: int,
    title: str,
    measure: Measure,
    baseline: float,
    target: float,
    start: dt.date,
    due: dt.date,
) -> KeyResult:
    key_result = (
        KeyResult.objects.select_for_update().select_related("objective").get(pk=key_result.pk)
    )
    if key_result.version != expected_version:
        raise _changed_meanwhile("key result", key_result.title)
    if measure.workspace_id != key_result.objective.workspace_id:
        raise ValidationError("That measure is not in this workspace.")
    _check_numbers(measure=measure, baseline=baseline, target=target, start=start, due=due)
    key_result.title = _title(title, "A key result")
    key_result.measure = measure
    key_result.baseline, key_result.target = baseline, target
    key_result.start, key_result.due = start, due
    key_result.version += 1
    key_result.save()
    return key_result


def key_result_remove(*, key_result: KeyResult) -> None:
    key_result.delete()
