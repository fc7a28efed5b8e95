"""The demo's objectives and key results, set on the year of data `metrics.demo` feeds in,
and a benefit of the demo network bound to the measure a key result follows."""

import datetime as dt

from django.utils import timezone

from canvases.models import BdnNode
from metrics.catalogue import METRICS
from metrics.models import Objective
from metrics.services import okrs

OBJECTIVES = [
    {
        "title": "New customers feel at home in their first month",
        "description": "Onboarding is where renewals are won or lost: customers who get "
        "set up well recommend us and stay.",
        "results": [
            ("Onboarding NPS up 15 points", "nps", 90, 15),
            ("Monthly retention up 3 points", "retention", 90, 3),
            ("Customer effort down by half a point", "ces", 90, -0.5),
        ],
    },
    {
        "title": "Customers serve themselves and speak up for us",
        "description": "Digital first: most help found in the app, and a community that "
        "recommends us in public.",
        "results": [
            ("Digital share of interactions up 10 points", "digital", 90, 10),
            ("Net sentiment up 20 points", "net_sentiment", 90, 20),
        ],
    },
]
BOUND_BENEFIT = "New hires productive in week one"  # from canvases.demo's network


def _within(metric, value: float) -> float:
    return min(max(value, metric.low), metric.high)


def seed_okrs(workspace, owner) -> None:
    if Objective.objects.filter(workspace=workspace).exists():
        return
    today = timezone.localdate()
    start, due = today - dt.timedelta(days=75), today + dt.timedelta(days=105)
    first_measure = None
    for spec in OBJECTIVES:
        objective = okrs.objective_create(
            workspace=workspace,
            actor=owner,
            title=spec["title"],
            description=spec["description"],
            owner=owner,
        )
        for title, metric, window, change in spec["results"]:
            measure = okrs.measure_for(workspace=workspace, metric=metric, window_days=window)
            first_measure = first_measure or measure
            baseline = round(okrs.measure_read(measure, on=start).value or 0, 1)
            okrs.key_result_create(
                objective=objective,
                title=title,
                measure=measure,
                baseline=baseline,
                target=_within(METRICS[metric], round(baseline + change, 1)),
                start=start,
                due=due,
            )
    BdnNode.objects.filter(canvas__workspace=workspace, label=BOUND_BENEFIT).update(
        metric_id=first_measure.pk
    )
