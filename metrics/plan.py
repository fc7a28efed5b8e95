"""Measured values shown on the plan: what customers answered about each journey
touchpoint, and the current value of the measure a benefit is bound to."""

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from canvases.bdn.measures import MeasuredValue
from engage.models import Workspace
from journeys.measures import JourneyLink, StagePresence
from metrics.calculations import okr
from metrics.catalogue import METRICS
from metrics.models import Measure, Snapshot, TouchpointDay
from metrics.okrs import (
    HISTORY_DAYS,
    key_results_by_measure,
    measure_label,
    measured_values,
    slice_names,
    window_label,
)
from metrics.selectors import add_histograms, survey_figures
from metrics.selectors.positions import job_state_counts, stage_counts
from metrics.services.okrs import measure_for

DEFAULT_WINDOW = 90  # days a benefit's new measure reads over


def touchpoint_measures(workspace_id: int, ids: list[int]) -> dict[int, list[str]]:
    """Interactions (records its position rules matched), NPS, CSAT and CES per touchpoint
    over all time: two queries."""
    totals = defaultdict(dict)
    for key, data in Snapshot.objects.filter(
        workspace_id=workspace_id,
        source="surveys",
        period="day",
        dimension="touchpoint",
        key__in=[str(pk) for pk in ids],
    ).values_list("key", "data"):
        add_histograms(totals[int(key)], data)
    interactions = dict(
        TouchpointDay.objects.filter(touchpoint__in=ids)
        .values("touchpoint")
        .annotate(total=Sum("interactions"))
        .order_by()
        .values_list("touchpoint", "total")
    )
    found = defaultdict(list)
    for pk, total in interactions.items():
        found[pk].append(f"{total:,} interaction{'s' if total != 1 else ''}")
    for pk, histograms in totals.items():
        figures, items = survey_figures(histograms), []
        if figures["nps"]["n"]:
            items.append(f"NPS {figures['nps']['score']:+.0f} (n = {figures['nps']['n']})")
        if figures["csat"]["n"]:
            items.append(f"CSAT {figures['csat']['percent']:.0f} % (n = {figures['csat']['n']})")
        if figures["ces"]["n"]:
            items.append(f"CES {figures['ces']['mean']:.1f} (n = {figures['ces']['n']})")
        found[pk].extend(items)
    return found


def benefit_metric_choices(workspace_id: int) -> list:
    """The benefit editor's options: the workspace's measures, then each metric for
    everyone over the last 90 days that is not a measure yet."""
    measures = list(Measure.objects.filter(workspace_id=workspace_id))
    names = slice_names(workspace_id, measures)
    in_use = {(m.metric, m.dimension, m.window_days) for m in measures}
    groups = [
        ("Measures in use", [(str(m.pk), measure_label(m, names)) for m in measures]),
        (
            "New measure",
            [
                (f"new:{slug}", f"{metric.title} · {window_label(DEFAULT_WINDOW)}")
                for slug, metric in METRICS.items()
                if (slug, "", DEFAULT_WINDOW) not in in_use
            ],
        ),
    ]
    return [(group, options) for group, options in groups if options]


def bind_benefit_metric(workspace_id: int, choice: str) -> int:
    """The measure an editor's option names, made when it is a new one."""
    if choice.startswith("new:"):
        workspace = Workspace.objects.get(pk=workspace_id)
        return measure_for(workspace=workspace, metric=choice[4:], window_days=DEFAULT_WINDOW).pk
    if choice.isdigit() and Measure.objects.filter(workspace_id=workspace_id, pk=choice).exists():
        return int(choice)
    raise ValidationError("That measure is not in this workspace.")


def benefit_values(workspace_id: int, ids: list[int]) -> dict[int, MeasuredValue]:
    """Each bound measure's latest reading, and the first key result that shares it."""
    workspace = Workspace.objects.get(pk=workspace_id)
    measures = list(Measure.objects.filter(workspace=workspace, pk__in=ids))
    since = timezone.localdate() - dt.timedelta(days=HISTORY_DAYS)
    measured = measured_values(workspace_id, measures, since=since)
    results = key_results_by_measure(workspace_id, [m.pk for m in measures])
    url = reverse("metrics:okrs", args=[workspace.slug])
    found = {}
    for pk, value in measured.items():
        detail, reached = [], ""
        if value.latest:
            n = f"n = {value.latest.n} · " if value.latest.n else ""
            detail.append(f"{n}{date_format(value.latest.day, 'j M Y')}")
        shared = results.get(pk, [])
        if shared:
            kr = shared[0]
            target = value.metric.format(kr.target)
            detail.append(f"key result “{kr.title}”: {target} by {date_format(kr.due, 'j M Y')}")
            progress = okr.progress(baseline=kr.baseline, target=kr.target, current=value.value)
            if progress is not None:
                reached = f"{progress * 100:.0f} % of the way to {target}"
        found[pk] = MeasuredValue(
            label=value.label,
            name=value.metric.title,
            value=value.shown,
            reached=reached,
            detail="; ".join(detail),
            url=f"{url}#key-result-{shared[0].pk}" if shared else url,
        )
    return found


def stage_presence(journey) -> dict[int, StagePresence]:
    """Customers at each stage of the journey now, and how many are behind or stuck."""
    url = reverse("metrics:journey_customers", args=[journey.workspace.slug, journey.pk])
    return {
        pk: StagePresence(count.here, count.behind, count.stuck, f"{url}#stage-{pk}")
        for pk, count in stage_counts(journey).items()
    }


def journey_links(journey) -> list[JourneyLink]:
    url = reverse("metrics:journey_customers", args=[journey.workspace.slug, journey.pk])
    return [JourneyLink("Customers", url, "bi-people")]


def state_presence(job) -> dict[int, StagePresence]:
    """Customers in each state of the job now, and how many are behind or stuck."""
    url = reverse("metrics:job_customers", args=[job.workspace.slug, job.pk])
    return {
        pk: StagePresence(count.here, count.behind, count.stuck, f"{url}#state-{pk}")
        for pk, count in job_state_counts(job).items()
    }


def job_links(job) -> list[JourneyLink]:
    url = reverse("metrics:job_customers", args=[job.workspace.slug, job.pk])
    return [JourneyLink("Customers doing this job", url, "bi-people")]
