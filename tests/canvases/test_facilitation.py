"""What a facilitator runs on a board: the lock, private mode, the countdown and dot voting."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvases import selectors, services
from canvases.models import Canvas, CanvasEvent, Note, Vote, VotingRound
from canvases.services.facilitation import MAX_TIMER_SECONDS
from engage.roles import Role
from tests.canvases.factories import CanvasFactory, NoteFactory
from tests.canvases.live import board_htmx, redrawn_areas, sent_notes
from tests.engage.factories import UserFactory

pytestmark = pytest.mark.django_db

Kind = CanvasEvent.Kind
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def canvas(workspace, facilitator):
    canvas = CanvasFactory(workspace=workspace, created_by=facilitator)
    # The shared cache outlives test databases, and ids repeat from one run to the next.
    cache.delete_many([services.revision_cache_key(canvas.pk), f"canvas:{canvas.pk}:presence"])
    return canvas


@pytest.fixture
def notes(canvas, alice, bob):
    """Four notes on the board: A and B by Alice, C and D by Bob."""
    return [
        NoteFactory(canvas=canvas, area="say", text=text, author=author)
        for text, author in [("A", alice), ("B", alice), ("C", bob), ("D", bob)]
    ]


def add(canvas, text, author, **kwargs):
    return services.note_create(canvas=canvas, area="think", text=text, author=author, **kwargs)


def kinds(canvas):
    return list(canvas.events.order_by("revision").values_list("kind", flat=True))


def visible_texts(canvas, user, *, facilitating=False):
    views = selectors.board_areas(canvas, user, facilitating=facilitating)
    return {note.text for view in views for note in view.notes}


def remaining(canvas):
    canvas.refresh_from_db()
    return services.timer_remaining(canvas)


def timer(canvas, action, actor, seconds=0):
    return services.timer_control(canvas=canvas, action=action, actor=actor, seconds=seconds)


def elapse(canvas, seconds):
    """Let `seconds` pass on a running countdown, without waiting for them."""
    Canvas.objects.filter(pk=canvas.pk, timer_ends_at__isnull=False).update(
        timer_ends_at=F("timer_ends_at") - timedelta(seconds=seconds)
    )


def board_votes(canvas, user):
    """What `user` sees of the voting: the bar's context and each note card by text."""
    notes = [
        note
        for view in selectors.board_areas(canvas, user, facilitating=False)
        for note in view.notes
    ]
    return selectors.attach_votes(canvas, notes, user), {note.text: note for note in notes}


def ranking(canvas, user):
    bar, _ = board_votes(canvas, user)
    return [(note.text, total) for note, total in bar["results"]]


def vote(note, voter, times=1):
    for _ in range(times):
        services.vote_cast(note=note, voter=voter)


# --- Lock --------------------------------------------------------------------------------


def test_lock_and_unlock_are_logged_once_each(canvas, facilitator):
    services.canvas_set_locked(canvas=canvas, locked=True, actor=facilitator)
    services.canvas_set_locked(canvas=canvas, locked=True, actor=facilitator)
    canvas.refresh_from_db()
    assert canvas.is_locked

    services.canvas_set_locked(canvas=canvas, locked=False, actor=facilitator)

    canvas.refresh_from_db()
    assert not canvas.is_locked
    assert kinds(canvas) == [Kind.LOCKED, Kind.UNLOCKED]
    assert set(canvas.events.values_list("actor", flat=True)) == {facilitator.pk}
    assert canvas.revision == 2


def test_a_locked_canvas_takes_a_facilitators_note_but_not_a_participants(
    canvas, facilitator, alice
):
    services.canvas_set_locked(canvas=canvas, locked=True, actor=facilitator)

    with pytest.raises(ValidationError, match="locked"):
        add(canvas, "Will I keep my job?", alice)
    add(canvas, "Think about the budget", facilitator, facilitating=True)

    services.canvas_set_locked(canvas=canvas, locked=False, actor=facilitator)
    add(canvas, "Now I may", alice)
    assert sorted(canvas.notes.values_list("text", flat=True)) == [
        "Now I may",
        "Think about the budget",
    ]


# --- Private mode ------------------------------------------------------------------------


