"""A prioritization board's numbers: each item's importance and satisfaction (0–10) from the
board's source, its opportunity and region, the ranking, and the plot's geometry.

Plain values only: the templates draw what these functions measured.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max

from canvases import scoring, types
from canvases.area_panels import Viewer
from canvases.models import (
    Canvas,
    FieldValue,
    FilterRow,
    PriorityItem,
    ScoreSource,
    SurveyAnswer,
)
from engage.models import Job

FILTER_MAPPING = [(score, scoring.filter_score_to_ten(score)) for score in range(1, 6)]

# The plot, in SVG units: a square of SIDE for 0–10 on both axes, inside margins.
LEFT, TOP, SIDE = 44, 14, 300
WIDTH, HEIGHT = LEFT + SIDE + 16, TOP + SIDE + 40
UNIT = SIDE / scoring.SCALE_MAX
REGION_COLOURS = {
    "over_served": "#64748b",
    "served": "#0f766e",
    "under_served": "#c2410c",
    "extreme": "#9a3412",
}
LABEL_GAP = 11  # points closer than this (SVG units) get their numbers staggered


@dataclass
class Row:
    item: PriorityItem
    label: str
    importance: float | None
    satisfaction: float | None
    opportunity: float | None = None
    region: scoring.Region | None = None
    rank: int | None = None
    respondents: int = 0

    @property
    def scored(self) -> bool:
        return self.opportunity is not None


def x(importance: float) -> float:
    return round(LEFT + importance * UNIT, 1)


def y(satisfaction: float) -> float:
    return round(TOP + SIDE - satisfaction * UNIT, 1)


def score_source(canvas: Canvas) -> str:
    value = (
        FieldValue.objects.filter(canvas=canvas, field="source").values_list("value", flat=True)
    ).first()
    return value if value in ScoreSource.values else ScoreSource.DIRECT


def latest_filter(workspace_id: int) -> Canvas | None:
    """The workspace's filter canvas changed most recently (by its last event)."""
    return (
        Canvas.objects.filter(workspace=workspace_id, type=types.JTBD_FILTER.slug)
        .annotate(last_change=Max("events__created_at"))
        .order_by("-last_change", "-updated_at", "-pk")
        .select_related("workspace")
        .first()
    )


def _as_float(value) -> float | None:
    return None if value is None else float(value)


def _filter_scores(filter_canvas: Canvas | None) -> dict[int, tuple]:
    if filter_canvas is None:
        return {}
    rows = FilterRow.objects.filter(canvas=filter_canvas)
    return {
        job: (imp, sat)
        for job, imp, sat in rows.values_list("job_id", "importance", "satisfaction")
    }


def _survey_ratings(canvas_ids) -> dict[tuple[int, int], tuple[list, list]]:
    """(board, outcome) → (importance ratings, satisfaction ratings)."""
    ratings = defaultdict(lambda: ([], []))
    answers = SurveyAnswer.objects.filter(canvas__in=canvas_ids).values_list(
        "canvas_id", "outcome_id", "importance", "satisfaction"
    )
    for board, outcome, imp, sat in answers:
        ratings[board, outcome][0].append(imp)
        ratings[board, outcome][1].append(sat)
    return ratings


def _row(item: PriorityItem, source: str, filter_scores: dict, ratings: dict) -> Row:
    """The item with its 0–10 scores from `source`, its opportunity and region."""
    label = str(item.outcome or item.job)
    if source == ScoreSource.FILTER:
        job_id = item.job_id or (item.outcome.job_id if item.outcome else None)
        importance, satisfaction = filter_scores.get(job_id, (None, None))
        row = Row(
            item,
            label,
            scoring.filter_score_to_ten(importance),
            scoring.filter_score_to_ten(satisfaction),
        )
    elif source == ScoreSource.SURVEY:
        imp, sat = ratings.get((item.canvas_id, item.outcome_id), ([], []))
        row = Row(item, label, scoring.top_two_box(imp), scoring.top_two_box(sat))
        row.respondents = len(imp)
    else:
        row = Row(item, label, _as_float(item.importance), _as_float(item.satisfaction))
    row.opportunity = scoring.opportunity(row.importance, row.satisfaction)
    row.region = scoring.region(row.importance, row.satisfaction)
    return row


def board_rows(canvas: Canvas, source: str | None = None) -> tuple[list[Row], dict]:
    """Every item with its scores from `source` (the board's own by default), ranked.

    Ranked by opportunity, highest first; unscored items last. Returns the rows and
    what the page says about the source (which filter, how many answers).
    """
    source = source or score_source(canvas)
    items = list(
        canvas.priority_items.select_related("job", "outcome", "outcome__job", "decided_by")
    )
    about = {"source": source, "source_label": ScoreSource(source).label}
    filter_scores, ratings = {}, {}
    if source == ScoreSource.FILTER:
        about["filter"] = latest_filter(canvas.workspace_id)
        filter_scores = _filter_scores(about["filter"])
    elif source == ScoreSource.SURVEY:
        ratings = _survey_ratings([canvas.pk])
        about["answers"] = sum(len(imp) for imp, _ in ratings.values())
    rows = [_row(item, source, filter_scores, ratings) for item in items]
    ranked = sorted(
        rows,
        key=lambda row: (
            row.opportunity is None,
            -(row.opportunity or 0),
            -(row.importance or 0),
            row.item.position,
            row.item.pk,
        ),
    )
    for rank, row in enumerate(ranked, start=1):
        row.rank = rank if row.scored else None
    return ranked, about


