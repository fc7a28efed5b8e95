"""Current metric values read from snapshots (never from raw rows), for any range of days
and, for survey measures, any segment or persona.

Additive aggregates are summed over the days in range, so a range gives the same figures
as computing it from the rows would. Measures without data are None, never 0.
"""

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import asdict

from django.db.models import Max, Min, Q
from django.utils import timezone

from journeys.models import Stage
from metrics import calculations
from metrics.models import Customer, InteractionEvent, Snapshot, SocialMention

FAR_PAST, FAR_FUTURE = dt.date(1, 1, 1), dt.date(9999, 12, 31)


def _snapshots(workspace, source, period, *, dimension="", key="", start=None, end=None):
    rows = Snapshot.objects.filter(
        workspace=workspace, source=source, period=period, dimension=dimension, key=str(key)
    )
    if start:
        rows = rows.filter(start__gte=start)
    if end:
        rows = rows.filter(start__lte=end)
    return rows.order_by("start").values_list("start", "data")


def _slice(**slices) -> tuple[str, str]:
    """The snapshot dimension and key of at most one slice (segment, persona, touchpoint)."""
    given = [(name, str(key)) for name, key in slices.items() if key is not None]
    if len(given) > 1:
        raise ValueError("Slice by one of a segment, a persona or a touchpoint at a time.")
    return given[0] if given else ("", "")


def add_histograms(totals: dict, data: dict) -> None:
    """Add one snapshot's answer histograms ({kind: [count of 0, 1, … 10]}) to `totals`."""
    for kind, counts in data.items():
        totals[kind] = [a + b for a, b in zip(totals.get(kind, [0] * 11), counts, strict=True)]


def survey_figures(totals: dict) -> dict:
    """NPS, CSAT and CES from summed answer histograms."""
    nps, csat, ces = (totals.get(kind, [0] * 11) for kind in ("nps", "csat", "ces"))
    score = calculations.nps(
        promoters=nps[9] + nps[10], passives=nps[7] + nps[8], detractors=sum(nps[:7])
    )
    satisfaction = calculations.csat({value: csat[value] for value in range(1, 6)})
    effort = calculations.ces({value: ces[value] for value in range(1, 8)})
    return {
        "nps": {
            "score": score.score,
            "promoters": score.promoters,
            "passives": score.passives,
            "detractors": score.detractors,
            "n": score.n,
            "ci95": list(score.ci95) if score.ci95 else None,
            "interval": score.interval.value,
        },
        "csat": {"percent": satisfaction.percent, "mean": satisfaction.mean, "n": satisfaction.n},
        "ces": {"mean": effort.mean, "n": effort.n},
    }


def survey_values(
    workspace, *, start=None, end=None, segment=None, persona=None, touchpoint=None
) -> dict:
    dimension, key = _slice(segment=segment, persona=persona, touchpoint=touchpoint)
    totals = {}
    for _day, data in _snapshots(
        workspace, "surveys", "day", dimension=dimension, key=key, start=start, end=end
    ):
        add_histograms(totals, data)
    return survey_figures(totals)


def digital_values(workspace, *, start=None, end=None) -> dict:
    counts = defaultdict(int)
    for channel, data in Snapshot.objects.filter(
        workspace=workspace,
        source="events",
        period="day",
        dimension="channel",
        start__gte=start or FAR_PAST,
        start__lte=end or FAR_FUTURE,
    ).values_list("key", "data"):
        counts[channel] += data["events"]
    mix = calculations.channel_mix({c: n for c, n in counts.items() if c != "unknown"})
    return {
        "events": sum(counts.values()),
        "digital_percent": mix.digital_percent,
        "channels": [asdict(channel) for channel in mix.channels],
        "without_channel": counts.get("unknown", 0),
    }


def social_values(workspace, *, start=None, end=None) -> dict:
    sums = defaultdict(int)
    for _day, data in _snapshots(workspace, "mentions", "day", start=start, end=end):
        for name, value in data.items():
            sums[name] += value
    summary = calculations.sentiment_summary(
        positive=sums["positive"],
        neutral=sums["neutral"],
        negative=sums["negative"],
        reach=sums["reach"] if sums else None,
    )
    advocates = _snapshots(workspace, "advocates", "all").first()
    return {
        "mentions": summary.total,
        "positive_percent": summary.positive_percent,
        "negative_percent": summary.negative_percent,
        "net_sentiment": summary.net_sentiment,
        "reach": summary.reach,
        "top_advocates": [
            {"author": a, "positive_mentions": p, "reach": r}
            for a, p, r in (advocates[1]["authors"] if advocates else [])
        ],
    }