def test_private_notes_stay_hidden_from_other_participants_until_revealed(
    canvas, facilitator, alice, bob
):
    add(canvas, "Said before private mode", bob)
    services.canvas_set_private(canvas=canvas, private=True, actor=facilitator)
    add(canvas, "Alice's secret", alice)
    add(canvas, "Bob's secret", bob)
    add(canvas, "Facilitator's prompt", facilitator, facilitating=True)

    assert visible_texts(canvas, alice) == {
        "Said before private mode",
        "Alice's secret",
        "Facilitator's prompt",
    }
    assert "Alice's secret" not in visible_texts(canvas, bob)
    assert "Bob's secret" in visible_texts(canvas, facilitator, facilitating=True)

    canvas.refresh_from_db()
    revision = canvas.revision
    assert services.notes_reveal(canvas=canvas, actor=facilitator) == 2

    everything = {"Said before private mode", "Alice's secret", "Bob's secret"}
    assert visible_texts(canvas, alice) == visible_texts(canvas, bob) >= everything
    (event,) = canvas.events.filter(revision__gt=revision)
    assert (event.kind, event.actor, event.after) == (
        Kind.NOTES_REVEALED,
        facilitator,
        {"count": 2},
    )


def test_revealing_with_nothing_hidden_logs_nothing(canvas, facilitator, alice):
    add(canvas, "Out in the open", alice)
    canvas.refresh_from_db()
    revision = canvas.revision

    assert services.notes_reveal(canvas=canvas, actor=facilitator) == 0

    canvas.refresh_from_db()
    assert canvas.revision == revision


def test_private_mode_is_logged_when_it_changes(canvas, facilitator):
    services.canvas_set_private(canvas=canvas, private=True, actor=facilitator)
    services.canvas_set_private(canvas=canvas, private=True, actor=facilitator)
    services.canvas_set_private(canvas=canvas, private=False, actor=facilitator)

    events = canvas.events.order_by("revision")
    assert [(e.kind, e.before, e.after) for e in events] == [
        (Kind.CANVAS_UPDATED, {"private": False}, {"private": True}),
        (Kind.CANVAS_UPDATED, {"private": True}, {"private": False}),
    ]


# --- Timer -------------------------------------------------------------------------------


def test_starting_the_timer_sets_the_time_left(canvas, facilitator):
    assert services.timer_remaining(canvas) is None

    timer(canvas, "start", facilitator, seconds=300)

    assert 298 <= remaining(canvas) <= 300
    (event,) = canvas.events.all()
    assert (event.kind, event.after["action"], event.before["remaining"]) == (
        Kind.TIMER,
        "start",
        None,
    )


def test_the_countdown_runs_down_to_zero_and_no_further(canvas, facilitator):
    timer(canvas, "start", facilitator, seconds=300)

    elapse(canvas, 100)
    assert 198 <= remaining(canvas) <= 200
    elapse(canvas, 1000)
    assert remaining(canvas) == 0


def test_a_paused_countdown_stays_still_and_resumes_where_it_was(canvas, facilitator):
    timer(canvas, "start", facilitator, seconds=300)
    elapse(canvas, 100)

    timer(canvas, "pause", facilitator)
    paused = remaining(canvas)
    assert 198 <= paused <= 200
    elapse(canvas, 60)
    time.sleep(1.1)
    assert remaining(canvas) == paused

    timer(canvas, "resume", facilitator)
    assert paused - 1 <= remaining(canvas) <= paused
    elapse(canvas, 50)
    assert paused - 51 <= remaining(canvas) <= paused - 50
    assert kinds(canvas) == [Kind.TIMER] * 3


def test_pause_and_resume_that_change_nothing_log_nothing(canvas, facilitator):
    timer(canvas, "pause", facilitator)
    timer(canvas, "resume", facilitator)
    timer(canvas, "add", facilitator, seconds=60)
    timer(canvas, "start", facilitator, seconds=300)
    timer(canvas, "resume", facilitator)

    assert remaining(canvas) is not None
    assert kinds(canvas) == [Kind.TIMER]


@pytest.mark.parametrize("paused", [False, True], ids=["running", "paused"])
def test_a_minute_more_adds_sixty_seconds(canvas, facilitator, paused):
    timer(canvas, "start", facilitator, seconds=300)
    if paused:
        timer(canvas, "pause", facilitator)
    before = remaining(canvas)

    timer(canvas, "add", facilitator, seconds=60)

    assert before + 59 <= remaining(canvas) <= before + 60
    assert (canvas.timer_paused_seconds is not None) is paused


def test_a_minute_more_on_a_finished_countdown_gives_a_minute(canvas, facilitator):
    timer(canvas, "start", facilitator, seconds=60)
    elapse(canvas, 600)

    timer(canvas, "add", facilitator, seconds=60)

    assert 59 <= remaining(canvas) <= 60


