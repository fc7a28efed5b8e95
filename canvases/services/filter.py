"""The JTBD filter's table: one row per job of the workspace, a tag and five 1–5 scores."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from canvases import types
from canvases.models import FILTER_SCORES, Canvas, CanvasEvent, FilterRow, JobKind
from engage import services as engage_services
from engage.models import Job, User

from .events import EditConflict, Kind, check_editable, record_event
from .history import register_undo

AREA = "jobs"
ROW_FIELDS = ("kind", *FILTER_SCORES)


def row_state(row: FilterRow) -> dict:
    return {
        "area": AREA,
        "row": row.pk,
        "job": row.job_id,
        "label": row.job.statement,
        "position": row.position,
        **{name: getattr(row, name) for name in ROW_FIELDS},
    }


def _filter_canvas(canvas: Canvas, actor: User, facilitating: bool) -> Canvas:
    canvas = Canvas.objects.select_for_update().get(pk=canvas.pk)
    if canvas.type != types.JTBD_FILTER.slug:
        raise ValidationError("Only a JTBD filter canvas has a table of jobs.")
    check_editable(canvas, actor, facilitating=facilitating)
    return canvas


def clean_row_value(field: str, value) -> int | str | None:
    if field == "kind":
        if value not in JobKind.values:
            raise ValidationError("Tag the job functional, social or emotional.")
        return value
    if field not in FILTER_SCORES:
        raise ValidationError(f"The filter has no column “{field}”.")
    if value in (None, ""):
        return None
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError("Scores run from 1 to 5.")
    return score


@transaction.atomic
def filter_row_add(
    *,
    canvas: Canvas,
    actor: User,
    job: Job | None = None,
    verb: str = "",
    object: str = "",
    context: str = "",
    kind: str = "",
    scores: dict | None = None,
    position: int | None = None,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> FilterRow:
    """Put a job on the filter: an existing job of the workspace, or a new one (verb + object + context)."""
    canvas = _filter_canvas(canvas, actor, facilitating)
    if job is None:
        if not verb.strip() or not object.strip():
            raise ValidationError("Pick a job, or give a new job a verb and an object.")
        job = engage_services.job_create(
            workspace=canvas.workspace,
            created_by=actor,
            verb=verb.strip(),
            object=object.strip(),
            context=context.strip(),
            kind=kind or JobKind.FUNCTIONAL,
        )
    elif job.workspace_id != canvas.workspace_id:
        raise ValidationError("That job belongs to another workspace.")
    if canvas.filter_rows.filter(job=job).exists():
        raise ValidationError(f"“{job.statement}” is already on this filter.")
    if position is None:
        last = canvas.filter_rows.aggregate(Max("position"))["position__max"]
        position = 0 if last is None else last + 1
    row = FilterRow(
        canvas=canvas,
        job=job,
        kind=clean_row_value("kind", kind or job.kind),
        position=position,
        updated_by=actor,
    )
    for name, value in (scores or {}).items():
        setattr(row, name, clean_row_value(name, value))
    row.full_clean()
    row.save()
    record_event(canvas, Kind.ROW_ADDED, actor, after=row_state(row), undoes=undoes)
    return row


def _locked_row(row: FilterRow) -> FilterRow:
    try:
        return FilterRow.objects.select_for_update().select_related("canvas", "job").get(pk=row.pk)
    except FilterRow.DoesNotExist:
        raise ValidationError("That job was removed from the filter meanwhile.") from None


@transaction.atomic
def filter_row_set(
    *,
    row: FilterRow,
    field: str,
    value,
    actor: User,
    expected_version: int,
    expected_value: str | None = None,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> FilterRow:
    """Change one cell: the tag or a score (None clears it).

    The editor saw version `expected_version`; if the row moved on since, the change is
    refused with EditConflict, unless `expected_value` (the cell as the editor saw it)
    shows that only other cells changed.
    """
    row = _locked_row(row)
    check_editable(row.canvas, actor, facilitating=facilitating)
    value = clean_row_value(field, value)
    current = getattr(row, field)
    same_cell = expected_value is not None and str(current or "") == str(expected_value or "")
    if row.version != expected_version and not same_cell:
        shown = row.get_kind_display() if field == "kind" else current
        raise EditConflict(
            f"Someone changed “{row.job.statement}” while you were scoring it.",
            current_text="—" if shown is None else str(shown),
            current_version=row.version,
        )
    if current == value:
        return row
    before = row_state(row)
    setattr(row, field, value)
    row.version += 1
    row.updated_by = actor
    row.full_clean()
    row.save()
    record_event(
        row.canvas, Kind.ROW_CHANGED, actor, before=before, after=row_state(row), undoes=undoes
    )
    return row


@transaction.atomic
def filter_row_remove(
    *,
    row: FilterRow,
    actor: User,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> None:
    row = _locked_row(row)
    check_editable(row.canvas, actor, facilitating=facilitating)
    before = row_state(row)
    row.delete()
    record_event(row.canvas, Kind.ROW_REMOVED, actor, before=before, undoes=undoes)


def filter_rows_copy(source: Canvas, copy: Canvas) -> None:
    """A new version of a filter starts with the rows and scores of the old one."""
    FilterRow.objects.bulk_create(
        FilterRow(
            canvas=copy,
            job_id=row.job_id,
            position=row.position,
            updated_by_id=row.updated_by_id,
            **{name: getattr(row, name) for name in ROW_FIELDS},
        )
        for row in source.filter_rows.all()
    )


def _undo_row(event: CanvasEvent, common: dict) -> None:
    if event.kind == Kind.ROW_REMOVED:
        state = event.before
        job = Job.objects.filter(pk=state["job"], workspace=event.canvas.workspace_id).first()
        if job is None:
            raise ValidationError("That job was deleted; it cannot come back to the filter.")
        filter_row_add(
            canvas=event.canvas,
            job=job,
            kind=state["kind"],
            scores={name: state[name] for name in FILTER_SCORES},
            position=state["position"],
            **common,
        )
        return
    # By its job, not by id: undoing a removal brings the row back under a new id.
    row = event.canvas.filter_rows.filter(job=event.after["job"]).select_related("job").first()
    if row is None or {**row_state(row), "row": None} != {**event.after, "row": None}:
        raise ValidationError(
            "Someone changed this row after you did; undo would overwrite their change."
        )
    if event.kind == Kind.ROW_ADDED:
        filter_row_remove(row=row, **common)
        return
    changed = [name for name in ROW_FIELDS if event.before[name] != event.after[name]]
    for name in changed:
        row = filter_row_set(
            row=row,
            field=name,
            value=event.before[name],
            expected_version=row.version,
            **common,
        )


for _kind in (Kind.ROW_ADDED, Kind.ROW_CHANGED, Kind.ROW_REMOVED):
    register_undo(_kind, _undo_row)
