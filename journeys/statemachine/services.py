"""Writes to a job's state machine: its states and the transitions between them.

Every write locks the job's row first, so two people adding states at once cannot
both make a start or take the same position. Renames and changes carry the version
they started from and are refused once the row has moved on.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max

from engage.models import Job
from journeys.models import JobState, JobTransition, Stage, TransitionKind
from journeys.stalls import ExpectedFrom

ENDINGS = (TransitionKind.DONE, TransitionKind.CANCEL)


class StaleEdit(ValidationError):
    """The row changed since the form was drawn; the message says what it is now."""


def _lock_job(job: Job | int) -> Job:
    return Job.objects.select_for_update().get(pk=job.pk if isinstance(job, Job) else job)


def _lock_state(state: JobState) -> JobState:
    try:
        return JobState.objects.select_for_update().get(pk=state.pk)
    except JobState.DoesNotExist:
        raise ValidationError("This state was removed in the meantime.") from None


def _name(job: Job, name: str, *, exclude: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("A state needs a name.")
    if len(name) > JobState._meta.get_field("name").max_length:
        raise ValidationError("Keep a state's name under 80 characters.")
    clash = JobState.objects.filter(job=job, name__iexact=name).exclude(pk=exclude)
    if clash.exists():
        raise ValidationError(f"This job already has a state called “{name}”.")
    return name


@transaction.atomic
def state_add(*, job: Job, name: str) -> JobState:
    """Add a state at the end; a job's first state becomes its start."""
    job = _lock_job(job)
    name = _name(job, name)
    states = JobState.objects.filter(job=job)
    last = states.aggregate(Max("position"))["position__max"]
    return JobState.objects.create(
        job=job,
        name=name,
        is_start=not states.filter(is_start=True).exists(),
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def state_rename(*, state: JobState, name: str, expected_version: int) -> JobState:
    _lock_job(state.job_id)
    state = _lock_state(state)
    if state.version != expected_version:
        raise StaleEdit(
            f"Not renamed: someone changed this state while you were editing it; it is now "
            f"called “{state.name}”."
        )
    state.name = _name(state.job, name, exclude=state.pk)
    state.version = F("version") + 1
    state.save(update_fields=["name", "version"])
    state.refresh_from_db()
    return state


@transaction.atomic
def state_remove(*, state: JobState) -> None:
    """Remove a state with the transitions into and out of it. Removing the start leaves
    the job without one until someone chooses it: the checks say so."""
    _lock_job(state.job_id)
    _lock_state(state).delete()


@transaction.atomic
def state_set_start(*, state: JobState) -> JobState:
    _lock_job(state.job_id)
    state = _lock_state(state)
    others = JobState.objects.filter(job_id=state.job_id, is_start=True).exclude(pk=state.pk)
    others.update(is_start=False, version=F("version") + 1)
    if not state.is_start:
        JobState.objects.filter(pk=state.pk).update(is_start=True, version=F("version") + 1)
        state.refresh_from_db()
    return state


@transaction.atomic
def job_state_thresholds_set(
    *,
    state: JobState,
    expected_version: int,
    expected_hours: int | None,
    stuck_hours: int | None,
    expected_from: str,
) -> JobState:
    """When customers in this state count as behind and as stuck (see journeys.stalls), as
    `stages.stage_thresholds_set` does for a stage. A state is no canvas: its edits are
    versioned rows, like the rest of the machine, with no event log to undo from."""
    _lock_job(state.job_id)
    state = _lock_state(state)
    if state.version != expected_version:
        hours = "none" if state.expected_hours is None else f"{state.expected_hours} h"
        raise StaleEdit(
            f"Not saved: someone changed the state “{state.name}” while you were editing it; "
            f"its time set by hand is now {hours}, and it uses "
            f"{ExpectedFrom(state.expected_from).label.lower()}. Look at its times again."
        )
    if (state.expected_hours, state.stuck_hours, state.expected_from) == (
        expected_hours,
        stuck_hours,
        expected_from,
    ):
        return state
    state.expected_hours, state.stuck_hours = expected_hours, stuck_hours
    state.expected_from = expected_from
    state.full_clean()
    state.version += 1
    state.save(update_fields=["expected_hours", "stuck_hours", "expected_from", "version"])
    return state


def workspace_stages(workspace_id: int):
    """The stages a state may map to: current stages of the workspace's journeys."""
    return Stage.objects.current().filter(journey__workspace_id=workspace_id)


@transaction.atomic
def state_map_stage(*, state: JobState, stage: Stage | int | None) -> JobState:
    """Say at which journey stage a customer in this state is (or clear it with None)."""
    job = _lock_job(state.job_id)
    state = _lock_state(state)
    if stage is not None:
        pk = stage.pk if isinstance(stage, Stage) else stage
        stage = workspace_stages(job.workspace_id).filter(pk=pk).first()
        if stage is None:
            raise ValidationError("Choose a stage of one of this workspace's journeys.")
    state.stage = stage
    state.version = F("version") + 1
    state.save(update_fields=["stage", "version"])
    state.refresh_from_db()
    return state


def _kind(kind: str) -> str:
    if kind not in TransitionKind.values:
        raise ValidationError(
            "A transition is information, service, blocker, cancel, spawn or done."
        )
    return kind


def _label(label: str) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise ValidationError("Say what the customer needs to move on.")
    if len(label) > JobTransition._meta.get_field("label").max_length:
        raise ValidationError("Keep the label under 160 characters.")
    return label


def _target(job: Job, kind: str, target: JobState | int | None) -> JobState | None:
    if target is None:
        if kind not in ENDINGS:
            raise ValidationError(
                "Only a done or a cancel may end the job; choose the state this leads to."
            )
        return None
    pk = target.pk if isinstance(target, JobState) else target
    found = JobState.objects.filter(job=job, pk=pk).first()
    if found is None:
        raise ValidationError("The next state must be one of this job's states.")
    return found


def _spawns(job: Job, kind: str, spawns: Job | int | None) -> Job | None:
    if kind != TransitionKind.SPAWN:
        if spawns is not None:
            raise ValidationError("Only a spawn starts a side job.")
        return None
    if spawns is None:
        raise ValidationError("Choose the side job this spawns.")
    pk = spawns.pk if isinstance(spawns, Job) else spawns
    if pk == job.pk:
        raise ValidationError("A job cannot spawn itself; choose another job as the side job.")
    found = Job.objects.filter(workspace_id=job.workspace_id, pk=pk).first()
    if found is None:
        raise ValidationError("The side job must be a job of this workspace.")
    return found


@transaction.atomic
def transition_add(
    *,
    source: JobState,
    kind: str,
    label: str,
    target: JobState | int | None = None,
    spawns: Job | int | None = None,
) -> JobTransition:
    job = _lock_job(source.job_id)
    source = _lock_state(source)
    kind = _kind(kind)
    try:
        return JobTransition.objects.create(
            source=source,
            kind=kind,
            label=_label(label),
            target=_target(job, kind, target),
            spawns=_spawns(job, kind, spawns),
        )
    except IntegrityError:  # the target went between the check and the insert
        raise ValidationError("The next state was removed in the meantime.") from None


@transaction.atomic
def transition_change(
    *,
    transition: JobTransition,
    expected_version: int,
    kind: str,
    label: str,
    target: JobState | int | None = None,
    spawns: Job | int | None = None,
) -> JobTransition:
    job = _lock_job(transition.source.job_id)
    try:
        transition = JobTransition.objects.select_for_update().get(pk=transition.pk)
    except JobTransition.DoesNotExist:
        raise ValidationError("This transition was removed in the meantime.") from None
    if transition.version != expected_version:
        raise StaleEdit(
            f"Not saved: someone changed this transition while you were editing it; it now "
            f"reads “{transition.label}” ({transition.get_kind_display().lower()})."
        )
    transition.kind = _kind(kind)
    transition.label = _label(label)
    transition.target = _target(job, kind, target)
    transition.spawns = _spawns(job, kind, spawns)
    transition.version = F("version") + 1
    transition.save()
    transition.refresh_from_db()
    return transition


@transaction.atomic
def transition_remove(*, transition: JobTransition) -> None:
    _lock_job(transition.source.job_id)
    JobTransition.objects.filter(pk=transition.pk).delete()