@pytest.mark.parametrize("paused", [False, True], ids=["running", "paused"])
def test_stopping_clears_the_countdown(canvas, facilitator, paused):
    timer(canvas, "start", facilitator, seconds=300)
    if paused:
        timer(canvas, "pause", facilitator)

    timer(canvas, "stop", facilitator)

    assert remaining(canvas) is None
    assert (canvas.timer_ends_at, canvas.timer_paused_seconds) == (None, None)


@pytest.mark.parametrize("seconds", [0, -60, MAX_TIMER_SECONDS + 1])
def test_a_countdown_outside_one_second_to_four_hours_is_refused(canvas, facilitator, seconds):
    with pytest.raises(ValidationError, match="between one second and four hours"):
        timer(canvas, "start", facilitator, seconds=seconds)

    assert remaining(canvas) is None
    assert not canvas.events.exists()


def test_four_hours_is_the_longest_countdown(canvas, facilitator):
    timer(canvas, "start", facilitator, seconds=MAX_TIMER_SECONDS)
    timer(canvas, "pause", facilitator)
    timer(canvas, "add", facilitator, seconds=60)

    assert remaining(canvas) == MAX_TIMER_SECONDS


def test_an_unknown_timer_action_is_refused(canvas, facilitator):
    with pytest.raises(ValidationError, match="Unknown timer action"):
        timer(canvas, "rewind", facilitator)


# --- Voting rounds -----------------------------------------------------------------------


def test_only_one_round_is_open_at_a_time(canvas, facilitator):
    first = services.round_start(canvas=canvas, actor=facilitator, votes_per_person=2)
    with pytest.raises(ValidationError, match="already open"):
        services.round_start(canvas=canvas, actor=facilitator)
    assert services.open_round(canvas) == first

    services.round_end(canvas=canvas, actor=facilitator)
    second = services.round_start(canvas=canvas, actor=facilitator)

    assert services.open_round(canvas) == second
    assert VotingRound.objects.filter(canvas=canvas).count() == 2
    assert kinds(canvas) == [Kind.ROUND_STARTED, Kind.ROUND_ENDED, Kind.ROUND_STARTED]


@pytest.mark.parametrize("votes", [0, 21])
def test_a_round_gives_between_one_and_twenty_votes(canvas, facilitator, votes):
    with pytest.raises(ValidationError, match="between 1 and 20 votes"):
        services.round_start(canvas=canvas, actor=facilitator, votes_per_person=votes)

    assert services.open_round(canvas) is None


def test_ending_a_round_needs_an_open_one(canvas, facilitator):
    with pytest.raises(ValidationError, match="no open voting round"):
        services.round_end(canvas=canvas, actor=facilitator)


def test_dots_stack_on_a_note_up_to_the_votes_each_person_has(canvas, facilitator, alice, notes):
    services.round_start(canvas=canvas, actor=facilitator, votes_per_person=2)
    a, b, *_ = notes

    vote(a, alice, times=2)
    with pytest.raises(ValidationError, match="You have used all 2 of your votes"):
        vote(b, alice)

    assert list(Vote.objects.values_list("note", "voter")) == [(a.pk, alice.pk)] * 2
    bar, cards = board_votes(canvas, alice)
    assert bar["votes_left"] == 0
    assert (len(cards["A"].my_votes), len(cards["B"].my_votes)) == (2, 0)
    assert kinds(canvas).count(Kind.VOTE_CAST) == 2


def test_each_person_has_their_own_votes(canvas, facilitator, alice, bob, notes):
    services.round_start(canvas=canvas, actor=facilitator, votes_per_person=1)

    vote(notes[0], alice)
    vote(notes[0], bob)

    assert board_votes(canvas, alice)[0]["votes_left"] == 0
    assert board_votes(canvas, facilitator)[0]["votes_left"] == 1


def test_removing_a_vote_takes_back_one_dot(canvas, facilitator, alice, bob, notes):
    services.round_start(canvas=canvas, actor=facilitator, votes_per_person=3)
    a, b, *_ = notes
    vote(a, alice, times=2)
    vote(a, bob)

    assert services.vote_remove(note=a, voter=alice) is True
    assert services.vote_remove(note=b, voter=alice) is False

    bar, cards = board_votes(canvas, alice)
    assert (bar["votes_left"], len(cards["A"].my_votes)) == (2, 1)
    assert Vote.objects.filter(note=a).count() == 2
    assert kinds(canvas)[-1] == Kind.VOTE_REMOVED
    vote(b, alice, times=2)
    assert board_votes(canvas, alice)[0]["votes_left"] == 0


