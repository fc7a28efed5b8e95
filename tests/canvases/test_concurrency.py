"""Many editors at once on one canvas, against PostgreSQL: the log stays the truth.

EDITORS threads (20), each with its own database connection, make EDITS edits each on one
empathy map as participants do (add, edit with the version they read, move, vote, delete,
undo), pausing as people do between reading a note and saving it, and several going for
the same few notes. Afterwards: nothing failed but for refusals the editor was told about;
the revisions are 1, 2, 3… with no gap or repeat; replaying the CanvasEvent log gives the
notes and votes the database holds; every accepted text edit replaced the very text its
editor had read, and every refused one was a conflict with a text that had changed; an
undo only ever reverted a note still as its change left it; the revision published for
live boards is the last one.

CI runs 10 edits per editor (seconds); `make bench` runs the full 100 with
CONCURRENCY_EDITS=100 and prints the figures.
"""

import os
import random
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection

from canvases import services
from canvases.models import Canvas, CanvasEvent, Note, Vote
from canvases.services.events import note_state
from engage.roles import Role
from tests.engage.factories import MembershipFactory

EDITORS = int(os.environ.get("CONCURRENCY_EDITORS", "20"))
EDITS = int(os.environ.get("CONCURRENCY_EDITS", "10"))
SEED = int(os.environ.get("CONCURRENCY_SEED", "0")) or random.randrange(1, 10**6)
AREAS = ["see", "say", "do", "hear"]
HOT_NOTES = 6  # most edits go for the same few notes, as in a workshop's discussion
ACTIONS = ["add", "edit", "edit", "edit", "move", "move", "vote", "delete", "undo", "undo"]

Kind = CanvasEvent.Kind
NOTE_KINDS = {
    Kind.NOTE_CREATED,
    Kind.NOTE_EDITED,
    Kind.NOTE_MOVED,
    Kind.NOTE_DELETED,
    Kind.NOTE_RESTORED,
}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
    ),
]


@dataclass
class Attempt:
    editor: int
    action: str
    note_id: int | None = None
    read_text: str | None = None
    read_version: int | None = None
    text: str | None = None
    outcome: str = ""  # ok, conflict, refused, error
    revision: int | None = None
    detail: str = ""


@dataclass
class Editor:
    number: int
    user: object
    canvas_id: int
    rng: random.Random
    attempts: list[Attempt] = field(default_factory=list)

    def run(self, start: threading.Barrier) -> None:
        try:
            start.wait()
            for step in range(EDITS):
                self.attempt(self.rng.choice(ACTIONS), step)
        finally:
            connection.close()  # this thread's own connection

    def pick_note(self) -> Note | None:
        live = list(
            Note.objects.filter(canvas_id=self.canvas_id, is_deleted=False).order_by("pk")[:40]
        )
        if not live:
            return None
        hot = live[:HOT_NOTES]
        return self.rng.choice(hot if self.rng.random() < 0.7 else live)

    def attempt(self, action: str, step: int) -> None:
        attempt = Attempt(self.number, action)
        self.attempts.append(attempt)
        canvas = Canvas.objects.get(pk=self.canvas_id)
        note = None if action in ("add", "undo") else self.pick_note()
        if action not in ("add", "undo") and note is None:
            attempt.outcome = "skipped"
            return
        if note is not None:
            attempt.note_id, attempt.read_text = note.pk, note.text
            attempt.read_version = note.version
        try:
            attempt.revision = self.perform(action, canvas, note, attempt, step)
        except services.EditConflict as conflict:
            attempt.outcome, attempt.detail = "conflict", conflict.current_text
        except ValidationError as refused:
            attempt.outcome, attempt.detail = "refused", refused.messages[0]
        except Exception:
            attempt.outcome, attempt.detail = "error", traceback.format_exc()
        else:
            attempt.outcome = "ok"

    def perform(self, action, canvas, note, attempt, step) -> int | None:
        """Make the change through the services the views call; the revision of an add or
        an edit (each always logs one event)."""
        user, rng = self.user, self.rng
        if action == "add":
            attempt.text = f"editor {self.number} note {step}"
            note = services.note_create(
                canvas=canvas, area=rng.choice(AREAS), text=attempt.text, author=user
            )
            attempt.note_id = note.pk
            return note.canvas.revision
        if action == "edit":
            time.sleep(rng.random() * 0.02)  # typing: others save meanwhile
            attempt.text = f"editor {self.number} edit {step}"
            note = services.note_edit(
                note=note,
                actor=user,
                expected_version=note.version,
                expected_text=note.text,
                text=attempt.text,
            )
            return note.canvas.revision
        if action == "move":
            # A move to where the note is already logs nothing: no revision of its own.
            services.note_move(
                note=note, area=rng.choice(AREAS), position=rng.randrange(6), actor=user
            )
            return None
        if action == "vote":
            services.vote_cast(note=note, voter=user)
            return None
        if action == "delete":
            services.note_delete(note=note, actor=user)
            return None
        undone = services.undo_last(canvas=canvas, actor=user)
        attempt.detail = "nothing to undo" if undone is None else str(undone.pk)
        return None


