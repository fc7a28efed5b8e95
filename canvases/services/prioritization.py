"""Items on a prioritization board (jobs or desired outcomes), their direct scores, decisions."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Lower
from django.utils import timezone

from canvases import types
from canvases.models import Canvas, CanvasEvent, Decision, Outcome, PriorityItem, SurveyAnswer
from engage.models import Job, User

from .events import EditConflict, Kind, check_editable, record_event
from .history import register_undo

AREA = "items"


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def item_state(item: PriorityItem) -> dict:
    return {
        "area": AREA,
        "item": item.pk,
        "job": item.job_id,
        "outcome": item.outcome_id,
        "label": str(item.outcome or item.job),
        "position": item.position,
        "importance": _number(item.importance),
        "satisfaction": _number(item.satisfaction),
        "decision": item.decision,
        "comment": item.decision_comment,
        "decided_by": item.decided_by_id,
        "decided_at": item.decided_at.isoformat() if item.decided_at else None,
    }


def _decider(state: dict) -> dict:
    """Who decided and when, as an earlier state had it: undo restores them too."""
    when = state.get("decided_at")
    return {
        "decided_by_id": state.get("decided_by"),
        "decided_at": datetime.fromisoformat(when) if when else None,
    }


def compose_statement(*parts: str) -> str:
    """direction + metric + object + context, e.g. “minimise the time to get a login”."""
    return " ".join(part.strip() for part in parts if part and part.strip())


def board_canvas(canvas: Canvas, actor: User, facilitating: bool) -> Canvas:
    canvas = Canvas.objects.select_for_update().select_related("workspace").get(pk=canvas.pk)
    if canvas.type != types.JTBD_PRIORITIZATION.slug:
        raise ValidationError("Only a JTBD prioritization board holds items.")
    check_editable(canvas, actor, facilitating=facilitating)
    return canvas


def outcome_for(workspace, statement: str, *, job: Job | None = None, **parts) -> Outcome:
    """The workspace's outcome with this statement (any letter case), or a new one."""
    statement = " ".join(statement.split())
    if not statement:
        raise ValidationError("An outcome needs a statement.")
    found = (
        Outcome.objects.filter(workspace=workspace)
        .annotate(lower=Lower("statement"))
        .filter(lower=statement.lower())
        .first()
    )
    if found:
        return found
    outcome = Outcome(workspace=workspace, statement=statement, job=job, **parts)
    outcome.full_clean(validate_constraints=False)
    outcome.save()
    return outcome