def test_removing_a_vote_without_an_open_round_does_nothing(canvas, facilitator, alice, notes):
    services.round_start(canvas=canvas, actor=facilitator)
    vote(notes[0], alice)
    services.round_end(canvas=canvas, actor=facilitator)

    assert services.vote_remove(note=notes[0], voter=alice) is False
    assert Vote.objects.count() == 1


def test_no_vote_without_an_open_round(canvas, facilitator, alice, notes):
    with pytest.raises(ValidationError, match="Voting is closed"):
        vote(notes[0], alice)
    services.round_start(canvas=canvas, actor=facilitator)
    services.round_end(canvas=canvas, actor=facilitator)
    with pytest.raises(ValidationError, match="Voting is closed"):
        vote(notes[0], alice)

    assert not Vote.objects.exists()


def test_a_deleted_note_cannot_be_voted_on(canvas, facilitator, alice, notes):
    services.round_start(canvas=canvas, actor=facilitator)
    loaded_before_the_delete = Note.objects.get(pk=notes[0].pk)
    deleted = services.note_delete(note=notes[0], actor=facilitator)

    for note in (deleted, loaded_before_the_delete):
        with pytest.raises(ValidationError, match="can't be voted on"):
            vote(note, alice)

    assert not Vote.objects.exists()


def test_ending_a_round_ranks_the_notes_by_votes(canvas, facilitator, alice, bob, notes):
    services.round_start(canvas=canvas, actor=facilitator, votes_per_person=3)
    a, b, c, d = notes
    vote(c, alice, times=2)
    vote(a, alice)
    vote(c, bob)
    vote(d, bob)
    vote(b, bob)
    assert ranking(canvas, alice) == []

    voting = services.round_end(canvas=canvas, actor=facilitator)

    assert voting.ended_at is not None
    assert services.open_round(canvas) is None
    # C has most votes; A, B and D tie and keep the order in which they were added.
    assert ranking(canvas, alice) == [("C", 3), ("A", 1), ("B", 1), ("D", 1)]
    assert ranking(canvas, bob) == ranking(canvas, alice)
    assert canvas.events.get(kind=Kind.ROUND_ENDED).after == {"votes": 6}


def test_tied_notes_rank_oldest_first_and_the_top_ten_show(canvas, facilitator, alice, bob):
    many = NoteFactory.create_batch(12, canvas=canvas, area="say", author=alice)
    services.round_start(canvas=canvas, actor=facilitator, votes_per_person=20)
    for note in reversed(many):
        vote(note, bob)
    vote(many[5], bob)
    services.round_end(canvas=canvas, actor=facilitator)

    bar, _ = board_votes(canvas, alice)

    expected = [many[5], *many[:5], *many[6:10]]
    assert [(note.pk, total) for note, total in bar["results"]] == [
        (note.pk, 2 if note == many[5] else 1) for note in expected
    ]


def test_the_ranking_leaves_out_deleted_notes(canvas, facilitator, alice, notes):
    services.round_start(canvas=canvas, actor=facilitator)
    a, b, *_ = notes
    vote(a, alice, times=2)
    vote(b, alice)
    services.round_end(canvas=canvas, actor=facilitator)

    services.note_delete(note=a, actor=facilitator)

    assert ranking(canvas, alice) == [("B", 1)]


def test_a_new_round_hides_the_last_result(canvas, facilitator, alice, notes):
    services.round_start(canvas=canvas, actor=facilitator)
    vote(notes[0], alice)
    services.round_end(canvas=canvas, actor=facilitator)

    services.round_start(canvas=canvas, actor=facilitator)

    bar, _ = board_votes(canvas, alice)
    assert (bar["results"], bar["last_round"]) == ([], None)


def test_an_anonymous_round_shows_my_dots_but_nobodys_totals(
    canvas, facilitator, alice, bob, notes
):
    services.round_start(canvas=canvas, actor=facilitator, anonymous=True)
    a, b, *_ = notes
    vote(a, alice)
    vote(a, bob, times=2)
    vote(b, bob)

    for person in (alice, facilitator):
        _, cards = board_votes(canvas, person)
        assert (cards["A"].vote_total, cards["B"].vote_total) == (None, None)
    _, cards = board_votes(canvas, alice)
    assert (len(cards["A"].my_votes), len(cards["B"].my_votes)) == (1, 0)
    services.round_end(canvas=canvas, actor=facilitator)
    assert ranking(canvas, alice) == [("A", 3), ("B", 1)]