def replay(events: list[CanvasEvent]) -> tuple[dict, Counter]:
    """The notes and the votes per note that the log describes, applying it in order.

    Each note event must start from the state the log has the note in (`before`): a change
    the log does not know of, or one that overwrote another unseen, fails here. A move
    renumbers the live notes of its target area as `note_move` does.
    """
    notes, votes = {}, Counter()
    for event in events:
        if event.kind in NOTE_KINDS:
            if event.kind == Kind.NOTE_CREATED:
                assert event.note_id not in notes, f"r{event.revision} creates a known note"
            else:
                assert event.before == notes[event.note_id], (
                    f"r{event.revision} ({event.kind}) started from {event.before}, "
                    f"but the log had {notes[event.note_id]}"
                )
            if event.kind == Kind.NOTE_MOVED:
                renumber(notes, event.note_id, event.after)
            notes[event.note_id] = dict(event.after)
        elif event.kind == Kind.VOTE_CAST:
            votes[event.note_id] += 1
        elif event.kind == Kind.VOTE_REMOVED:
            votes[event.note_id] -= 1
    return notes, +votes


def renumber(notes: dict, moved: int, after: dict) -> None:
    siblings = sorted(
        (state["position"], pk)
        for pk, state in notes.items()
        if pk != moved and state["area"] == after["area"] and not state["is_deleted"]
    )
    order = [pk for _, pk in siblings]
    order.insert(after["position"], moved)
    for index, pk in enumerate(order):
        if pk != moved:
            notes[pk]["position"] = index


def test_concurrent_editors_leave_a_canvas_its_history_log_explains(workspace, facilitator):
    canvas = services.canvas_create(
        workspace=workspace, type_slug="empathy_map", created_by=facilitator
    )
    for n in range(HOT_NOTES * 2):
        services.note_create(
            canvas=canvas, area=AREAS[n % len(AREAS)], text=f"Seed note {n}", author=facilitator
        )
    services.round_start(canvas=canvas, actor=facilitator, votes_per_person=20)
    setup_revision = Canvas.objects.get(pk=canvas.pk).revision
    editors = [
        Editor(
            number,
            MembershipFactory(workspace=workspace, role=Role.PARTICIPANT).user,
            canvas.pk,
            random.Random(SEED * 1000 + number),
        )
        for number in range(EDITORS)
    ]
    start = threading.Barrier(EDITORS)
    threads = [threading.Thread(target=editor.run, args=(start,)) for editor in editors]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    seconds = time.perf_counter() - began
    assert not any(thread.is_alive() for thread in threads), "an editor hung"

    attempts = [attempt for editor in editors for attempt in editor.attempts]
    outcomes = Counter(attempt.outcome for attempt in attempts)
    canvas.refresh_from_db()
    events = list(canvas.events.order_by("revision"))
    print(
        f"\n{EDITORS} editors × {EDITS} edits (seed {SEED}) in {seconds:.2f} s: "
        f"{canvas.revision - setup_revision} changes logged, "
        f"{len(attempts) / seconds:.0f} attempts/s, "
        + ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
    )

    errors = [attempt for attempt in attempts if attempt.outcome == "error"]
    assert not errors, f"{len(errors)} edits failed unreported; the first:\n{errors[0].detail}"
    assert len(attempts) == EDITORS * EDITS

    # Revisions: one event each, 1, 2, 3… with no gap or repeat; each editor saw them rise.
    assert [event.revision for event in events] == list(range(1, canvas.revision + 1))
    for editor in editors:
        seen = [a.revision for a in editor.attempts if a.outcome == "ok" and a.revision]
        assert seen == sorted(set(seen)), f"editor {editor.number} saw revisions {seen}"

    # Replaying the log gives the notes and votes the database holds.
    notes, votes = replay(events)
    assert notes == {note.pk: note_state(note) for note in canvas.notes.all()}
    assert votes == Counter(
        Vote.objects.filter(round__canvas=canvas).values_list("note", flat=True)
    )

    # Every accepted write is in the log, by its editor, once.
    logged = Counter((event.actor_id, event.kind) for event in events if event.undoes_id is None)
    for kind, action in [(Kind.NOTE_CREATED, "add"), (Kind.VOTE_CAST, "vote")]:
        for editor in editors:
            accepted = sum(a.action == action and a.outcome == "ok" for a in editor.attempts)
            assert logged[editor.user.pk, kind] == accepted, (editor.number, kind)

    # No silent overwrite: an accepted text edit replaced the text its editor had read; a
    # refused one was a conflict reported with a text someone else had saved meanwhile.
    edits = {
        event.after["text"]: event
        for event in events
        if event.kind == Kind.NOTE_EDITED and event.undoes_id is None
    }
    for attempt in attempts:
        if attempt.action != "edit":
            continue
        if attempt.outcome == "ok":
            event = edits[attempt.text]
            assert event.before["text"] == attempt.read_text, "overwrote a text unseen"
            assert event.actor_id == editors[attempt.editor].user.pk
        elif attempt.outcome == "conflict":
            assert attempt.detail != attempt.read_text, "a conflict where nothing had changed"
        else:
            assert attempt.outcome == "refused" and "deleted" in attempt.detail, attempt.detail
    assert outcomes["conflict"] > 0, "the editors never collided: the run proved nothing"

    # An undo reverted its own change, and only while the note was as that change left it.
    by_pk = {event.pk: event for event in events}
    for event in events:
        if event.undoes_id is not None:
            undone = by_pk[event.undoes_id]
            assert undone.actor_id == event.actor_id
            assert event.before == undone.after, f"r{event.revision} undid an overwritten change"

    # Live boards compare against the published revision: it must be the last one.
    published = cache.get(services.revision_cache_key(canvas.pk))
    assert published == f"{workspace.pk}:{canvas.revision}"
