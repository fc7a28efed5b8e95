"""Where customers stand, as the last positions pass left it: a journey's funnel over a
period, how many customers are at each stage now and how many of them are behind or
stuck, who they are, each customer's path, and the interactions each touchpoint had.

Each read is a fixed number of queries whatever the number of customers or stages.
Periods are inclusive ranges of UTC days; either end may be open (None).
"""

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When

from engage.models import Job
from journeys.models import JobState, Journey, Stage
from metrics.dialect import percentiles, seconds_between
from metrics.models import Customer, Health, LearnedDuration, PathStep, Position, TouchpointDay
from metrics.services.compute import raw

STALLED = (Health.STUCK, Health.BEHIND)


def _moments(start: dt.date | None, end: dt.date | None) -> Q:
    """Arrivals on the days from start to end, both included."""
    period = Q()
    if start is not None:
        period &= Q(entered_at__gte=dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC))
    if end is not None:
        after = end + dt.timedelta(days=1)
        period &= Q(entered_at__lt=dt.datetime.combine(after, dt.time(), tzinfo=dt.UTC))
    return period


@dataclass(frozen=True)
class FunnelStep:
    stage: Stage
    reached: int  # customers whose first arrival here fell in the period
    moved_on: int | None  # of them, those who then reached the next stage (None: last stage)
    median_hours: float | None  # of their stays here that ended (None: none ended)
    completed: int  # those ended stays

    @property
    def conversion_percent(self) -> float | None:
        if self.moved_on is None or not self.reached:
            return None
        return 100 * self.moved_on / self.reached

    @property
    def drop_off(self) -> int | None:
        """Customers who reached this stage and not (yet) the next."""
        return None if self.moved_on is None else self.reached - self.moved_on

    @property
    def drop_off_percent(self) -> float | None:
        conversion = self.conversion_percent
        return None if conversion is None else 100 - conversion


def journey_funnel(
    journey: Journey, *, start: dt.date | None = None, end: dt.date | None = None
) -> list[FunnelStep]:
    """Per current stage, in order: the customers who reached it in the period, how many of
    them went on to reach the next stage (at any time after), and the median time those
    who left it spent there. Three queries."""
    stages = list(journey.stages.current())
    following = {stage.pk: after.pk for stage, after in pairwise(stages)}
    arrivals = PathStep.objects.filter(_moments(start, end), journey=journey)
    counts = _reached_and_moved_on(journey, arrivals, following)
    medians = _median_stays(arrivals.filter(left_at__isnull=False))
    funnel = []
    for stage in stages:
        reached, moved_on = counts.get(stage.pk, (0, 0))
        median, completed = medians.get(stage.pk, (None, 0))
        funnel.append(
            FunnelStep(
                stage=stage,
                reached=reached,
                moved_on=moved_on if stage.pk in following else None,
                median_hours=median,
                completed=completed,
            )
        )
    return funnel


def _reached_and_moved_on(journey, arrivals, following: dict) -> dict[int, tuple[int, int]]:
    """{stage id: (arrivals, of them reaching the next stage later)}: the arrivals joined
    to their customer's arrival at the next stage (a join, not a lookup per arrival)."""
    next_stage = Case(
        *(When(stage_id=stage, then=Value(after)) for stage, after in following.items()),
        default=None,
        output_field=IntegerField(),
    )
    source, params = (
        arrivals.annotate(next_stage=next_stage)
        .values("customer_id", "stage_id", "entered_at", "next_stage")
        .order_by()
        .query.sql_with_params()
    )
    rows = raw(
        f"SELECT a.stage_id, COUNT(*), COUNT(n.id) FROM ({source}) AS a "
        "LEFT JOIN metrics_pathstep n ON n.journey_id = %s AND n.stage_id = a.next_stage "
        "AND n.customer_id = a.customer_id AND n.entered_at >= a.entered_at "
        "GROUP BY a.stage_id",
        [*params, journey.pk],
    )
    return {stage: (reached, moved_on) for stage, reached, moved_on in rows}


def _median_stays(stays) -> dict[int, tuple[float, int]]:
    """{stage id: (median hours, n)} of the stays in the queryset."""
    source, params = (
        stays.values("stage_id", "entered_at", "left_at").order_by().query.sql_with_params()
    )
    hours = f"{seconds_between('entered_at', 'left_at')} / 3600.0"
    rows = raw(percentiles(source, "stage_id", hours, {"median": (1, 2)}), params)
    return {stage: (float(median), n) for stage, n, median in rows}


@dataclass(frozen=True)
class PlaceCount:
    here: int
    behind: int
    stuck: int