def test_an_open_round_shows_everyones_totals(canvas, facilitator, alice, bob, notes):
    services.round_start(canvas=canvas, actor=facilitator, anonymous=False)
    a, b, *_ = notes
    vote(a, alice)
    vote(a, bob, times=2)
    vote(b, bob)

    _, cards = board_votes(canvas, alice)

    assert (cards["A"].vote_total, cards["B"].vote_total, cards["C"].vote_total) == (3, 1, 0)
    assert (len(cards["A"].my_votes), len(cards["B"].my_votes)) == (1, 0)


# --- Views -------------------------------------------------------------------------------


def facilitate_url(canvas):
    return reverse(
        "canvases:board_facilitate",
        kwargs={"workspace": canvas.workspace.slug, "canvas": canvas.pk},
    )


def vote_url(note, canvas=None):
    canvas = canvas or note.canvas
    return reverse(
        "canvases:note_vote",
        kwargs={"workspace": canvas.workspace.slug, "canvas": canvas.pk, "note": note.pk},
    )


def board_bar(html: str) -> str:
    """The facilitation bar's markup, from the board or from an htmx response."""
    start = html.index('id="board-bar"')
    return html[start : html.index('id="vote-results"', start)]


def start_tag(html: str, element_id: str) -> str:
    match = re.search(rf'<[a-z]+\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    return match.group(0) if match else ""


def hidden_note(canvas, facilitator, alice):
    services.canvas_set_private(canvas=canvas, private=True, actor=facilitator)
    add(canvas, "Alice's secret", alice)


# action: (POST data, what to do first, what the canvas then is, a pattern the bar then shows)
ACTIONS = {
    "lock": ({}, None, lambda c: c.is_locked, 'value="unlock"'),
    "unlock": (
        {},
        lambda c, f, a: services.canvas_set_locked(canvas=c, locked=True, actor=f),
        lambda c: not c.is_locked,
        'value="lock"',
    ),
    "private_on": ({}, None, lambda c: c.is_private, "End private mode"),
    "private_off": (
        {},
        lambda c, f, a: services.canvas_set_private(canvas=c, private=True, actor=f),
        lambda c: not c.is_private,
        'value="private_on"',
    ),
    "reveal": (
        {},
        hidden_note,
        lambda c: not c.notes.filter(is_hidden=True).exists() and c.notes.count() == 1,
        'value="reveal"',
    ),
    "timer_start": (
        {"minutes": "5"},
        None,
        lambda c: 298 <= services.timer_remaining(c) <= 300,
        r"data-running[^>]*>(05:00|04:59)</span>",
    ),
    "timer_add": (
        {},
        lambda c, f, a: timer(c, "start", f, seconds=300),
        lambda c: 358 <= services.timer_remaining(c) <= 360,
        r"data-running[^>]*>(06:00|05:59)</span>",
    ),
    "timer_pause": (
        {},
        lambda c, f, a: timer(c, "start", f, seconds=300),
        lambda c: c.timer_paused_seconds is not None,
        r'class="timer is-paused"(?![^>]*data-running)[^>]*>0[45]:\d\d</span>',
    ),
    "timer_resume": (
        {},
        lambda c, f, a: (timer(c, "start", f, seconds=300), timer(c, "pause", f)),
        lambda c: c.timer_ends_at and c.timer_paused_seconds is None,
        'value="timer_pause"',
    ),
    "timer_stop": (
        {},
        lambda c, f, a: timer(c, "start", f, seconds=300),
        lambda c: services.timer_remaining(c) is None,
        "No timer running",
    ),
    "round_start": (
        {"votes": "2", "anonymous": "on"},
        None,
        lambda c: (
            (services.open_round(c).votes_per_person, services.open_round(c).is_anonymous)
            == (2, True)
        ),
        "2 of 2 votes left",
    ),
    "round_end": (
        {},
        lambda c, f, a: services.round_start(canvas=c, actor=f),
        lambda c: services.open_round(c) is None and c.voting_rounds.count() == 1,
        "Start dot voting",
    ),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_every_facilitator_action_with_htmx_sends_the_board_changes(
    client_as, canvas, facilitator, alice, action
):
    data, setup, done, shows = ACTIONS[action]
    if setup:
        setup(canvas, facilitator, alice)

    response = client_as(facilitator).post(
        facilitate_url(canvas), {"action": action, **data}, **HTMX
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert 'hx-swap-oob="true"' in start_tag(content, "board-bar")
    assert 'hx-swap-oob="true"' in start_tag(content, "board-live")
    assert 'role="alert"' not in board_bar(content)
    assert re.search(shows, board_bar(content))
    canvas.refresh_from_db()
    assert done(canvas)


@pytest.mark.parametrize("action", ACTIONS)
def test_every_facilitator_action_without_htmx_redirects_to_the_board(
    client_as, canvas, facilitator, alice, action
):
    data, setup, done, _ = ACTIONS[action]
    if setup:
        setup(canvas, facilitator, alice)

    response = client_as(facilitator).post(facilitate_url(canvas), {"action": action, **data})

    assert response.status_code == 302
    assert response.url == canvas.get_absolute_url()
    canvas.refresh_from_db()
    assert done(canvas)


def test_the_reveal_sends_the_revealed_notes(client_as, canvas, facilitator, alice):
    hidden_note(canvas, facilitator, alice)

    response = client_as(facilitator).post(facilitate_url(canvas), {"action": "reveal"}, **HTMX)

    content = response.content.decode()
    assert 'hx-swap-oob="true"' in start_tag(content, "notes-think")
    assert "Alice&#x27;s secret" in content
    assert "note-hidden" not in content


def test_a_round_without_the_anonymous_box_shows_counts(client_as, canvas, facilitator):
    client_as(facilitator).post(facilitate_url(canvas), {"action": "round_start", "votes": "4"})

    voting = services.open_round(canvas)
    assert (voting.votes_per_person, voting.is_anonymous) == (4, False)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "dance"}, "Unknown action."),
        ({}, "Unknown action."),
        ({"action": "timer_start", "minutes": "0"}, "between one second and four hours"),
        ({"action": "timer_start", "minutes": "soon"}, "between one second and four hours"),
        ({"action": "timer_start", "minutes": "inf"}, "between one second and four hours"),
        ({"action": "timer_start", "minutes": "241"}, "between one second and four hours"),
        ({"action": "round_start", "votes": "lots"}, "Enter a number."),
        ({"action": "round_start", "votes": "50"}, "between 1 and 20 votes"),
        ({"action": "round_end"}, "no open voting round"),
    ],
    ids=[
        "unknown",
        "none",
        "zero-minutes",
        "no-number",
        "infinite",
        "over-4h",
        "votes-nan",
        "votes-50",
        "end",
    ],
)
def test_a_refused_action_shows_its_error_in_the_bar(client_as, canvas, facilitator, data, message):
    response = client_as(facilitator).post(facilitate_url(canvas), data, **HTMX)

    assert response.status_code == 200
    bar = board_bar(response.content.decode())
    assert re.search(rf'<p class="bar-error" role="alert">[^<]*{re.escape(message)}', bar)
    canvas.refresh_from_db()
    assert canvas.revision == 0
    assert (services.timer_remaining(canvas), services.open_round(canvas)) == (None, None)


