"""Geometry of the dashboard's charts: monthly trend lines and horizontal bars.

Lean SVG templates rather than a charting library: the very same SVG goes on the page and
into WeasyPrint's PDF (which runs no JavaScript), it needs no inline style attributes (the
CSP forbids them; presentation attributes do the work), user text is escaped by Django's
templates like any other, and there is no bundle to pin and audit. Python measures here;
templates/metrics/_trend_chart.html and _bar_chart.html only draw what is measured.
"""

import datetime as dt
from collections.abc import Iterable

from django.utils.text import Truncator

SCALE = 1.0  # on screen, an SVG unit is this many CSS pixels (shrinking to fit narrow screens)
PRINT_MM = 0.26  # in print, this many millimetres: three charts side by side on A4 landscape
TOP, PLOT_HEIGHT, LEFT, RIGHT_PAD, PLOT_WIDTH = 14, 120, 32, 8, 240


def _sizes(width: float, height: float) -> dict:
    return {
        "display": (round(width * SCALE), round(height * SCALE)),
        "print": (round(width * PRINT_MM, 1), round(height * PRINT_MM, 1)),
    }


def _runs(points: list[dict | None]) -> list[str]:
    """Polyline point lists of consecutive months with a value: a month without data is a gap."""
    runs, current = [], []
    for point in points:
        if point is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(f"{point['x']},{point['y']}")
    if current:
        runs.append(current)
    return [" ".join(run) for run in runs if len(run) > 1]


def trend_chart(
    series: Iterable[tuple[dt.date, float | None]],
    *,
    slug: str,
    title: str,
    low: float,
    high: float,
    unit: str = "",
) -> dict:
    """A line over months on a fixed scale from `low` to `high`; months without data leave
    gaps (and a dot stands alone), never a fall to 0."""
    series = list(series)
    span = high - low

    def y(value: float) -> float:
        clamped = min(max(value, low), high)
        return round(TOP + PLOT_HEIGHT * (high - clamped) / span, 1)

    every = 1 if len(series) <= 12 else 3 if len(series) <= 36 else 6
    slot = PLOT_WIDTH / max(len(series), 1)  # the same width for 12 months or 36
    months, points = [], []
    for index, (month, value) in enumerate(series):
        x = round(LEFT + slot / 2 + index * slot, 1)
        point = None if value is None else {"x": x, "y": y(value), "value": value}
        points.append(point)
        months.append(
            {
                "month": month,
                "value": value,
                "x": x,
                "label": month.strftime("%b") if index % every == 0 else "",
                "year": month.year
                if index % every == 0 and (index == 0 or month.month == 1)
                else "",
                "point": point,
            }
        )
    width = LEFT + PLOT_WIDTH + RIGHT_PAD
    height = TOP + PLOT_HEIGHT + 30
    ticks = sorted({low, high, (low + high) / 2, *([0] if low < 0 < high else [])})
    return {
        "slug": slug,
        "title": title,
        "unit": unit,
        "width": width,
        "height": height,
        **_sizes(width, height),
        "left": LEFT,
        "right": width - RIGHT_PAD,
        "top": TOP,
        "bottom": TOP + PLOT_HEIGHT,
        "month_y": TOP + PLOT_HEIGHT + 13,
        "year_y": TOP + PLOT_HEIGHT + 24,
        "ticks": [(f"{tick:g}", y(tick), tick == 0) for tick in ticks],
        "months": months,
        "lines": _runs(points),
        "has_data": any(point is not None for point in points),
    }


BAR_LEFT, BAR_ROW, BAR_HEIGHT, BAR_SPAN, NOTE_WIDTH = 84, 20, 12, 120, 64


