from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from canvases import types
from canvases.models import Canvas, FieldValue, Note
from engage.models import Job, Persona, User, Workspace

from .bdn import network_copy
from .events import Kind, record_event
from .filter import filter_rows_copy
from .prioritization import priority_items_copy


@transaction.atomic
def canvas_create(
    *,
    workspace: Workspace,
    type_slug: str,
    created_by: User,
    title: str = "",
    persona: Persona | None = None,
    job: Job | None = None,
    facilitator: str = "",
    session_date=None,
) -> Canvas:
    canvas_type = types.get(type_slug)
    if persona is not None and persona.workspace_id != workspace.pk:
        raise ValidationError("Pick a persona of this workspace.")
    if job is not None and job.workspace_id != workspace.pk:
        raise ValidationError("Pick a job of this workspace.")
    if type_slug == types.PERSONA_CARD.slug and persona is None:
        raise ValidationError("A persona card is the card of one persona: pick the persona.")
    persona = persona if "persona" in canvas_type.links else None
    job = job if "job" in canvas_type.links else None
    canvas = Canvas.objects.create(
        workspace=workspace,
        type=type_slug,
        title=title or _default_title(canvas_type, persona, job),
        persona=persona,
        job=job,
        facilitator=facilitator or created_by.display_name,
        session_date=session_date,
        created_by=created_by,
    )
    if canvas_type.create_rows:
        canvas_type.create_rows(canvas, created_by)
    record_event(
        canvas, Kind.CANVAS_CREATED, created_by, after={"title": canvas.title, "type": type_slug}
    )
    return canvas


def _default_title(canvas_type: types.CanvasType, persona, job) -> str:
    subject = persona.name if persona else (job.statement if job else "")
    return f"{canvas_type.title}: {subject}" if subject else canvas_type.title


@transaction.atomic
def canvas_copy(*, canvas: Canvas, actor: User) -> Canvas:
    """A new version of the canvas with the same notes and fields; the old one stays as it was."""
    latest = Canvas.objects.filter(
        workspace=canvas.workspace_id, title=canvas.title, type=canvas.type
    ).aggregate(Max("version"))["version__max"]
    copy = Canvas.objects.create(
        workspace=canvas.workspace,
        type=canvas.type,
        title=canvas.title,
        persona=canvas.persona,
        job=canvas.job,
        header=canvas.header,
        facilitator=canvas.facilitator,
        session_date=canvas.session_date,
        version=(latest or canvas.version) + 1,
        copied_from=canvas,
        created_by=actor,
    )
    Note.objects.bulk_create(
        Note(
            canvas=copy,
            area=note.area,
            text=note.text,
            colour=note.colour,
            author=note.author,
            position=note.position,
            score=note.score,
        )
        for note in canvas.notes.filter(is_deleted=False, is_hidden=False)
    )
    FieldValue.objects.bulk_create(
        FieldValue(canvas=copy, field=value.field, value=value.value, updated_by=actor)
        for value in canvas.field_values.all()
    )
    filter_rows_copy(canvas, copy)
    priority_items_copy(canvas, copy)
    network_copy(source=canvas, copy=copy)
    if canvas.canvas_type.copy_rows:
        canvas.canvas_type.copy_rows(canvas, copy)
    record_event(
        copy, Kind.CANVAS_CREATED, actor, after={"copied_from": canvas.pk, "version": copy.version}
    )
    return copy