def test_a_refused_action_without_htmx_comes_back_as_a_message(client_as, canvas, facilitator):
    response = client_as(facilitator).post(facilitate_url(canvas), {"action": "dance"})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Unknown action."]


def test_a_participant_may_not_facilitate(client_as, canvas, alice):
    client = client_as(alice)
    for action, (data, *_) in ACTIONS.items():
        for htmx in ({}, HTMX):
            response = client.post(facilitate_url(canvas), {"action": action, **data}, **htmx)
            assert response.status_code == 403, action

    canvas.refresh_from_db()
    assert (canvas.revision, canvas.is_locked, services.open_round(canvas)) == (0, False, None)


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.VIEWER])
def test_reviewers_and_viewers_may_not_facilitate(client_as, member, canvas, role):
    response = client_as(member(role)).post(facilitate_url(canvas), {"action": "lock"}, **HTMX)

    assert response.status_code == 403
    canvas.refresh_from_db()
    assert not canvas.is_locked


def test_a_participant_votes_with_htmx(client_as, canvas, facilitator, alice, notes):
    services.round_start(canvas=canvas, actor=facilitator, votes_per_person=2)

    response = client_as(alice).post(vote_url(notes[2]), **HTMX)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'hx-swap-oob="true"' in start_tag(content, "board-bar")
    assert "1 of 2 votes left" in board_bar(content)
    assert content.count('class="my-dot"') == 1
    assert list(Vote.objects.values_list("note", "voter")) == [(notes[2].pk, alice.pk)]


