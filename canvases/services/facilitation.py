"""What a facilitator runs: the lock, private mode, the countdown and dot-voting rounds."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from canvases.models import Canvas, Note, Vote, VotingRound
from engage.models import User

from .events import Kind, record_event

MAX_TIMER_SECONDS = 4 * 60 * 60


def _locked_canvas(canvas: Canvas) -> Canvas:
    return Canvas.objects.select_for_update().get(pk=canvas.pk)


@transaction.atomic
def canvas_set_locked(*, canvas: Canvas, locked: bool, actor: User) -> Canvas:
    canvas = _locked_canvas(canvas)
    if canvas.is_locked != locked:
        canvas.is_locked = locked
        canvas.save(update_fields=["is_locked", "updated_at"])
        record_event(canvas, Kind.LOCKED if locked else Kind.UNLOCKED, actor)
    return canvas


@transaction.atomic
def canvas_set_private(*, canvas: Canvas, private: bool, actor: User) -> Canvas:
    """Private mode hides participants' new notes from each other until revealed."""
    canvas = _locked_canvas(canvas)
    if canvas.is_private != private:
        canvas.is_private = private
        canvas.save(update_fields=["is_private", "updated_at"])
        record_event(
            canvas,
            Kind.CANVAS_UPDATED,
            actor,
            before={"private": not private},
            after={"private": private},
        )
    return canvas


@transaction.atomic
def notes_reveal(*, canvas: Canvas, actor: User) -> int:
    canvas = _locked_canvas(canvas)
    revealed = Note.objects.filter(canvas=canvas, is_hidden=True).update(is_hidden=False)
    if revealed:
        record_event(canvas, Kind.NOTES_REVEALED, actor, after={"count": revealed})
    return revealed


def timer_remaining(canvas: Canvas) -> int | None:
    """Seconds left on the countdown, or None when there is no countdown."""
    if canvas.timer_paused_seconds is not None:
        return canvas.timer_paused_seconds
    if canvas.timer_ends_at is None:
        return None
    return max(0, int((canvas.timer_ends_at - timezone.now()).total_seconds()))


@transaction.atomic
def timer_control(*, canvas: Canvas, action: str, actor: User, seconds: int = 0) -> Canvas:
    """start (seconds), pause, resume, add (seconds), stop — one countdown per canvas."""
    canvas = _locked_canvas(canvas)
    before = {
        "remaining": timer_remaining(canvas),
        "paused": canvas.timer_paused_seconds is not None,
    }
    now = timezone.now()
    if action == "start":
        if not 0 < seconds <= MAX_TIMER_SECONDS:
            raise ValidationError("Set the timer between one second and four hours.")
        canvas.timer_ends_at, canvas.timer_paused_seconds = now + timedelta(seconds=seconds), None
    elif action == "pause" and canvas.timer_ends_at and canvas.timer_paused_seconds is None:
        canvas.timer_paused_seconds, canvas.timer_ends_at = timer_remaining(canvas), None
    elif action == "resume" and canvas.timer_paused_seconds is not None:
        canvas.timer_ends_at = now + timedelta(seconds=canvas.timer_paused_seconds)
        canvas.timer_paused_seconds = None
    elif action == "add" and before["remaining"] is not None:
        if canvas.timer_paused_seconds is not None:
            canvas.timer_paused_seconds = min(
                canvas.timer_paused_seconds + seconds, MAX_TIMER_SECONDS
            )
        else:
            canvas.timer_ends_at = max(canvas.timer_ends_at, now) + timedelta(seconds=seconds)
    elif action == "stop":
        canvas.timer_ends_at = canvas.timer_paused_seconds = None
    elif action not in {"pause", "resume", "add"}:
        raise ValidationError(f"Unknown timer action “{action}”.")
    after = {
        "remaining": timer_remaining(canvas),
        "paused": canvas.timer_paused_seconds is not None,
    }
    if after != before or action == "start":
        canvas.save(update_fields=["timer_ends_at", "timer_paused_seconds", "updated_at"])
        record_event(canvas, Kind.TIMER, actor, before=before, after={**after, "action": action})
    return canvas


def open_round(canvas: Canvas) -> VotingRound | None:
    return canvas.voting_rounds.filter(ended_at=None).first()


@transaction.atomic
def round_start(
    *, canvas: Canvas, actor: User, votes_per_person: int = 3, anonymous: bool = True
) -> VotingRound:
    canvas = _locked_canvas(canvas)
    if open_round(canvas):
        raise ValidationError("A voting round is already open: end it first.")
    if not 1 <= votes_per_person <= 20:
        raise ValidationError("Give each person between 1 and 20 votes.")
    voting = VotingRound.objects.create(
        canvas=canvas, votes_per_person=votes_per_person, is_anonymous=anonymous, started_by=actor
    )
    record_event(
        canvas,
        Kind.ROUND_STARTED,
        actor,
        after={"votes_per_person": votes_per_person, "anonymous": anonymous},
    )
    return voting


@transaction.atomic
def round_end(*, canvas: Canvas, actor: User) -> VotingRound:
    canvas = _locked_canvas(canvas)
    voting = open_round(canvas)
    if voting is None:
        raise ValidationError("There is no open voting round.")
    voting.ended_at = timezone.now()
    voting.save(update_fields=["ended_at"])
    record_event(canvas, Kind.ROUND_ENDED, actor, after={"votes": voting.votes.count()})
    return voting


@transaction.atomic
def vote_cast(*, note: Note, voter: User) -> Vote:
    """Put one of the voter's dots on a note; dots may stack on one note."""
    canvas = _locked_canvas(note.canvas)
    # Re-read under the canvas lock: the caller's copy may predate a delete.
    note = Note.objects.get(pk=note.pk)
    voting = open_round(canvas)
    if voting is None:
        raise ValidationError("Voting is closed: wait for the facilitator to start a round.")
    if note.is_deleted or note.canvas_id != canvas.pk:
        raise ValidationError("That note can't be voted on.")
    used = voting.votes.filter(voter=voter).count()
    if used >= voting.votes_per_person:
        raise ValidationError(f"You have used all {voting.votes_per_person} of your votes.")
    vote = Vote.objects.create(round=voting, note=note, voter=voter)
    record_event(canvas, Kind.VOTE_CAST, voter, note=note, after={"area": note.area})
    return vote


@transaction.atomic
def vote_remove(*, note: Note, voter: User) -> bool:
    canvas = _locked_canvas(note.canvas)
    voting = open_round(canvas)
    vote = voting and voting.votes.filter(voter=voter, note=note).order_by("-created_at").first()
    if not vote:
        return False
    vote.delete()
    record_event(canvas, Kind.VOTE_REMOVED, voter, note=note, after={"area": note.area})
    return True