def bar_chart(rows: Iterable[tuple[str, float, str]], *, slug: str, title: str) -> dict:
    """Horizontal bars, one per (label, value, note): the longest bar spans the plot."""
    rows = list(rows)
    most = max((value for _, value, _ in rows), default=0) or 1
    bars = []
    for index, (label, value, note) in enumerate(rows):
        y = 6 + index * BAR_ROW
        length = round(BAR_SPAN * value / most, 1)
        bars.append(
            {
                "label": label,
                "short": Truncator(label).chars(14),
                "value": value,
                "note": note,
                "y": y,
                "text_y": y + BAR_HEIGHT - 3,
                "length": length,
                "end_x": round(BAR_LEFT + length + 5, 1),
            }
        )
    width, height = BAR_LEFT + BAR_SPAN + NOTE_WIDTH, 6 + len(rows) * BAR_ROW + 2
    return {
        "slug": slug,
        "title": title,
        "width": width,
        "height": height,
        **_sizes(width, height),
        "left": BAR_LEFT,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
    }


KR_LEFT, KR_TOP, KR_WIDTH, KR_HEIGHT, KR_RIGHT = 34, 8, 250, 70, 8


def key_result_chart(
    readings: list[tuple[dt.date, float]],
    *,
    baseline: float,
    target: float,
    start: dt.date,
    due: dt.date,
    today: dt.date,
) -> dict:
    """A key result's measured value over time against its plan: the straight path from the
    baseline at the start to the target when due, both levels drawn across. The value axis
    spans the baseline, the target and every reading, with a little room around them."""
    first = min([start, *(day for day, _ in readings)])
    last = max(due, today)
    days = max((last - first).days, 1)
    values = [baseline, target, *(value for _, value in readings)]
    low, high = min(values), max(values)
    pad = (high - low) * 0.12 or 1
    low, high = low - pad, high + pad

    def x(day: dt.date) -> float:
        return round(KR_LEFT + KR_WIDTH * (day - first).days / days, 1)

    def y(value: float) -> float:
        return round(KR_TOP + KR_HEIGHT * (high - value) / (high - low), 1)

    points = [{"x": x(day), "y": y(value), "day": day, "value": value} for day, value in readings]
    width, height = KR_LEFT + KR_WIDTH + KR_RIGHT, KR_TOP + KR_HEIGHT + 16
    return {
        "width": width,
        "height": height,
        **_sizes(width, height),
        "left": KR_LEFT,
        "right": KR_LEFT + KR_WIDTH,
        "bottom": KR_TOP + KR_HEIGHT,
        "label_y": KR_TOP + KR_HEIGHT + 12,
        "baseline_y": y(baseline),
        "target_y": y(target),
        "plan": {"x1": x(start), "y1": y(baseline), "x2": x(due), "y2": y(target)},
        "today_x": x(min(today, last)),
        "line": " ".join(f"{p['x']},{p['y']}" for p in points),
        "points": points,
        "last": points[-1] if points else None,
        "first_day": first,
        "last_day": last,
    }


FUNNEL_LABEL, FUNNEL_SPAN, FUNNEL_ROW, FUNNEL_BAR, FUNNEL_NOTE = 128, 300, 46, 18, 150


def funnel_chart(steps: list) -> dict:
    """One bar per stage, as long as the customers who reached it (the most reached spans
    the plot), with the share that moved on to the next stage written beneath."""
    most = max((step.reached for step in steps), default=0) or 1
    rows = []
    for index, step in enumerate(steps):
        y = 6 + index * FUNNEL_ROW
        length = round(FUNNEL_SPAN * step.reached / most, 1)
        rows.append(
            {
                "step": step,
                "short": Truncator(step.stage.name).chars(18),
                "y": y,
                "text_y": y + FUNNEL_BAR - 5,
                "note_y": y + FUNNEL_BAR + 13,
                "length": length,
                "end_x": round(FUNNEL_LABEL + length + 6, 1),
            }
        )
    width = FUNNEL_LABEL + FUNNEL_SPAN + FUNNEL_NOTE
    height = 6 + len(steps) * FUNNEL_ROW
    return {
        "width": width,
        "height": height,
        **_sizes(width, height),
        "left": FUNNEL_LABEL,
        "bar_height": FUNNEL_BAR,
        "rows": rows,
        "has_data": any(step.reached for step in steps),
    }