def test_a_participant_votes_and_takes_it_back_without_javascript(
    client_as, canvas, facilitator, alice, notes
):
    services.round_start(canvas=canvas, actor=facilitator)
    client = client_as(alice)

    voted = client.post(vote_url(notes[0]))
    assert Vote.objects.filter(voter=alice).count() == 1
    removed = client.post(vote_url(notes[0]), {"remove": "1"})

    assert (voted.status_code, removed.status_code) == (302, 302)
    assert voted.url == removed.url == canvas.get_absolute_url()
    assert not Vote.objects.exists()


def test_a_vote_too_many_shows_why_in_the_bar(client_as, canvas, facilitator, alice, notes):
    services.round_start(canvas=canvas, actor=facilitator, votes_per_person=1)
    client = client_as(alice)
    client.post(vote_url(notes[0]), **HTMX)

    response = client.post(vote_url(notes[1]), **HTMX)

    assert "You have used all 1 of your votes." in board_bar(response.content.decode())
    assert Vote.objects.count() == 1


def test_a_vote_with_no_round_open_shows_why_in_the_bar(client_as, alice, notes):
    response = client_as(alice).post(vote_url(notes[0]), **HTMX)

    assert "Voting is closed" in board_bar(response.content.decode())
    assert not Vote.objects.exists()


def test_a_vote_on_another_canvas_note_is_404(client_as, canvas, facilitator, alice, workspace):
    services.round_start(canvas=canvas, actor=facilitator)
    elsewhere = NoteFactory(canvas=CanvasFactory(workspace=workspace))

    assert client_as(alice).post(vote_url(elsewhere, canvas), **HTMX).status_code == 404
    assert not Vote.objects.exists()


def test_a_vote_on_a_deleted_note_shows_why_in_the_bar(
    client_as, canvas, facilitator, alice, notes
):
    services.round_start(canvas=canvas, actor=facilitator)
    services.note_delete(note=notes[0], actor=facilitator)

    response = client_as(alice).post(vote_url(notes[0]), **HTMX)

    assert "can&#x27;t be voted on" in board_bar(response.content.decode())
    assert not Vote.objects.exists()


def test_a_viewer_cannot_vote(client_as, member, canvas, facilitator, notes):
    services.round_start(canvas=canvas, actor=facilitator)

    assert client_as(member(Role.VIEWER)).post(vote_url(notes[0]), **HTMX).status_code == 403
    assert not Vote.objects.exists()


def test_only_facilitators_see_the_controls(client_as, canvas, facilitator, alice):
    def bar(user):
        return board_bar(client_as(user).get(canvas.get_absolute_url()).content.decode())

    assert "Start dot voting" in bar(facilitator)
    assert "Start timer" in bar(facilitator)
    participant = bar(alice)
    assert "No vote open" in participant
    assert "No timer running" in participant
    for control in ("Start dot voting", "Start timer", 'value="lock"', 'value="private_on"'):
        assert control not in participant


def test_during_a_round_a_participant_gets_vote_buttons(client_as, canvas, facilitator, notes):
    services.round_start(canvas=canvas, actor=facilitator, votes_per_person=2)
    alice = notes[0].author

    content = client_as(alice).get(canvas.get_absolute_url()).content.decode()

    bar = board_bar(content)
    assert "2 of 2 votes left" in bar
    assert "counts hidden until the end" in bar
    assert "No vote open" not in bar
    assert "End vote and rank" not in bar
    assert content.count('class="vote-btn"') == len(notes)
    assert f'action="{vote_url(notes[0])}"' in content


def test_a_viewer_sees_the_round_but_no_vote_buttons(client_as, member, canvas, facilitator, notes):
    services.round_start(canvas=canvas, actor=facilitator)

    content = client_as(member(Role.VIEWER)).get(canvas.get_absolute_url()).content.decode()

    assert "Dot voting" in board_bar(content)
    assert 'class="vote-btn"' not in content