def _month_number(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _this_month() -> dt.date:
    return timezone.now().date().replace(day=1)


def retention_values(workspace, *, start=None, end=None) -> dict:
    """Retention over the complete months in range: the month still running would count
    its customers who have not come back yet as lost, so it is listed but not rated."""
    first = start.replace(day=1) if start else None
    months = list(_snapshots(workspace, "retention", "month", start=first, end=end))
    running = _this_month()
    complete = [(m, d) for m, d in months if m < running and d["at_start"]]
    kept = sum(d["at_end"] - d["new"] for _m, d in complete)
    at_start = sum(d["at_start"] for _m, d in complete)
    new = sum(d["new"] for _m, d in complete)
    rate = calculations.retention(at_start=at_start, at_end=kept + new, new=new)
    last = _month_number(end) if end else None
    cohorts = [
        (month, int(since), count)
        for month, data in _snapshots(workspace, "cohort", "month", start=first, end=end)
        for since, count in data["active"].items()
        if last is None or _month_number(month) + int(since) <= last
    ]
    table = calculations.cohort_table(cohorts, as_of=end) if cohorts else []
    return {
        "rate": rate.retention_rate,
        "churn": rate.churn_rate,
        "months": len(months),
        "customers_at_start": at_start,
        "kept": kept,
        "new": new,
        "monthly": [
            {
                "month": month.isoformat(),
                **data,
                "complete": month < running,
                "rate": (data["at_end"] - data["new"]) / data["at_start"]
                if data["at_start"] and month < running
                else None,
            }
            for month, data in months
        ],
        "cohorts": [
            {"cohort": row.cohort.isoformat(), "size": row.size, "retention": list(row.retention)}
            for row in table
        ],
    }


def stickiness_values(workspace, *, start=None, end=None) -> dict:
    """DAU/MAU and WAU/MAU of the latest complete month in range with activity (the month
    still running when it is the only one)."""
    first = start.replace(day=1) if start else None
    months = list(_snapshots(workspace, "activity", "month", start=first, end=end))
    complete = [(month, data) for month, data in months if month < _this_month()]
    months = complete or months
    if not months:
        return {
            "month": None,
            "dau_mau": None,
            "wau_mau": None,
            "mau": None,
            "active_days": {"n": 0, "median": None, "mean": None, "percent": {}},
        }
    month, data = months[-1]
    last_day = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    daily = sum(
        d.get("active", 0)
        for _s, d in _snapshots(workspace, "events", "day", start=month, end=last_day)
    )
    weeks = list(_snapshots(workspace, "activity", "week", start=month, end=last_day))
    days = calculations.active_days({int(k): v for k, v in data.get("active_days", {}).items()})
    return {
        "month": month.isoformat(),
        "mau": data["active"],
        "dau_mau": calculations.dau_mau(
            daily_active_total=daily, days=last_day.day, monthly_active=data["active"]
        ),
        "wau_mau": calculations.wau_mau(
            weekly_active_total=min(
                sum(w["active"] for _s, w in weeks), len(weeks) * data["active"]
            ),
            weeks=len(weeks),
            monthly_active=data["active"],
        )
        if weeks
        else None,
        "active_days": {
            "n": days.n,
            "median": days.median,
            "mean": days.mean,
            "percent": {str(k): v for k, v in days.percent.items()},
        },
    }


def clv_values(workspace) -> dict:
    found = _snapshots(workspace, "clv", "all").first()
    if not found:
        return {"btabok": None, "model": None}
    return {"btabok": found[1]["btabok"], "model": found[1]["model"], "as_of": found[1]["as_of"]}


def current_metrics(workspace, *, start=None, end=None, segment=None, persona=None) -> dict:
    """Every measure, as `show_metrics --json` prints it. Survey measures follow the
    segment or persona slice; the others are for everyone (their slices come later)."""
    return {
        **survey_values(workspace, start=start, end=end, segment=segment, persona=persona),
        "clv": clv_values(workspace),
        "retention": retention_values(workspace, start=start, end=end),
        "stickiness": stickiness_values(workspace, start=start, end=end),
        "digital": digital_values(workspace, start=start, end=end)
        | {"by_stage": digital_by_stage(workspace, start=start, end=end)},
        "social": social_values(workspace, start=start, end=end),
    }


# --- For the dashboard: trends, freshness, what is there -------------------------------


def month_starts(last: dt.date, months: int) -> list[dt.date]:
    """The first days of the `months` months ending with the month of `last`, oldest first."""
    number = _month_number(last)
    return [dt.date(n // 12, n % 12 + 1, 1) for n in range(number - months + 1, number + 1)]


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def survey_trend(workspace, *, end: dt.date, months=12, segment=None, persona=None) -> list:
    """NPS and CSAT month by month (one query a month, so a fixed number per page)."""
    return [
        {
            "month": month,
            **survey_values(
                workspace, start=month, end=_month_end(month), segment=segment, persona=persona
            ),
        }
        for month in month_starts(end, months)
    ]


def digital_trend(workspace, *, end: dt.date, months=12) -> list:
    return [
        {"month": month, **digital_values(workspace, start=month, end=_month_end(month))}
        for month in month_starts(end, months)
    ]


def net_sentiment_trend(workspace, *, end: dt.date, months=12) -> list:
    """Mentions and net sentiment month by month, from the day snapshots (one query)."""
    first = month_starts(end, months)[0]
    sums = defaultdict(lambda: defaultdict(int))
    for day, data in _snapshots(workspace, "mentions", "day", start=first, end=_month_end(end)):
        for name in ("positive", "neutral", "negative"):
            sums[day.replace(day=1)][name] += data.get(name, 0)
    trend = []
    for month in month_starts(end, months):
        counts = sums.get(month, {})
        summary = calculations.sentiment_summary(
            positive=counts.get("positive", 0),
            neutral=counts.get("neutral", 0),
            negative=counts.get("negative", 0),
        )
        trend.append(
            {"month": month, "mentions": summary.total, "net_sentiment": summary.net_sentiment}
        )
    return trend


def snapshot_span(workspace) -> tuple[dt.date | None, dt.date | None, dt.datetime | None]:
    """(first day, last day, computed at) of the workspace's dated snapshots, in one query."""
    dated = ~Q(period=Snapshot.Period.ALL)
    found = Snapshot.objects.filter(workspace=workspace).aggregate(
        first=Min("start", filter=dated),
        last=Max("start", filter=dated),
        computed=Max("computed_at"),
    )
    return found["first"], found["last"], found["computed"]


def has_data(workspace) -> bool:
    """Whether any data was fed in at all (customers, answers, purchases, events, mentions)."""
    return (
        Customer.objects.filter(workspace=workspace).exists()
        or InteractionEvent.objects.filter(workspace=workspace).exists()
        or SocialMention.objects.filter(workspace=workspace).exists()
    )


def stage_interactions(workspace, stage_ids: list[int], *, start=None, end=None) -> dict:
    """{stage id: ChannelMix} of the events customers sent while at each stage, over the
    months touching the range (one query); events without a channel are left out."""
    counts = defaultdict(int)
    first = start.replace(day=1) if start else None
    for key, data in Snapshot.objects.filter(
        workspace=workspace,
        source="stage_events",
        period="month",
        dimension="stage",
        key__in=[str(pk) for pk in stage_ids],
        start__gte=first or FAR_PAST,
        start__lte=end or FAR_FUTURE,
    ).values_list("key", "data"):
        for channel, count in data.items():
            if channel != "unknown":
                counts[(int(key), channel)] += count
    return calculations.channel_mix_by_stage(
        (stage, channel, count) for (stage, channel), count in counts.items()
    )


def digital_by_stage(workspace, *, start=None, end=None) -> list[dict]:
    """Each journey stage's measured interactions and digital share, in map order."""
    stages = list(
        Stage.objects.current()
        .filter(journey__workspace=workspace)
        .select_related("journey__canvas")
        .order_by("journey__canvas__title", "journey", "position")
    )
    mixes = stage_interactions(workspace, [s.pk for s in stages], start=start, end=end)
    return [
        {
            "journey": stage.journey.canvas.title,
            "stage": stage.name,
            "events": mixes[stage.pk].total,
            "digital_percent": mixes[stage.pk].digital_percent,
        }
        for stage in stages
        if stage.pk in mixes
    ]
