"""What the dashboard, its PDF and the pack's "Metrics" section show: the current values
for a period and slice, the previous period's survey figures, and the monthly trends.

A fixed number of queries whatever the number of rows or snapshots: the selectors read
one query per measure, and trends one per month of a fixed number of months.
"""

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone

from engage.models import Workspace
from journeys.models import Channel
from metrics import charts, selectors
from metrics.models import MetricsRun

TREND_MONTHS = 12
PACK_MONTHS_MAX = 36


def _change(now, before):
    return None if now is None or before is None else now - before


def _percent(value):
    return None if value is None else value * 100


def trend_charts(workspace, *, end: dt.date, months: int, segment=None, persona=None) -> list:
    """The monthly trend charts: NPS, CSAT, retention, digital share, net sentiment."""
    surveys = selectors.survey_trend(
        workspace, end=end, months=months, segment=segment, persona=persona
    )
    first = surveys[0]["month"]
    retention = {
        dt.date.fromisoformat(row["month"]): row["rate"]
        for row in selectors.retention_values(workspace, start=first, end=end)["monthly"]
    }
    digital = selectors.digital_trend(workspace, end=end, months=months)
    social = selectors.net_sentiment_trend(workspace, end=end, months=months)
    sliced = " (this slice)" if segment or persona else ""
    return [
        charts.trend_chart(
            [(row["month"], row["nps"]["score"]) for row in surveys],
            slug="nps",
            title=f"NPS{sliced}",
            low=-100,
            high=100,
        ),
        charts.trend_chart(
            [(row["month"], row["csat"]["percent"]) for row in surveys],
            slug="csat",
            title=f"CSAT, % satisfied{sliced}",
            low=0,
            high=100,
            unit="%",
        ),
        charts.trend_chart(
            [(row["month"], _percent(retention.get(row["month"]))) for row in surveys],
            slug="retention",
            title="Monthly retention",
            low=0,
            high=100,
            unit="%",
        ),
        charts.trend_chart(
            [(row["month"], row["digital_percent"]) for row in digital],
            slug="digital",
            title="Digital share of interactions",
            low=0,
            high=100,
            unit="%",
        ),
        charts.trend_chart(
            [(row["month"], row["net_sentiment"]) for row in social],
            slug="sentiment",
            title="Net sentiment",
            low=-100,
            high=100,
        ),
    ]


def _channel_chart(digital: dict) -> dict:
    labels = dict(Channel.choices)
    return charts.bar_chart(
        [
            (
                labels.get(row["channel"], row["channel"]),
                row["count"],
                f"{row['percent']:.0f} %{' · digital' if row['digital'] else ''}",
            )
            for row in digital["channels"]
        ],
        slug="channels",
        title="Interactions by channel",
    )


def _advocates_chart(advocates: list) -> dict:
    return charts.bar_chart(
        [
            (a["author"], a["positive_mentions"], f"{a['positive_mentions']} · reach {a['reach']}")
            for a in advocates
        ],
        slug="advocates",
        title="Top advocates by positive mentions",
    )


def _active_days_chart(stickiness: dict) -> dict:
    percent = stickiness["active_days"]["percent"]
    return charts.bar_chart(
        [
            (f"{days} day{'s' if days != '1' else ''}", share, f"{share:.0f} %")
            for days, share in sorted(percent.items(), key=lambda item: int(item[0]))
        ],
        slug="active-days",
        title="Customers by active days in the month",
    )


def _percents(values: dict) -> dict:
    """The fractions the cards show as percentages."""
    btabok, model = values["clv"].get("btabok") or {}, values["clv"].get("model") or {}
    return {
        "retention": _percent(values["retention"]["rate"]),
        "churn": _percent(values["retention"]["churn"]),
        "dau_mau": _percent(values["stickiness"]["dau_mau"]),
        "wau_mau": _percent(values["stickiness"]["wau_mau"]),
        "margin": _percent(btabok.get("default_margin")),
        "p_alive": _percent(model.get("mean_probability_alive")),
    }


def dashboard_context(
    workspace: Workspace,
    *,
    start=None,
    end=None,
    previous=None,
    segment=None,
    persona=None,
    months: int | None = TREND_MONTHS,
) -> dict:
    """Everything the cards and charts show; `months=None` trends over the whole history
    (up to PACK_MONTHS_MAX months)."""
    segment_pk = segment.pk if segment else None
    persona_pk = persona.pk if persona else None
    first, last, computed_at = selectors.snapshot_span(workspace)
    values = selectors.current_metrics(
        workspace, start=start, end=end, segment=segment_pk, persona=persona_pk
    )
    before = None
    if previous:
        before = selectors.survey_values(
            workspace, start=previous[0], end=previous[1], segment=segment_pk, persona=persona_pk
        )
    trend_end = end or last or timezone.localdate()
    if months is None:
        span = selectors.month_starts(trend_end, PACK_MONTHS_MAX)
        months = max(TREND_MONTHS, len([m for m in span if first and m >= first.replace(day=1)]))
    trends = trend_charts(
        workspace, end=trend_end, months=months, segment=segment_pk, persona=persona_pk
    )
    return {
        "values": values,
        "previous": before,
        "previous_window": previous,
        "changes": {
            "nps": _change(values["nps"]["score"], before and before["nps"]["score"]),
            "csat": _change(values["csat"]["percent"], before and before["csat"]["percent"]),
            "ces": _change(values["ces"]["mean"], before and before["ces"]["mean"]),
        },
        "window": (start, end),
        "slice": segment or persona,
        "computed_at": computed_at,
        "has_data": selectors.has_data(workspace),
        "trends": trends,
        "trend_rows": [
            (row[0]["month"], [m["value"] for m in row])
            for row in zip(*(chart["months"] for chart in trends), strict=True)
        ],
        "trend_months": months,
        "trend_end": trend_end,
        "this_month": timezone.localdate().replace(day=1).isoformat(),
        "channel_chart": _channel_chart(values["digital"]),
        "active_days_chart": _active_days_chart(values["stickiness"]),
        "advocates": values["social"]["top_advocates"][:5],
        "advocates_chart": _advocates_chart(values["social"]["top_advocates"][:5]),
        "percent": _percents(values),
    }


def latest_run(workspace: Workspace) -> MetricsRun | None:
    return MetricsRun.objects.filter(workspace=workspace).first()


def pack_section_html(workspace: Workspace) -> str:
    """The "Metrics" section of a canvas pack: every measure over the whole history."""
    context = {
        "workspace": workspace,
        **dashboard_context(workspace, months=None),
        "generated_at": timezone.now(),
        "is_print": True,
        "period_label": "Whole history",
    }
    return render_to_string("metrics/pack.html", context)