def item_rows(items: list[PriorityItem]) -> dict[int, Row]:
    """Items of any boards, each scored as its own board scores it: item pk → Row.

    A fixed number of queries however many boards (items need outcome selected).
    """
    boards = {item.canvas_id for item in items}
    chosen = dict(
        FieldValue.objects.filter(canvas__in=boards, field="source").values_list(
            "canvas_id", "value"
        )
    )
    sources = {
        board: chosen.get(board) if chosen.get(board) in ScoreSource.values else ScoreSource.DIRECT
        for board in boards
    }
    filter_scores, ratings = {}, {}
    if ScoreSource.FILTER in sources.values():
        workspace = items[0].canvas.workspace_id
        filter_scores = _filter_scores(latest_filter(workspace))
    if ScoreSource.SURVEY in sources.values():
        ratings = _survey_ratings(
            [b for b, source in sources.items() if source == ScoreSource.SURVEY]
        )
    return {item.pk: _row(item, sources[item.canvas_id], filter_scores, ratings) for item in items}


@dataclass(frozen=True)
class Point:
    rank: int
    label: str
    cx: float
    cy: float
    label_x: float
    label_y: float
    anchor: str
    region: str
    colour: str
    title: str


def plot_points(rows: list[Row]) -> list[Point]:
    """A numbered point per scored item; numbers of points that nearly coincide are staggered."""
    points: list[Point] = []
    for row in rows:
        if not row.scored:
            continue
        cx, cy = x(row.importance), y(row.satisfaction)
        crowd = sum(1 for p in points if abs(p.cx - cx) < LABEL_GAP and abs(p.cy - cy) < LABEL_GAP)
        # Numbers go right of the point, then left, then a line lower, as the crowd grows;
        # by an edge they all go inwards, a line apart.
        near_left, near_right = cx < LEFT + 20, cx > LEFT + SIDE - 20
        if near_left or near_right:
            side, lines = (-1 if near_right else 1), crowd
        else:
            side, lines = (1 if crowd % 2 == 0 else -1), crowd // 2
        label_x = cx + side * 7
        label_y = cy + 3.5 + lines * LABEL_GAP
        points.append(
            Point(
                rank=row.rank,
                label=row.label,
                cx=cx,
                cy=cy,
                label_x=round(label_x, 1),
                label_y=round(label_y, 1),
                anchor="start" if side > 0 else "end",
                region=row.region.value,
                colour=REGION_COLOURS[row.region.value],
                title=f"{row.rank}. {row.label}: importance {row.importance:g}, "
                f"satisfaction {row.satisfaction:g}, opportunity {row.opportunity:g}",
            )
        )
    return points


def _poly(*corners: tuple[float, float]) -> str:
    return " ".join(f"{x(imp)},{y(sat)}" for imp, sat in corners)


def plot_geometry() -> dict:
    """Regions, lines and ticks of the empty plot, in SVG units."""
    top = scoring.SCALE_MAX
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "top": TOP,
        "side": SIDE,
        "bottom": TOP + SIDE,
        "right": LEFT + SIDE,
        "over_served": _poly((0, 0), (0, top), (top, top)),
        "served": _poly((0, 0), (top, top), (5, 0)),
        "under_served": _poly((5, 0), (top, top), (top, 5), (7.5, 0)),
        "extreme": _poly((7.5, 0), (top, 5), (top, 0)),
        "diagonal": (x(0), y(0), x(top), y(top)),
        "opportunity_ten": (x(5), y(0), x(top), y(top)),
        "ticks": [(value, x(value), y(value)) for value in range(0, top + 1, 2)],
        # Each inside its region, clear of the lines: (text, x, y, text-anchor).
        "region_labels": [
            ("Over-served", x(1.8), y(8.6), "middle"),
            ("Served", x(4.3), y(2.6), "middle"),
            ("Under-served", x(9.9), y(5.15), "end"),
            ("Extreme", x(9.05), y(1.4), "middle"),
        ],
        "axis_x": (LEFT + SIDE / 2, TOP + SIDE + 32),
        "axis_y": (12, TOP + SIDE / 2),
    }


def plot_panel(canvas: Canvas, viewer: Viewer) -> dict:
    rows, about = board_rows(canvas)
    return {
        "rows": rows,
        "points": plot_points(rows),
        "geometry": plot_geometry(),
        "mapping": FILTER_MAPPING,
        "is_print": viewer.is_print,
        **about,
    }


def items_panel(canvas: Canvas, viewer: Viewer) -> dict:
    rows, about = board_rows(canvas)
    awaiting = viewer.options.get("show") == "awaiting"
    shown = [row for row in rows if not awaiting or not row.item.decision]
    jobs = []
    if viewer.can_write:
        jobs = list(
            Job.objects.in_workspace(canvas.workspace_id).only("id", "verb", "object", "context")
        )
    on_board = {row.item.job_id for row in rows}
    return {
        "rows": shown,
        "total": len(rows),
        "awaiting": awaiting,
        "awaiting_count": sum(1 for row in rows if not row.item.decision),
        "addable_jobs": [job for job in jobs if job.pk not in on_board],
        "jobs": jobs,
        "direct": about["source"] == ScoreSource.DIRECT,
        "can_write": viewer.can_write,
        "can_review": viewer.can_review and not viewer.is_print,
        "can_import": viewer.can_edit,
        "is_print": viewer.is_print,
        **about,
    }