def _counts(positions, place: str) -> dict[int, PlaceCount]:
    rows = (
        positions.values(place)
        .annotate(
            here=Count("pk"),
            behind=Count("pk", filter=Q(health=Health.BEHIND)),
            stuck=Count("pk", filter=Q(health=Health.STUCK)),
        )
        .order_by()
    )
    return {row[place]: PlaceCount(row["here"], row["behind"], row["stuck"]) for row in rows}


def stage_counts(journey: Journey) -> dict[int, PlaceCount]:
    """{stage id: customers there now, behind, stuck}; a stage nobody is at is left out.
    One query."""
    return _counts(Position.objects.filter(journey=journey), "stage")


def job_state_counts(job: Job) -> dict[int, PlaceCount]:
    """{job state id: customers there now, behind, stuck}, as stage_counts. One query."""
    return _counts(Position.objects.filter(job=job), "job_state")


def stalled_positions(place: Stage | JobState, *, health=STALLED):
    """The positions at a stage or job state with the given health (behind or stuck by
    default): stuck first, then the longest so, each with its customer."""
    if isinstance(place, Stage):
        positions = Position.objects.filter(journey=place.journey_id, stage=place)
    else:
        positions = Position.objects.filter(job=place.job_id, job_state=place)
    worst_first = Case(
        *(When(health=value, then=Value(rank)) for rank, value in enumerate(STALLED)),
        default=Value(len(STALLED)),
    )
    return (
        positions.filter(health__in=health)
        .select_related("customer")
        .order_by(worst_first, "health_since", "customer__external_id")
    )


JOURNEYS_THEN_JOBS = (F("journey").asc(nulls_last=True), F("job").asc(nulls_last=True))


def customer_path(customer: Customer) -> list[PathStep]:
    """Every stage and job state the customer reached, journey by journey then job by job,
    in the order they got there. One query."""
    return list(
        PathStep.objects.filter(customer=customer)
        .select_related("stage", "journey__canvas", "job_state", "job")
        .order_by(*JOURNEYS_THEN_JOBS, "entered_at", "id")
    )


def customer_positions(customer: Customer) -> list[Position]:
    """Where the customer is now on each journey and job, with its health. One query."""
    return list(
        Position.objects.filter(customer=customer)
        .select_related("stage", "journey__canvas", "job_state", "job")
        .order_by(*JOURNEYS_THEN_JOBS)
    )


def touchpoint_interactions(
    journey: Journey, *, start: dt.date | None = None, end: dt.date | None = None
) -> dict[int, int]:
    """{touchpoint id: records its rules matched on the days in range}; touchpoints without
    any are left out. One query."""
    days = TouchpointDay.objects.filter(touchpoint__stage__journey=journey)
    if start is not None:
        days = days.filter(day__gte=start)
    if end is not None:
        days = days.filter(day__lte=end)
    rows = days.values("touchpoint").annotate(total=Sum("interactions")).order_by()
    return {row["touchpoint"]: row["total"] for row in rows}


def learned_durations(journey: Journey) -> dict[int, LearnedDuration]:
    """{stage id: what customers took there, and the thresholds applied}. One query."""
    rows = LearnedDuration.objects.filter(stage__journey=journey)
    return {row.stage_id: row for row in rows}


def job_learned_durations(job: Job) -> dict[int, LearnedDuration]:
    """{job state id: what customers took there, and the thresholds applied}. One query."""
    rows = LearnedDuration.objects.filter(job_state__job=job)
    return {row.job_state_id: row for row in rows}


@dataclass(frozen=True)
class StatePath:
    state: JobState
    reached: int  # customers who ever reached the state
    moved_on: int  # of them, those who reached another state of the job after it
    learned: LearnedDuration | None  # their stays: n, median, 75th percentile

    @property
    def still_here(self) -> int:
        """A first arrival not followed by another is where the customer is now."""
        return self.reached - self.moved_on

    @property
    def moved_on_percent(self) -> float | None:
        return 100 * self.moved_on / self.reached if self.reached else None

    @property
    def median_hours(self) -> float | None:
        return self.learned.median_hours if self.learned else None


def job_path(job: Job) -> list[StatePath]:
    """Per state of the job's machine, in its order: the customers who reached it, how many
    of them moved on (to whichever state they reached next), and what the stays that ended
    took (the positions pass's learned figures, from the same paths). Three queries."""
    states = JobState.objects.filter(job=job).order_by("position", "pk")
    rows = (
        PathStep.objects.filter(job=job)
        .values("job_state")
        .annotate(reached=Count("pk"), moved_on=Count("pk", filter=Q(left_at__isnull=False)))
        .order_by()
    )
    counts = {row["job_state"]: (row["reached"], row["moved_on"]) for row in rows}
    learned = job_learned_durations(job)
    return [
        StatePath(state, *counts.get(state.pk, (0, 0)), learned.get(state.pk)) for state in states
    ]
