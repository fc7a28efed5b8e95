import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from canvases import presence, services, types
from canvases.models import Canvas, FieldValue, Note
from engage.roles import Role
from tests.canvases.factories import CanvasFactory, NoteFactory
from tests.canvases.live import board_htmx, redrawn_areas, sent_notes
from tests.engage.factories import JobFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"


def url(name, canvas, **kwargs):
    return reverse(name, kwargs={"workspace": canvas.workspace.slug, "canvas": canvas.pk, **kwargs})


def start_tag(html: str, element_id: str) -> str:
    """The opening tag of the element with this id, or "" if the response has none."""
    match = re.search(rf'<[a-z]+\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    return match.group(0) if match else ""


def poll_url(html: str) -> str:
    return unescape(re.search(r'data-poll-url="([^"]+)"', start_tag(html, "board-live")).group(1))


def forget(canvas):
    # The shared cache outlives test databases, and ids repeat from one run to the next.
    cache.delete_many([services.revision_cache_key(canvas.pk), f"canvas:{canvas.pk}:presence"])


@pytest.fixture
def participant(member):
    return member(Role.PARTICIPANT, user__name="Pat Participant")


@pytest.fixture
def make_canvas(workspace, facilitator):
    def make(canvas_type=types.EMPATHY_MAP, **kwargs):
        traits = {"persona_card": True} if canvas_type == types.PERSONA_CARD else {}
        canvas = CanvasFactory(
            workspace=workspace, type=canvas_type.slug, created_by=facilitator, **traits, **kwargs
        )
        forget(canvas)
        return canvas

    return make


@pytest.fixture
def canvas(make_canvas):
    return make_canvas()


@pytest.fixture
def note(canvas, participant):
    return NoteFactory(canvas=canvas, area="say", text="We want it by Friday", author=participant)


def area_notes(html: str, area: str) -> str:
    """The markup of one area's notes, on the board or in a response of several areas."""
    start = html.index(f'id="notes-{area}"')
    ends = ("</section>", 'class="area-notes"', 'id="board-live"', 'id="fields-')
    found = [index for index in (html.find(end, start) for end in ends) if index != -1]
    return html[start : min(found, default=len(html))]


# --- Canvas list ---------------------------------------------------------------------


def test_list_shows_the_workspace_canvases(client_as, facilitator, make_canvas):
    board = make_canvas(title="Onboarding empathy")
    NoteFactory.create_batch(2, canvas=board)
    other = CanvasFactory(title="Someone else's board")

    response = client_as(facilitator).get(reverse("canvases:index", args=[board.workspace.slug]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Onboarding empathy" in content
    assert board.get_absolute_url() in content
    assert other.title not in content


def test_a_persona_card_without_a_persona_is_a_form_error(client_as, facilitator, workspace):
    response = client_as(facilitator).post(
        reverse("canvases:index", args=[workspace.slug]), {"type": types.PERSONA_CARD.slug}
    )

    assert response.status_code == 200
    assert "A persona card belongs to one persona: pick it." in response.content.decode()
    assert not Canvas.objects.exists()


def test_creating_a_canvas_opens_its_board(client_as, facilitator, workspace):
    job = JobFactory(workspace=workspace)

    response = client_as(facilitator).post(
        reverse("canvases:index", args=[workspace.slug]),
        {"type": types.JTBD_FORCES.slug, "job": job.pk, "title": ""},
    )

    canvas = Canvas.objects.get()
    assert response.status_code == 302
    assert response.url == canvas.get_absolute_url()
    assert (canvas.type, canvas.job, canvas.created_by) == (
        types.JTBD_FORCES.slug,
        job,
        facilitator,
    )
    assert canvas.title == f"JTBD forces: {job.statement}"


# --- The board -----------------------------------------------------------------------


@pytest.mark.parametrize("canvas_type", types.all_types(), ids=lambda t: t.slug)
def test_the_board_renders_every_type(client_as, facilitator, make_canvas, canvas_type):
    canvas = make_canvas(canvas_type)

    response = client_as(facilitator).get(canvas.get_absolute_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert f"board-grid type-{canvas_type.slug}" in content
    for area in canvas_type.areas:
        assert escape(area.title) in content, area.slug
        assert start_tag(content, f"area-{area.slug}"), area.slug
    for area in canvas_type.note_areas:
        assert f'<p class="area-prompt">{escape(area.prompt)}</p>' in area_notes(content, area.slug)
        assert start_tag(content, f"add-{area.slug}"), f"no add input for {area.slug}"


def test_a_note_area_with_notes_shows_them_instead_of_its_prompt(client_as, facilitator, note):
    content = client_as(facilitator).get(note.canvas.get_absolute_url()).content.decode()

    say = area_notes(content, "say")
    assert "We want it by Friday" in say
    assert types.EMPATHY_MAP.area("say").prompt not in say


def test_a_viewer_sees_the_board_read_only(client_as, member, note):
    viewer = client_as(member(Role.VIEWER))

    response = viewer.get(note.canvas.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "We want it by Friday" in content
    assert "note-add" not in content
    assert "note-menu-btn" not in content
    assert "Undo my last change" not in content
    assert url("canvases:note_detail", note.canvas, note=note.pk) not in content
    added = viewer.post(url("canvases:note_add", note.canvas), {"area": "say", "text": "Mine"})
    assert added.status_code == 403
    assert note.canvas.notes.count() == 1


def test_a_note_text_is_escaped_on_the_board(client_as, participant, canvas):
    NoteFactory(canvas=canvas, area="think", text=XSS)

    content = client_as(participant).get(canvas.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in content
    assert "<img src=x" not in content
    assert escape(XSS) in content


# --- Adding notes --------------------------------------------------------------------


def test_adding_a_note_without_htmx_redirects_to_its_area(client_as, participant, canvas):
    response = client_as(participant).post(
        url("canvases:note_add", canvas), {"area": "say", "text": "  It just has to work  "}
    )

    assert response.status_code == 302
    assert response.url == f"{canvas.get_absolute_url()}#area-say"
    note = canvas.notes.get()
    assert (note.area, note.text, note.author) == ("say", "It just has to work", participant)


def test_adding_a_note_with_htmx_sends_the_note_and_the_live_marker(client_as, participant, canvas):
    NoteFactory(canvas=canvas, area="say", text="Earlier", author=participant, position=0)

    response = client_as(participant).post(
        url("canvases:note_add", canvas),
        {"area": "say", "text": "It just has to work"},
        **board_htmx(0),
    )

    assert response.status_code == 200
    content = response.content.decode()
    added = Note.objects.get(text="It just has to work")
    earlier = Note.objects.get(text="Earlier")
    assert sent_notes(response) == {"say": ([earlier.pk, added.pk], [added.pk])}
    assert "It just has to work" in content and "Earlier" not in content
    assert redrawn_areas(response) == set(), "no area is sent whole"
    canvas.refresh_from_db()
    live = start_tag(content, "board-live")
    assert 'hx-swap-oob="true"' in live
    assert f'data-revision="{canvas.revision}"' in live
    assert response["X-Board-Revision"] == str(canvas.revision) == "1"


def test_the_answer_to_a_write_brings_the_changes_others_made_meanwhile(
    client_as, participant, facilitator, canvas
):
    client = client_as(participant)
    board = client.get(canvas.get_absolute_url()).content.decode()
    known = re.search(r'data-revision="(\d+)"', start_tag(board, "board-live")).group(1)
    theirs = services.note_create(canvas=canvas, area="pains", text="Theirs", author=facilitator)

    response = client.post(
        url("canvases:note_add", canvas), {"area": "gains", "text": "Mine"}, **board_htmx(known)
    )

    mine = Note.objects.get(text="Mine")
    assert sent_notes(response) == {
        "pains": ([theirs.pk], [theirs.pk]),
        "gains": ([mine.pk], [mine.pk]),
    }
    assert client.get(poll_url(response.content.decode())).status_code == 204


def test_without_the_board_revision_a_write_answers_with_the_whole_board(
    client_as, participant, canvas
):
    """A client without board.js can't say what it shows: it gets everything."""
    response = client_as(participant).post(
        url("canvases:note_add", canvas), {"area": "say", "text": "It just has to work"}, **HTMX
    )

    assert redrawn_areas(response) == {area.slug for area in canvas.canvas_type.note_areas}
    assert "It just has to work" in area_notes(response.content.decode(), "say")


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
@pytest.mark.parametrize("text", ["", "   "], ids=["empty", "blank"])
def test_adding_an_empty_note_shows_an_error(client_as, participant, canvas, htmx, text):
    client = client_as(participant)
    headers = HTMX if htmx else {}

    response = client.post(
        url("canvases:note_add", canvas), {"area": "say", "text": text}, follow=not htmx, **headers
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Type something before adding a note." in content
    if htmx:
        assert '<p class="area-error" role="alert">' in area_notes(content, "say")
    assert not Note.objects.exists()


def test_adding_to_an_unknown_area_is_refused(client_as, participant, canvas):
    response = client_as(participant).post(
        url("canvases:note_add", canvas), {"area": "nowhere", "text": "Lost"}, follow=True
    )

    assert "This canvas has no area “nowhere”." in response.content.decode()
    assert not Note.objects.exists()


# --- Editing, conflicts --------------------------------------------------------------


def test_editing_with_the_current_version_saves(client_as, participant, note):
    client = client_as(participant)
    page = client.get(url("canvases:note_detail", note.canvas, note=note.pk))
    assert page.status_code == 200
    assert "We want it by Friday" in page.content.decode()

    response = client.post(
        url("canvases:note_detail", note.canvas, note=note.pk),
        {"text": "We want it by Monday", "version": note.version},
    )

    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.text, note.version) == ("We want it by Monday", 2)


def test_an_inline_edit_with_htmx_swaps_the_area(client_as, participant, note):
    response = client_as(participant).post(
        url("canvases:note_detail", note.canvas, note=note.pk),
        {"text": "We want it by Monday", "version": note.version},
        **HTMX,
    )

    content = response.content.decode()
    assert 'hx-swap-oob="true"' in start_tag(content, "notes-say")
    assert "We want it by Monday" in area_notes(content, "say")


def test_an_edit_of_a_stale_version_shows_both_texts_and_saves_nothing(
    client_as, facilitator, participant, note
):
    services.note_edit(note=note, actor=facilitator, expected_version=1, text="Theirs: by Thursday")

    response = client_as(participant).post(
        url("canvases:note_detail", note.canvas, note=note.pk),
        {"text": "Mine: by Monday", "version": 1},
        **HTMX,
    )

    content = response.content.decode()
    assert response.status_code == 200
    conflict = start_tag(content, f"note-{note.pk}")
    assert 'class="note-conflict"' in conflict
    assert 'hx-swap-oob="true"' in conflict
    assert "Theirs: by Thursday" in content
    assert "Mine: by Monday" in content
    assert "Keep mine" in content
    assert 'name="version" value="2"' in content
    assert "<html" not in content, "a partial, not the page"
    note.refresh_from_db()
    assert (note.text, note.version) == ("Theirs: by Thursday", 2)


def test_a_stale_edit_without_htmx_shows_the_conflict_page(
    client_as, facilitator, participant, note
):
    services.note_edit(note=note, actor=facilitator, expected_version=1, text="Theirs")

    response = client_as(participant).post(
        url("canvases:note_detail", note.canvas, note=note.pk), {"text": "Mine", "version": 1}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Someone changed this note while you were editing it." in content
    assert "<html" in content
    note.refresh_from_db()
    assert note.text == "Theirs"


# --- Moving, deleting, restoring, undo ------------------------------------------------


def test_the_move_page_offers_the_note_areas(client_as, participant, note):
    response = client_as(participant).get(url("canvases:note_move", note.canvas, note=note.pk))

    content = response.content.decode()
    radios = re.findall(r'<input[^>]*type="radio" name="area"[^>]*value="([^"]+)"', content)
    assert radios == [area.slug for area in types.EMPATHY_MAP.note_areas]
    assert 'value="say" checked' in content


def test_moving_a_note_without_htmx(client_as, participant, note):
    response = client_as(participant).post(
        url("canvases:note_move", note.canvas, note=note.pk), {"area": "think"}
    )

    assert response.status_code == 302
    assert response.url == f"{note.canvas.get_absolute_url()}#note-{note.pk}"
    note.refresh_from_db()
    assert note.area == "think"


def test_moving_a_note_with_htmx_swaps_both_areas(client_as, participant, note):
    response = client_as(participant).post(
        url("canvases:note_move", note.canvas, note=note.pk), {"area": "think"}, **HTMX
    )

    content = response.content.decode()
    assert "We want it by Friday" in area_notes(content, "think")
    assert "We want it by Friday" not in area_notes(content, "say")
    assert types.EMPATHY_MAP.area("say").prompt in area_notes(content, "say")


def test_a_deleted_note_is_restored_from_the_history(client_as, participant, note):
    client = client_as(participant)
    canvas = note.canvas

    deleted = client.post(url("canvases:note_delete", canvas, note=note.pk))
    assert deleted.status_code == 302
    note.refresh_from_db()
    assert note.is_deleted
    assert "We want it by Friday" not in client.get(canvas.get_absolute_url()).content.decode()

    history = client.get(url("canvases:canvas_history", canvas)).content.decode()
    restore_url = url("canvases:note_restore", canvas, note=note.pk)
    assert "deleted a note" in history
    assert f'action="{restore_url}"' in history

    response = client.post(restore_url, follow=True)

    assert "Note restored." in response.content.decode()
    note.refresh_from_db()
    assert not note.is_deleted
    assert "We want it by Friday" in area_notes(response.content.decode(), "say")


def test_undo_brings_back_a_note_i_deleted(client_as, participant, note):
    client = client_as(participant)
    client.post(url("canvases:note_delete", note.canvas, note=note.pk), **HTMX)

    response = client.post(url("canvases:board_undo", note.canvas), follow=True)

    content = response.content.decode()
    assert "Undone: you deleted a note." in content
    assert "We want it by Friday" in area_notes(content, "say")
    note.refresh_from_db()
    assert not note.is_deleted


def test_undo_with_nothing_to_undo_says_so(client_as, participant, canvas):
    response = client_as(participant).post(url("canvases:board_undo", canvas), follow=True)

    assert "You have no change left to undo on this canvas." in response.content.decode()


# --- Fields --------------------------------------------------------------------------


def test_a_field_update_writes_the_value(client_as, facilitator, make_canvas):
    canvas = make_canvas(types.STAKEHOLDER_ENGAGEMENT_CARD)

    response = client_as(facilitator).post(
        url("canvases:field_update", canvas, field="strategy"), {"value": "consult"}, **HTMX
    )

    assert FieldValue.objects.get(canvas=canvas, field="strategy").value == "consult"
    content = response.content.decode()
    assert 'hx-swap-oob="true"' in start_tag(content, "fields-engage")
    assert '<option value="consult" selected>' in content


def test_a_field_update_rejects_an_unknown_choice(client_as, facilitator, make_canvas):
    canvas = make_canvas(types.STAKEHOLDER_ENGAGEMENT_CARD)
    client = client_as(facilitator)
    field_url = url("canvases:field_update", canvas, field="strategy")

    htmx = client.post(field_url, {"value": "bribe"}, **HTMX).content.decode()
    plain = client.post(field_url, {"value": "bribe"}, follow=True).content.decode()

    message = "Strategy: pick one of the listed options."
    assert message in htmx
    assert '<p class="area-error" role="alert">' in htmx
    assert message in plain
    assert not FieldValue.objects.filter(canvas=canvas, field="strategy").exclude(value="").exists()


def test_a_participant_cannot_update_fields(client_as, participant, make_canvas):
    canvas = make_canvas(types.STAKEHOLDER_ENGAGEMENT_CARD)

    response = client_as(participant).post(
        url("canvases:field_update", canvas, field="strategy"), {"value": "consult"}
    )

    assert response.status_code == 403


def test_a_persona_card_field_updates_the_persona(client_as, facilitator, make_canvas):
    canvas = make_canvas(types.PERSONA_CARD)
    client = client_as(facilitator)

    response = client.post(url("canvases:field_update", canvas, field="age"), {"value": "41"})
    client.post(url("canvases:field_update", canvas, field="role"), {"value": "economic_buyer"})

    assert response.status_code == 302
    canvas.persona.refresh_from_db()
    assert (canvas.persona.age, canvas.persona.role) == (41, "economic_buyer")
    assert not FieldValue.objects.filter(canvas=canvas).exists()
    board = client.get(canvas.get_absolute_url()).content.decode()
    assert 'value="41"' in board


# --- Live polling --------------------------------------------------------------------


def test_a_poll_with_nothing_new_answers_204(client_as, participant, canvas):
    client = client_as(participant)
    board = client.get(canvas.get_absolute_url()).content.decode()

    response = client.get(poll_url(board))

    assert response.status_code == 204
    assert response.content == b""


def test_a_poll_after_a_change_sends_the_changed_note(
    client_as, participant, facilitator, canvas, django_capture_on_commit_callbacks
):
    client = client_as(participant)
    board = client.get(canvas.get_absolute_url()).content.decode()
    people = ",".join(str(person.pk) for person in presence.present(canvas.pk, participant))
    assert poll_url(board) == f"{url('canvases:board_poll', canvas)}?rev=0&people={people}"
    assert 'id="board-delta"' in board

    with django_capture_on_commit_callbacks(execute=True):
        note = services.note_create(canvas=canvas, area="pains", text=XSS, author=facilitator)
    response = client.get(poll_url(board))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    content = response.content.decode()
    assert sent_notes(response) == {"pains": ([note.pk], [note.pk])}
    assert 'hx-swap-oob="true"' in start_tag(content, "board-delta")
    assert redrawn_areas(response) == set()
    assert "<script>alert(1)" not in content
    assert "<img src=x" not in content
    assert escape(XSS) in content
    canvas.refresh_from_db()
    assert f'data-revision="{canvas.revision}"' in start_tag(content, "board-live")
    assert client.get(poll_url(content)).status_code == 204


def test_a_poll_sends_a_moved_note_with_the_order_of_both_areas(
    client_as, participant, facilitator, canvas
):
    first, second = (
        NoteFactory(canvas=canvas, area="say", text=text, author=facilitator, position=position)
        for position, text in enumerate(["First", "Second"])
    )
    there = NoteFactory(canvas=canvas, area="do", text="There", author=facilitator, position=0)
    client = client_as(participant)
    board = client.get(canvas.get_absolute_url()).content.decode()

    services.note_move(note=second, area="say", position=0, actor=facilitator)
    services.note_move(note=first, area="do", position=1, actor=facilitator)
    response = client.get(poll_url(board))

    assert sent_notes(response) == {
        "say": ([second.pk], [second.pk]),
        "do": ([there.pk, first.pk], [first.pk]),
    }


def test_a_poll_after_the_last_note_of_an_area_went_sends_the_area_with_its_prompt(
    client_as, participant, facilitator, canvas
):
    note = NoteFactory(canvas=canvas, area="say", text="Gone soon", author=facilitator)
    client = client_as(participant)
    board = client.get(canvas.get_absolute_url()).content.decode()

    services.note_delete(note=note, actor=facilitator)
    response = client.get(poll_url(board))

    assert sent_notes(response) == {}
    assert redrawn_areas(response) == {"say"}
    assert canvas.canvas_type.area("say").prompt in area_notes(response.content.decode(), "say")


def test_a_poll_never_sends_others_private_notes(client_as, participant, facilitator, canvas):
    services.canvas_set_private(canvas=canvas, private=True, actor=facilitator)
    client = client_as(participant)
    board = client.get(canvas.get_absolute_url()).content.decode()
    mine = services.note_create(canvas=canvas, area="say", text="Mine", author=participant)
    services.note_create(canvas=canvas, area="say", text="Secret", author=facilitator)

    response = client.get(poll_url(board))

    assert sent_notes(response) == {"say": ([mine.pk], [mine.pk])}
    assert "Secret" not in response.content.decode()


def test_a_timer_change_sends_the_bar_alone(client_as, participant, facilitator, canvas):
    NoteFactory(canvas=canvas, area="say", text="Stays put", author=facilitator)
    client = client_as(participant)
    board = client.get(canvas.get_absolute_url()).content.decode()

    services.timer_control(canvas=canvas, action="start", seconds=300, actor=facilitator)
    response = client.get(poll_url(board))

    content = response.content.decode()
    assert redrawn_areas(response) == set() and sent_notes(response) == {}
    assert "Stays put" not in content
    assert 'hx-swap-oob="true"' in start_tag(content, "board-bar")
    assert 'data-timer data-remaining="' in content


def test_a_poll_sends_the_presence_when_someone_joins(client_as, participant, facilitator, canvas):
    client = client_as(participant)
    board = client.get(canvas.get_absolute_url()).content.decode()
    presence.present(canvas.pk, facilitator)

    response = client.get(poll_url(board))

    assert response.status_code == 200
    live = response.content.decode()
    assert live.count("<li title=") == 2
    assert "Fay Facilitator" in live


def test_a_poll_of_another_workspace_canvas_is_404(client_as, outsider, canvas):
    response = client_as(outsider).get(url("canvases:board_poll", canvas) + "?rev=0")

    assert response.status_code == 404


# --- Query counts --------------------------------------------------------------------


def add_notes(canvas, count, authors):
    areas = canvas.canvas_type.note_areas
    Note.objects.bulk_create(
        NoteFactory.build(
            canvas=canvas,
            area=areas[i % len(areas)].slug,
            author=authors[i % len(authors)],
            score=3 if areas[i % len(areas)].note_score else None,
        )
        for i in range(count)
    )


@pytest.mark.parametrize(
    "canvas_type",
    [types.STAKEHOLDER_ENGAGEMENT_CARD, types.JTBD_FORCES, types.PERSONA_CARD],
    ids=lambda t: t.slug,
)
def test_the_board_query_count_does_not_grow_with_notes(
    client_as, facilitator, make_canvas, canvas_type, django_assert_num_queries
):
    canvas = make_canvas(canvas_type)
    authors = [facilitator, *UserFactory.create_batch(3)]
    client = client_as(facilitator)
    add_notes(canvas, 10, authors)
    client.get(canvas.get_absolute_url())
    with CaptureQueriesContext(connection) as ten:
        assert client.get(canvas.get_absolute_url()).status_code == 200

    add_notes(canvas, 490, authors)
    with django_assert_num_queries(len(ten)):
        response = client.get(canvas.get_absolute_url())

    assert response.content.decode().count('class="note note-') == 500


def test_the_poll_query_count_does_not_grow_with_notes(
    client_as, facilitator, canvas, django_assert_num_queries
):
    authors = [facilitator, *UserFactory.create_batch(3)]
    client = client_as(facilitator)

    def poll_after_a_change():
        known = Canvas.objects.get(pk=canvas.pk).revision
        services.note_create(canvas=canvas, area="gains", text="More", author=facilitator)
        return url("canvases:board_poll", canvas) + f"?rev={known}&people={facilitator.pk}"

    add_notes(canvas, 10, authors)
    client.get(poll_after_a_change())
    poll = poll_after_a_change()
    with CaptureQueriesContext(connection) as ten:
        assert client.get(poll).status_code == 200
    # user, membership, canvas, events, the changed areas' notes, open vote round
    assert len(ten) == 6, [query["sql"][:60] for query in ten.captured_queries]

    add_notes(canvas, 490, authors)
    poll = poll_after_a_change()
    with django_assert_num_queries(len(ten)):
        response = client.get(poll)

    order, sent = sent_notes(response)["gains"]
    assert len(order) == canvas.notes.filter(area="gains").count() > 50
    assert len(sent) == 1
    assert len(response.content) < 10_000, "a poll sends the new note, not its area"
    assert not start_tag(response.content.decode(), "board-bar"), "nor the unchanged bar"


def test_the_persona_page_shows_its_persona_card(client_as, make_canvas, participant):
    card = make_canvas(types.PERSONA_CARD)
    NoteFactory(
        canvas=card, area="saying", text="One number for the board, please", author=participant
    )
    NoteFactory(canvas=card, area="hearing", text="Unrevealed", author=participant, is_hidden=True)

    page = client_as(participant).get(card.persona.get_absolute_url()).content.decode()

    assert "Open the persona card" in page
    assert 'id="notes-saying"' in page
    assert "One number for the board, please" in page
    assert "Unrevealed" not in page
    assert 'class="note-add"' not in page, "the card on the persona page is read-only"
