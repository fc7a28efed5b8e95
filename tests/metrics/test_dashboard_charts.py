"""The dashboard's pure parts: chart geometry, the period windows, the kept filters."""

import datetime as dt

import pytest
from django.http import QueryDict

from metrics import charts
from metrics.selectors import month_starts
from metrics.views.filters import query_string, window

JAN = [dt.date(2026, month, 1) for month in range(1, 13)]


def trend(values, low=-100, high=100):
    return charts.trend_chart(
        zip(JAN, values, strict=False), slug="t", title="T", low=low, high=high
    )


def test_a_trend_maps_the_scale_to_the_plot():
    chart = trend([100, 0, -100] + [None] * 9)
    ys = [m["point"]["y"] for m in chart["months"][:3]]
    assert ys == [chart["top"], (chart["top"] + chart["bottom"]) / 2, chart["bottom"]]
    assert [label for label, _y, _zero in chart["ticks"]] == ["-100", "0", "100"]
    assert [zero for _l, _y, zero in chart["ticks"]] == [False, True, False]


def test_months_without_data_are_gaps_never_zero():
    chart = trend([10, 20, None, 30, None, None, 40, 50, None, None, None, 60])
    assert len(chart["lines"]) == 2  # Jan–Feb and Jul–Aug; Apr and Dec stand alone as dots
    assert all(len(line.split()) == 2 for line in chart["lines"])
    assert [m["point"] is None for m in chart["months"]].count(True) == 6
    assert chart["has_data"]
    assert not trend([None] * 12)["has_data"] and trend([None] * 12)["lines"] == []


def test_values_outside_the_scale_are_clamped_to_its_edge():
    chart = trend([150, -150], low=0, high=100)
    assert [m["point"]["y"] for m in chart["months"][:2]] == [chart["top"], chart["bottom"]]
    assert chart["months"][0]["point"]["value"] == 150  # the label keeps the true value


def test_a_longer_history_keeps_the_width_and_labels_fewer_months():
    months = month_starts(dt.date(2026, 12, 1), 36)
    long = charts.trend_chart([(m, 1) for m in months], slug="t", title="T", low=0, high=100)
    assert long["width"] == trend([1] * 12)["width"]
    assert sum(1 for m in long["months"] if m["label"]) == 12
    assert [m["year"] for m in long["months"] if m["year"]] == [2024, 2025, 2026]


def test_bars_are_proportional_to_the_largest():
    chart = charts.bar_chart(
        [("Web", 30, "60 %"), ("Phone", 15, "30 %"), ("A very long channel name", 5, "10 %")],
        slug="b",
        title="B",
    )
    lengths = [bar["length"] for bar in chart["bars"]]
    assert lengths == [charts.BAR_SPAN, charts.BAR_SPAN / 2, round(charts.BAR_SPAN / 6, 1)]
    assert chart["bars"][2]["short"] == "A very long c…"
    assert charts.bar_chart([("None", 0, "")], slug="b", title="B")["bars"][0]["length"] == 0
    assert charts.bar_chart([], slug="b", title="B")["bars"] == []


def test_month_starts_cross_years():
    assert month_starts(dt.date(2026, 2, 17), 3) == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]


TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    "period,start,end,expected",
    [
        (
            "30",
            None,
            None,
            (dt.date(2026, 11, 3), TODAY, (dt.date(2026, 10, 4), dt.date(2026, 11, 2))),
        ),
        (
            "365",
            None,
            None,
            (dt.date(2025, 12, 3), TODAY, (dt.date(2024, 12, 3), dt.date(2025, 12, 2))),
        ),
        ("all", None, None, (None, None, None)),
        ("", dt.date(2026, 1, 1), None, (None, None, None)),  # dates count only for a range
        (
            "range",
            dt.date(2026, 2, 1),
            dt.date(2026, 2, 28),
            (
                dt.date(2026, 2, 1),
                dt.date(2026, 2, 28),
                (dt.date(2026, 1, 4), dt.date(2026, 1, 31)),
            ),
        ),
        ("range", dt.date(2026, 2, 1), None, (dt.date(2026, 2, 1), None, None)),
        ("range", None, dt.date(2026, 2, 1), (None, dt.date(2026, 2, 1), None)),
    ],
)
def test_a_period_and_the_one_before_it(period, start, end, expected):
    assert window(period, start, end, TODAY) == expected


def test_only_known_filters_are_kept():
    assert query_string(QueryDict("period=90&evil=1&segment=3")) == "period=90&segment=3"
    assert query_string("period=range&start=2026-01-01&next=//x") == (
        "period=range&start=2026-01-01"
    )
    assert query_string("") == ""