def clean_score(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ValidationError("Scores are numbers from 0 to 10.") from None
    if not score.is_finite() or not 0 <= score <= 10:
        raise ValidationError("Scores are numbers from 0 to 10.")
    return score.quantize(Decimal("0.01"))


@transaction.atomic
def item_add(
    *,
    canvas: Canvas,
    actor: User,
    job: Job | None = None,
    outcome: Outcome | None = None,
    importance=None,
    satisfaction=None,
    position: int | None = None,
    decision: str = "",
    comment: str = "",
    decider: dict | None = None,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> PriorityItem:
    """Put a job or an outcome of the workspace on the board (undo may bring its decision back)."""
    canvas = board_canvas(canvas, actor, facilitating)
    if (job is None) == (outcome is None):
        raise ValidationError("Pick a job or describe an outcome.")
    thing = job or outcome
    if thing.workspace_id != canvas.workspace_id:
        raise ValidationError("That belongs to another workspace.")
    if canvas.priority_items.filter(job=job, outcome=outcome).exists():
        raise ValidationError(f"“{thing}” is already on this board.")
    if position is None:
        last = canvas.priority_items.aggregate(Max("position"))["position__max"]
        position = 0 if last is None else last + 1
    item = PriorityItem.objects.create(
        canvas=canvas,
        job=job,
        outcome=outcome,
        importance=clean_score(importance),
        satisfaction=clean_score(satisfaction),
        position=position,
        decision=decision,
        decision_comment=comment,
        **(decider or {}),
    )
    record_event(canvas, Kind.ITEM_ADDED, actor, after=item_state(item), undoes=undoes)
    return item


@transaction.atomic
def outcome_item_add(
    *,
    canvas: Canvas,
    actor: User,
    direction: str = "",
    metric: str = "",
    object: str = "",
    context: str = "",
    job: Job | None = None,
    facilitating: bool = False,
) -> PriorityItem:
    """A desired outcome composed from its parts, belonging to `job` or else the board's job."""
    if not metric.strip() or not object.strip():
        raise ValidationError("An outcome needs at least a metric and an object.")
    job = job or canvas.job
    statement = compose_statement(direction, metric, object, context)
    parts = {"direction": direction.strip(), "metric": metric.strip()}
    parts.update(object=object.strip(), context=context.strip())
    outcome = outcome_for(canvas.workspace, statement, job=job, **parts)
    return item_add(canvas=canvas, actor=actor, outcome=outcome, facilitating=facilitating)


def _locked_item(item: PriorityItem) -> PriorityItem:
    try:
        return (
            PriorityItem.objects.select_for_update(of=("self",))
            .select_related("canvas", "job", "outcome")
            .get(pk=item.pk)
        )
    except PriorityItem.DoesNotExist:
        raise ValidationError("That item was removed from the board meanwhile.") from None


def _save(item: PriorityItem, kind: str, actor: User, before: dict, undoes) -> PriorityItem:
    item.version += 1
    item.full_clean()
    item.save()
    record_event(item.canvas, kind, actor, before=before, after=item_state(item), undoes=undoes)
    return item


@transaction.atomic
def item_score(
    *,
    item: PriorityItem,
    actor: User,
    expected_version: int,
    importance=None,
    satisfaction=None,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> PriorityItem:
    """Set the directly entered importance and satisfaction (0–10; empty clears)."""
    item = _locked_item(item)
    check_editable(item.canvas, actor, facilitating=facilitating)
    importance, satisfaction = clean_score(importance), clean_score(satisfaction)
    if item.version != expected_version:
        raise EditConflict(
            f"Someone changed “{item}” while you were scoring it.",
            current_text=f"importance {_number(item.importance) or '—'}, "
            f"satisfaction {_number(item.satisfaction) or '—'}",
            current_version=item.version,
        )
    if (item.importance, item.satisfaction) == (importance, satisfaction):
        return item
    before = item_state(item)
    item.importance, item.satisfaction = importance, satisfaction
    return _save(item, Kind.ITEM_CHANGED, actor, before, undoes)


@transaction.atomic
def item_decide(
    *,
    item: PriorityItem,
    actor: User,
    decision: str,
    comment: str = "",
    expected_version: int | None = None,
    decider: dict | None = None,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> PriorityItem:
    """Record (or, with an empty decision, withdraw) the reviewer's decision on an item.

    `decider` (undo only) restores who decided and when instead of "`actor`, now".
    """
    item = _locked_item(item)
    check_editable(item.canvas, actor, facilitating=facilitating)
    if decision and decision not in Decision.values:
        raise ValidationError("Decide accept, defer or reject.")
    if expected_version is not None and item.version != expected_version:
        raise EditConflict(
            f"Someone decided on “{item}” while you were writing.",
            current_text=f"{item.get_decision_display() or 'no decision'}: {item.decision_comment}",
            current_version=item.version,
        )
    comment = comment.strip()
    if (item.decision, item.decision_comment) == (decision, comment):
        return item
    before = item_state(item)
    item.decision, item.decision_comment = decision, comment if decision else ""
    item.decided_by, item.decided_at = (actor, timezone.now()) if decision else (None, None)
    if decider is not None:
        item.decided_by_id, item.decided_at = decider["decided_by_id"], decider["decided_at"]
    return _save(item, Kind.DECISION, actor, before, undoes)


@transaction.atomic
def item_remove(
    *, item: PriorityItem, actor: User, facilitating: bool = False, undoes=None
) -> None:
    item = _locked_item(item)
    check_editable(item.canvas, actor, facilitating=facilitating)
    before = item_state(item)
    item.delete()
    record_event(item.canvas, Kind.ITEM_REMOVED, actor, before=before, undoes=undoes)


def priority_items_copy(source: Canvas, copy: Canvas) -> None:
    """A new version of a board starts with the items, scores, decisions and survey answers."""
    copied = ("job_id", "outcome_id", "importance", "satisfaction", "position", "decision")
    copied += ("decision_comment", "decided_by_id", "decided_at")
    PriorityItem.objects.bulk_create(
        PriorityItem(canvas=copy, **{name: getattr(item, name) for name in copied})
        for item in source.priority_items.all()
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(
            canvas=copy,
            outcome_id=answer.outcome_id,
            respondent=answer.respondent,
            importance=answer.importance,
            satisfaction=answer.satisfaction,
            imported_by_id=answer.imported_by_id,
        )
        for answer in source.survey_answers.all()
    )


def _undo_item(event: CanvasEvent, common: dict) -> None:
    if event.kind == Kind.ITEM_REMOVED:
        state = event.before
        workspace = event.canvas.workspace_id
        job = Job.objects.filter(pk=state["job"], workspace=workspace).first()
        outcome = Outcome.objects.filter(pk=state["outcome"], workspace=workspace).first()
        if job is None and outcome is None:
            raise ValidationError("That job or outcome was deleted; it cannot come back.")
        item_add(
            canvas=event.canvas,
            job=job,
            outcome=outcome,
            importance=state["importance"],
            satisfaction=state["satisfaction"],
            position=state["position"],
            decision=state["decision"],
            comment=state["comment"],
            decider=_decider(state),
            **common,
        )
        return
    # By what it holds, not by id: undoing a removal brings the item back under a new id.
    after = event.after
    item = event.canvas.priority_items.filter(job=after["job"], outcome=after["outcome"]).first()
    if item is None or {**item_state(item), "item": None} != {**after, "item": None}:
        raise ValidationError(
            "Someone changed this item after you did; undo would overwrite their change."
        )
    before = event.before
    if event.kind == Kind.ITEM_ADDED:
        item_remove(item=item, **common)
    elif event.kind == Kind.ITEM_CHANGED:
        item_score(
            item=item,
            expected_version=item.version,
            importance=before["importance"],
            satisfaction=before["satisfaction"],
            **common,
        )
    else:
        item_decide(
            item=item,
            decision=before["decision"],
            comment=before["comment"],
            decider=_decider(before),
            **common,
        )


for _kind in (Kind.ITEM_ADDED, Kind.ITEM_CHANGED, Kind.ITEM_REMOVED, Kind.DECISION):
    register_undo(_kind, _undo_item)
