"""The JTBD filter's table as the board draws it: rows, sorting, the jobs one can add."""

from dataclasses import dataclass

from canvases.area_panels import Viewer
from canvases.models import FILTER_SCORES, Canvas, FilterRow, JobKind
from engage.models import Job

SCORE_TITLES = {
    "satisfaction": ("Satisfaction", "Does failing at it hurt them?"),
    "importance": ("Importance", "Are there unsolved problems?"),
    "noticeable": ("Noticeable", "Do they know they need it?"),
    "valuable": ("Valuable", "Would they pay; how many?"),
    "priority": ("Overall priority", "How much should we serve it?"),
}
SORT_KEYS = ("job", "kind", *FILTER_SCORES)
KIND_ORDER = {kind: index for index, kind in enumerate(JobKind.values)}


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    hint: str
    sort: str  # "ascending", "descending" or "none": for aria-sort
    next_order: str  # the order a click asks for


def parse_sort(value: str) -> tuple[str, str]:
    """ "importance:desc" → ("importance", "desc"); anything unknown → the filter's own order."""
    key, _, order = (value or "").partition(":")
    if key not in SORT_KEYS:
        return "", "asc"
    return key, "desc" if order == "desc" else "asc"


def sort_rows(rows: list[FilterRow], key: str, order: str) -> list[FilterRow]:
    """Stable, blanks last in either direction; ties keep the filter's own order."""
    if not key:
        return rows

    def value(row):
        if key == "job":
            return row.job.statement.casefold()
        if key == "kind":
            return KIND_ORDER.get(row.kind, 99)
        return getattr(row, key)

    filled = [row for row in rows if value(row) is not None]
    blank = [row for row in rows if value(row) is None]
    return sorted(filled, key=value, reverse=order == "desc") + blank


def columns(key: str, order: str) -> list[Column]:
    result = [Column("job", "Job", "The job, as verb + object + context", "none", "asc")]
    result.append(Column("kind", "Kind", "Functional, social or emotional", "none", "asc"))
    result += [Column(name, *SCORE_TITLES[name], "none", "desc") for name in FILTER_SCORES]
    for index, column in enumerate(result):
        if column.key == key:
            is_asc = order == "asc"
            result[index] = Column(
                column.key,
                column.title,
                column.hint,
                "ascending" if is_asc else "descending",
                "desc" if is_asc else "asc",
            )
    return result


def filter_panel(canvas: Canvas, viewer: Viewer) -> dict:
    key, order = parse_sort(viewer.options.get("sort", ""))
    rows = list(canvas.filter_rows.select_related("job"))
    on_filter = {row.job_id for row in rows}
    addable = []
    if viewer.can_write:
        addable = [
            job
            for job in Job.objects.in_workspace(canvas.workspace_id).only(
                "id", "verb", "object", "context"
            )
            if job.pk not in on_filter
        ]
    return {
        "rows": [
            {
                "row": row,
                "scores": [
                    (name, SCORE_TITLES[name][0], getattr(row, name)) for name in FILTER_SCORES
                ],
            }
            for row in sort_rows(rows, key, order)
        ],
        "criteria": [SCORE_TITLES[name] for name in FILTER_SCORES],
        "can_write": viewer.can_write,
        "is_print": viewer.is_print,
        "columns": columns(key, order),
        "scores": FILTER_SCORES,
        "sorted_by": key,
        "kinds": JobKind.choices,
        "addable_jobs": addable,
        "scale": range(1, 6),
    }