def test_the_board_shows_totals_only_in_an_open_round(
    client_as, canvas, facilitator, alice, bob, notes
):
    client = client_as(alice)
    services.round_start(canvas=canvas, actor=facilitator, anonymous=True)
    vote(notes[0], bob, times=2)
    assert 'class="vote-total"' not in client.get(canvas.get_absolute_url()).content.decode()
    services.round_end(canvas=canvas, actor=facilitator)

    services.round_start(canvas=canvas, actor=facilitator, anonymous=False)
    vote(notes[0], bob, times=2)

    content = client.get(canvas.get_absolute_url()).content.decode()
    assert 'title="Votes">2<' in content


def test_the_board_shows_the_result_of_the_last_vote(
    client_as, canvas, facilitator, alice, bob, notes
):
    services.round_start(canvas=canvas, actor=facilitator)
    vote(notes[3], alice, times=2)
    vote(notes[1], bob)
    services.round_end(canvas=canvas, actor=facilitator)

    content = client_as(alice).get(canvas.get_absolute_url()).content.decode()

    results = content[content.index('id="vote-results"') :]
    assert "Result of the last vote" in results
    items = re.findall(r'<li><span class="vote-total">(\d+)</span> (\w+)</li>', results)
    assert items == [("2", "D"), ("1", "B")]


def test_the_board_query_count_does_not_grow_with_votes(
    client_as, canvas, facilitator, alice, django_assert_num_queries
):
    many = NoteFactory.create_batch(20, canvas=canvas, area="say", author=alice)
    voting = services.round_start(canvas=canvas, actor=facilitator, anonymous=False)
    vote(many[0], alice)
    client = client_as(alice)
    client.get(canvas.get_absolute_url())
    with CaptureQueriesContext(connection) as one_vote:
        assert client.get(canvas.get_absolute_url()).status_code == 200

    Vote.objects.bulk_create(
        Vote(round=voting, note=note, voter=voter)
        for voter in UserFactory.create_batch(5)
        for note in many
    )
    with django_assert_num_queries(len(one_vote)):
        response = client.get(canvas.get_absolute_url())

    content = response.content.decode()
    assert content.count('title="Votes">5<') == 19
    assert content.count('title="Votes">6<') == content.count('class="my-dot"') == 1


def test_a_vote_sends_its_note_and_redraws_every_area_when_the_buttons_turn_off_or_on(
    client_as, canvas, facilitator, alice, notes
):
    add(canvas, "Elsewhere", alice)
    services.round_start(canvas=canvas, actor=facilitator, votes_per_person=2)
    client = client_as(alice)
    everywhere = {area.slug for area in canvas.canvas_type.note_areas}

    def vote_answer(note, **data):
        known = Canvas.objects.get(pk=canvas.pk).revision
        return client.post(vote_url(note), data, **board_htmx(known))

    first = vote_answer(notes[2])
    assert redrawn_areas(first) == set()
    assert sent_notes(first)["say"][1] == [notes[2].pk]
    assert "my-dot" in first.content.decode()
    assert "1 of 2 votes left" in first.content.decode()
    last = vote_answer(notes[3])  # no vote left: every button turns off
    assert redrawn_areas(last) == everywhere and "disabled" in last.content.decode()
    assert vote_answer(notes[3], remove="1").content.decode().count("disabled") == 0  # on again
    assert redrawn_areas(vote_answer(notes[2], remove="1")) == set()


@pytest.mark.parametrize("anonymous", [True, False])
def test_a_poll_redraws_others_votes_only_where_counts_show(
    client_as, canvas, facilitator, alice, bob, notes, anonymous
):
    services.round_start(canvas=canvas, actor=facilitator, anonymous=anonymous)
    canvas.refresh_from_db()
    known = canvas.revision
    services.vote_cast(note=notes[0], voter=bob)
    poll = reverse(
        "canvases:board_poll", kwargs={"workspace": canvas.workspace.slug, "canvas": canvas.pk}
    )

    say = list(
        canvas.notes.filter(area="say").order_by("position", "id").values_list("pk", flat=True)
    )
    seen_by_alice = client_as(alice).get(f"{poll}?rev={known}", **HTMX)
    seen_by_bob = client_as(bob).get(f"{poll}?rev={known}", **HTMX)

    assert sent_notes(seen_by_alice) == ({} if anonymous else {"say": (say, [notes[0].pk])})
    assert sent_notes(seen_by_bob) == {"say": (say, [notes[0].pk])}  # his own dot shows
    assert redrawn_areas(seen_by_alice) == redrawn_areas(seen_by_bob) == set()
    assert f'data-revision="{known + 1}"' in seen_by_alice.content.decode()
