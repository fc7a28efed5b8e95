from django.db import transaction

from engage.models import Job, Persona, Segment, User, Workspace
from engage.selectors import next_avatar_colour

PERSONA_FIELDS = (
    "name",
    "short_description",
    "role",
    "segment",
    "avatar_colour",
    "avatar_image",
    "age",
    "sex",
    "income_band",
    "scenario",
    "expectations",
    "personal_story",
)
JOB_FIELDS = ("verb", "object", "context", "kind", "parent")
SEGMENT_FIELDS = ("name", "offering", "industry", "region", "organisation_size")


def _apply(instance, values: dict, allowed: tuple[str, ...]):
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    for field, value in values.items():
        setattr(instance, field, value)
    instance.full_clean()
    instance.save()
    return instance


def segment_create(*, workspace: Workspace, **values) -> Segment:
    return _apply(Segment(workspace=workspace), values, SEGMENT_FIELDS)


def segment_update(*, segment: Segment, **values) -> Segment:
    return _apply(segment, values, SEGMENT_FIELDS)


def segment_delete(*, segment: Segment) -> None:
    segment.delete()


def _avatar_change(values: dict) -> dict:
    """Avatar upload semantics of a file input: None keeps, False clears, a file replaces."""
    image = values.pop("avatar_image", None)
    if image is not None:
        values["avatar_image"] = image or ""
    return values


def persona_create(*, workspace: Workspace, created_by: User, **values) -> Persona:
    values.setdefault("avatar_colour", next_avatar_colour(workspace))
    persona = Persona(workspace=workspace, created_by=created_by)
    return _apply(persona, _avatar_change(values), PERSONA_FIELDS)


def persona_update(*, persona: Persona, **values) -> Persona:
    # A ModelForm has already put the new upload on `persona`: the old file's name is in the row.
    old = Persona.objects.filter(pk=persona.pk).values_list("avatar_image", flat=True).first()
    persona = _apply(persona, _avatar_change(values), PERSONA_FIELDS)
    if old and old != persona.avatar_image.name:
        persona.avatar_image.storage.delete(old)
    return persona


def persona_delete(*, persona: Persona) -> None:
    if persona.avatar_image:
        persona.avatar_image.delete(save=False)
    persona.delete()


@transaction.atomic
def job_create(*, workspace: Workspace, created_by: User, personas=(), **values) -> Job:
    job = _apply(Job(workspace=workspace, created_by=created_by), values, JOB_FIELDS)
    job.personas.set(personas)
    return job


@transaction.atomic
def job_update(*, job: Job, personas=None, **values) -> Job:
    job = _apply(job, values, JOB_FIELDS)
    if personas is not None:
        job.personas.set(personas)
    return job


def job_delete(*, job: Job) -> None:
    job.delete()
