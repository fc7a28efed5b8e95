import pytest
from django.core.exceptions import ValidationError

from canvases import selectors, services, types
from canvases.models import Canvas, CanvasEvent, Note
from canvases.types import Area, CanvasType
from tests.canvases.factories import CanvasFactory, NoteFactory
from tests.engage.factories import JobFactory, PersonaFactory, SegmentFactory

pytestmark = pytest.mark.django_db

Kind = CanvasEvent.Kind


@pytest.fixture
def canvas(workspace, facilitator):
    return services.canvas_create(
        workspace=workspace, type_slug="empathy_map", created_by=facilitator
    )


@pytest.fixture
def forces(workspace, facilitator):
    return services.canvas_create(
        workspace=workspace, type_slug="jtbd_forces", created_by=facilitator
    )


@pytest.fixture
def persona_card(workspace, facilitator):
    persona = PersonaFactory(workspace=workspace, name="Nadia", created_by=facilitator)
    return services.canvas_create(
        workspace=workspace, type_slug="persona_card", created_by=facilitator, persona=persona
    )


@pytest.fixture
def mixed_type():
    """A type with a scored and an unscored note area, registered for one test."""
    canvas_type = types.register(
        CanvasType(
            slug="test_mixed",
            title="Mixed",
            summary="Scored and unscored notes.",
            columns="1fr 1fr",
            grid=("scored plain",),
            areas=(
                Area("scored", "Scored", "Notes with a strength.", note_score=(1, 5)),
                Area("plain", "Plain", "Notes without one."),
            ),
        )
    )
    yield canvas_type
    types._registry.pop(canvas_type.slug)


def add(canvas, area, text, author, **kwargs):
    return services.note_create(canvas=canvas, area=area, text=text, author=author, **kwargs)


def live(canvas, area):
    """(text, position) of the live notes of an area, in board order."""
    return list(
        canvas.notes.filter(area=area, is_deleted=False)
        .order_by("position", "id")
        .values_list("text", "position")
    )


def edit(note, actor, **kwargs):
    note.refresh_from_db()
    return services.note_edit(note=note, actor=actor, expected_version=note.version, **kwargs)


# --- canvas_create -------------------------------------------------------------------


def test_canvas_create_names_the_canvas_after_its_persona(workspace, facilitator):
    persona = PersonaFactory(workspace=workspace, name="Nadia")

    canvas = services.canvas_create(
        workspace=workspace, type_slug="empathy_map", created_by=facilitator, persona=persona
    )

    assert canvas.title == "Empathy map: Nadia"
    assert canvas.persona == persona
    assert canvas.facilitator == facilitator.display_name


def test_canvas_create_names_the_canvas_after_its_job(workspace, facilitator):
    job = JobFactory(workspace=workspace, verb="Pay", object="an invoice", context="on the go")

    canvas = services.canvas_create(
        workspace=workspace, type_slug="jtbd_forces", created_by=facilitator, job=job
    )

    assert canvas.title == "JTBD forces: Pay an invoice on the go"


def test_canvas_create_keeps_a_given_title(workspace, facilitator):
    persona = PersonaFactory(workspace=workspace)

    canvas = services.canvas_create(
        workspace=workspace,
        type_slug="empathy_map",
        created_by=facilitator,
        persona=persona,
        title="Kick-off",
    )

    assert canvas.title == "Kick-off"


def test_a_persona_card_needs_a_persona(workspace, facilitator):
    with pytest.raises(ValidationError, match="pick the persona"):
        services.canvas_create(
            workspace=workspace, type_slug="persona_card", created_by=facilitator
        )

    assert not Canvas.objects.exists()


@pytest.mark.parametrize("link", ["persona", "job"])
def test_canvas_create_refuses_a_link_from_another_workspace(workspace, facilitator, link):
    foreign = {"persona": PersonaFactory, "job": JobFactory}[link]()

    with pytest.raises(ValidationError, match=f"Pick a {link} of this workspace"):
        services.canvas_create(
            workspace=workspace, type_slug="jtbd_forces", created_by=facilitator, **{link: foreign}
        )

    assert not Canvas.objects.exists()


def test_canvas_create_drops_links_the_type_does_not_offer(workspace, facilitator):
    persona = PersonaFactory(workspace=workspace, name="Nadia")
    job = JobFactory(workspace=workspace, verb="Pay", object="an invoice", context="")

    jtbd_filter = services.canvas_create(
        workspace=workspace,
        type_slug="jtbd_filter",
        created_by=facilitator,
        persona=persona,
        job=job,
    )
    network = services.canvas_create(
        workspace=workspace,
        type_slug="benefits_dependency_network",
        created_by=facilitator,
        persona=persona,
        job=job,
    )

    assert (jtbd_filter.persona, jtbd_filter.job) == (None, None)
    assert jtbd_filter.title == "JTBD filter"
    assert (network.persona, network.job) == (None, job)
    assert network.title == "Benefits dependency network: Pay an invoice"


def test_canvas_create_logs_the_creation(workspace, facilitator):
    canvas = services.canvas_create(
        workspace=workspace, type_slug="empathy_map", created_by=facilitator, title="Kick-off"
    )

    canvas.refresh_from_db()
    (event,) = canvas.events.all()
    assert canvas.revision == event.revision == 1
    assert (event.kind, event.actor) == (Kind.CANVAS_CREATED, facilitator)
    assert event.after == {"title": "Kick-off", "type": "empathy_map"}


# --- Every write: one revision, one event ----------------------------------------------


WRITES = {
    "note_create": (
        lambda canvas, note, user: add(canvas, "say", "We need it yesterday", user),
        Kind.NOTE_CREATED,
        None,
        {"area": "say", "text": "We need it yesterday"},
    ),
    "note_edit": (
        lambda canvas, note, user: edit(note, user, text="Reads the trade press"),
        Kind.NOTE_EDITED,
        {"text": "Reads reviews"},
        {"text": "Reads the trade press"},
    ),
    "note_move": (
        lambda canvas, note, user: services.note_move(
            note=note, area="hear", position=0, actor=user
        ),
        Kind.NOTE_MOVED,
        {"area": "see"},
        {"area": "hear", "position": 0},
    ),
    "note_delete": (
        lambda canvas, note, user: services.note_delete(note=note, actor=user),
        Kind.NOTE_DELETED,
        {"is_deleted": False},
        {"is_deleted": True},
    ),
    "field_set": (
        lambda canvas, note, user: services.field_set(
            canvas=canvas, field="initiative", value="ERP", actor=user
        ),
        Kind.FIELD_CHANGED,
        {"value": ""},
        {"value": "ERP"},
    ),
    "undo_last": (
        lambda canvas, note, user: services.undo_last(canvas=canvas, actor=user),
        Kind.NOTE_DELETED,
        {"is_deleted": False},
        {"is_deleted": True},
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_every_write_bumps_the_revision_once_and_logs_one_event(workspace, facilitator, bob, write):
    action, kind, before, after = WRITES[write]
    canvas = services.canvas_create(
        workspace=workspace, type_slug="stakeholder_engagement_card", created_by=facilitator
    )
    note = add(canvas, "see", "Reads reviews", bob)
    canvas.refresh_from_db()
    revision = canvas.revision

    action(canvas, note, bob)

    canvas.refresh_from_db()
    assert canvas.revision == revision + 1
    (event,) = canvas.events.filter(revision__gt=revision)
    assert (event.revision, event.kind, event.actor) == (canvas.revision, kind, bob)
    assert (event.before or {}).items() >= (before or {}).items()
    assert event.after.items() >= after.items()


def test_restoring_a_note_bumps_the_revision_once_and_logs_one_event(canvas, bob):
    note = services.note_delete(note=add(canvas, "see", "Reads reviews", bob), actor=bob)
    canvas.refresh_from_db()
    revision = canvas.revision

    services.note_restore(note=note, actor=bob)

    canvas.refresh_from_db()
    assert canvas.revision == revision + 1
    (event,) = canvas.events.filter(revision__gt=revision)
    assert (event.kind, event.actor, event.note) == (Kind.NOTE_RESTORED, bob, note)
    assert (event.before["is_deleted"], event.after["is_deleted"]) == (True, False)


# --- note_create -----------------------------------------------------------------------


def test_note_create_appends_to_its_area(canvas, alice, bob):
    first = add(canvas, "see", "Dashboards", alice)
    second = add(canvas, "see", "Competitors", bob)
    elsewhere = add(canvas, "say", "Not again", alice)
    third = add(canvas, "see", "News", alice)

    assert [first.position, second.position, third.position] == [0, 1, 2]
    assert elsewhere.position == 0
    assert (third.author, third.text, third.is_hidden) == (alice, "News", False)


@pytest.mark.parametrize(
    ("type_slug", "area", "message"),
    [
        ("persona_card", "details", "holds fields, not notes"),
        ("jtbd_timeline", "first_thought", "holds fields, not notes"),
        ("empathy_map", "nowhere", "has no area"),
    ],
    ids=["fields-area", "label-area", "unknown-area"],
)
def test_note_create_only_goes_into_a_notes_area(workspace, facilitator, type_slug, area, message):
    canvas = CanvasFactory(workspace=workspace, type=type_slug)

    with pytest.raises(ValidationError, match=message):
        add(canvas, area, "Lost note", facilitator)

    assert not Note.objects.exists()


def test_note_create_refuses_empty_text(canvas, alice):
    with pytest.raises(ValidationError, match="needs some text"):
        add(canvas, "see", "   ", alice)

    assert not canvas.notes.exists()


def test_note_score_is_kept_only_where_the_area_scores_notes(canvas, forces, alice):
    strong_push = add(forces, "push", "Month-end is chaos", alice, score=4)
    unscored = add(canvas, "see", "Dashboards", alice, score=4)

    assert strong_push.score == 4
    assert unscored.score is None


@pytest.mark.parametrize(("score", "accepted"), [(0, False), (1, True), (5, True), (6, False)])
def test_forces_strength_runs_from_one_to_five(forces, alice, score, accepted):
    if accepted:
        assert add(forces, "anxiety", "Will it lose data?", alice, score=score).score == score
    else:
        with pytest.raises(ValidationError, match="from 1 to 5"):
            add(forces, "anxiety", "Will it lose data?", alice, score=score)
        assert not forces.notes.exists()


def test_private_mode_hides_a_participants_note_but_not_a_facilitators(
    workspace, facilitator, alice
):
    canvas = CanvasFactory(workspace=workspace, is_private=True)

    secret = add(canvas, "think", "Will I keep my job?", alice)
    prompt = add(canvas, "think", "Think about the budget", facilitator, facilitating=True)

    assert secret.is_hidden is True
    assert prompt.is_hidden is False


def test_a_locked_canvas_refuses_participants_but_not_facilitators(workspace, facilitator, alice):
    canvas = CanvasFactory(workspace=workspace, is_locked=True)

    with pytest.raises(ValidationError, match="locked"):
        add(canvas, "see", "Dashboards", alice)
    note = add(canvas, "see", "Dashboards", facilitator, facilitating=True)
    with pytest.raises(ValidationError, match="locked"):
        edit(note, alice, text="Reports")

    assert live(canvas, "see") == [("Dashboards", 0)]


# --- note_edit -------------------------------------------------------------------------


def test_a_stale_edit_raises_a_conflict_and_loses_neither_text(canvas, alice, bob):
    note = add(canvas, "say", "We need faster onboarding", alice)
    seen_by_alice = seen_by_bob = note.version

    services.note_edit(note=note, actor=bob, expected_version=seen_by_bob, text="Bob's words")
    with pytest.raises(services.EditConflict) as conflict:
        services.note_edit(
            note=note, actor=alice, expected_version=seen_by_alice, text="Alice's words"
        )

    note.refresh_from_db()
    assert note.text == "Bob's words"
    assert conflict.value.current_text == "Bob's words"
    assert conflict.value.current_version == note.version == seen_by_bob + 1
    # Alice still has her text; resubmitted against the current version, it saves.
    services.note_edit(
        note=note,
        actor=alice,
        expected_version=conflict.value.current_version,
        text="Alice's words",
    )
    note.refresh_from_db()
    assert note.text == "Alice's words"


def test_a_deleted_note_cannot_be_edited(canvas, alice, bob):
    note = add(canvas, "say", "Too slow", alice)
    version = note.version
    services.note_delete(note=note, actor=bob)

    with pytest.raises(ValidationError, match="deleted"):
        services.note_edit(note=note, actor=alice, expected_version=version, text="Far too slow")

    note.refresh_from_db()
    assert note.text == "Too slow"


def test_an_edit_that_changes_nothing_logs_nothing(canvas, alice):
    note = add(canvas, "say", "Too slow", alice)
    canvas.refresh_from_db()
    revision = canvas.revision

    edit(note, alice, text="  Too slow ")

    canvas.refresh_from_db()
    note.refresh_from_db()
    assert canvas.revision == revision
    assert note.version == 1
    assert not canvas.events.filter(kind=Kind.NOTE_EDITED).exists()


def test_note_edit_refuses_empty_text(canvas, alice):
    note = add(canvas, "say", "Too slow", alice)

    with pytest.raises(ValidationError, match="needs some text"):
        edit(note, alice, text=" ")

    note.refresh_from_db()
    assert note.text == "Too slow"


def test_note_edit_range_checks_the_strength(forces, alice):
    note = add(forces, "push", "Month-end is chaos", alice, score=2)

    with pytest.raises(ValidationError, match="from 1 to 5"):
        edit(note, alice, score=9)
    edit(note, alice, score=5)

    note.refresh_from_db()
    assert note.score == 5


# --- note_move -------------------------------------------------------------------------


def test_moving_within_an_area_renumbers_without_gaps(canvas, alice):
    a, b, _, d = (add(canvas, "see", text, alice) for text in "abcd")
    services.note_delete(note=b, actor=alice)

    services.note_move(note=d, area="see", position=0, actor=alice)

    assert live(canvas, "see") == [("d", 0), ("a", 1), ("c", 2)]
    services.note_move(note=a, area="see", position=99, actor=alice)
    assert live(canvas, "see") == [("d", 0), ("c", 1), ("a", 2)]


def test_moving_between_areas_inserts_at_the_position(canvas, alice):
    seen = add(canvas, "see", "Dashboards", alice)
    add(canvas, "say", "x", alice)
    add(canvas, "say", "y", alice)

    moved = services.note_move(note=seen, area="say", position=1, actor=alice)

    assert moved.area == "say"
    assert live(canvas, "say") == [("x", 0), ("Dashboards", 1), ("y", 2)]
    assert live(canvas, "see") == []


def test_moving_into_a_field_area_is_refused(persona_card, alice):
    note = add(persona_card, "seeing", "Billboards", alice)

    with pytest.raises(ValidationError, match="holds fields"):
        services.note_move(note=note, area="details", position=0, actor=alice)

    note.refresh_from_db()
    assert note.area == "seeing"


def test_a_moved_note_keeps_its_score_only_where_the_area_scores(
    workspace, facilitator, alice, mixed_type
):
    canvas = services.canvas_create(
        workspace=workspace, type_slug=mixed_type.slug, created_by=facilitator
    )
    note = add(canvas, "scored", "Strong", alice, score=4)

    moved = services.note_move(note=note, area="plain", position=0, actor=alice)

    assert moved.score is None
    note.refresh_from_db()
    assert note.score is None


def test_moving_between_scored_areas_keeps_the_score(forces, alice):
    note = add(forces, "push", "Month-end is chaos", alice, score=4)

    services.note_move(note=note, area="pull", position=0, actor=alice)

    note.refresh_from_db()
    assert (note.area, note.score) == ("pull", 4)


# --- note_delete / note_restore ----------------------------------------------------------


def test_delete_is_soft_and_restore_brings_the_note_back_at_its_place(canvas, alice, bob):
    for text in ("first", "middle", "last"):
        add(canvas, "hear", text, alice)
    middle = canvas.notes.get(text="middle")

    services.note_delete(note=middle, actor=bob)
    assert live(canvas, "hear") == [("first", 0), ("last", 2)]
    assert canvas.notes.filter(pk=middle.pk, is_deleted=True).exists()
    assert [note.pk for note in selectors.deleted_notes(canvas)] == [middle.pk]

    services.note_restore(note=middle, actor=alice)
    assert [text for text, _ in live(canvas, "hear")] == ["first", "middle", "last"]
    kinds = list(
        canvas.events.filter(note=middle).order_by("revision").values_list("kind", "actor")
    )
    assert kinds[-2:] == [(Kind.NOTE_DELETED, bob.pk), (Kind.NOTE_RESTORED, alice.pk)]


# --- canvas_copy -----------------------------------------------------------------------


def test_a_copy_gets_the_next_version_of_its_title_and_type(workspace, facilitator):
    original = services.canvas_create(
        workspace=workspace, type_slug="empathy_map", created_by=facilitator, title="Kick-off"
    )
    CanvasFactory(workspace=workspace, type="empathy_map", title="Other", version=7)
    CanvasFactory(workspace=workspace, type="jtbd_forces", title="Kick-off", version=9)

    second = services.canvas_copy(canvas=original, actor=facilitator)
    third = services.canvas_copy(canvas=original, actor=facilitator)

    assert (original.version, second.version, third.version) == (1, 2, 3)
    assert third.copied_from == original


def test_a_copy_carries_live_notes_and_fields_and_leaves_the_original_alone(
    workspace, facilitator, alice
):
    original = services.canvas_create(
        workspace=workspace, type_slug="stakeholder_engagement_card", created_by=facilitator
    )
    add(original, "see", "Dashboards", alice)
    gone = add(original, "see", "Old news", alice)
    services.note_delete(note=gone, actor=alice)
    hidden = NoteFactory(canvas=original, area="say", text="Not revealed yet", is_hidden=True)
    services.field_set(canvas=original, field="perception", value="mixed", actor=facilitator)
    original.refresh_from_db()
    revision, note_ids = original.revision, set(original.notes.values_list("pk", flat=True))

    copy = services.canvas_copy(canvas=original, actor=facilitator)

    assert copy.pk != original.pk and copy.copied_from == original
    assert list(copy.notes.values_list("area", "text", "author")) == [
        ("see", "Dashboards", alice.pk)
    ]
    assert selectors.field_values(copy) == {"perception": "mixed"}
    original.refresh_from_db()
    assert original.revision == revision
    assert set(original.notes.values_list("pk", flat=True)) == note_ids
    hidden.refresh_from_db()
    assert (hidden.canvas, hidden.is_hidden) == (original, True)
    (event,) = copy.events.all()
    assert event.kind == Kind.CANVAS_CREATED and event.after["copied_from"] == original.pk


# --- field_set -------------------------------------------------------------------------


@pytest.fixture
def stakeholder_card(workspace, facilitator):
    return services.canvas_create(
        workspace=workspace, type_slug="stakeholder_engagement_card", created_by=facilitator
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("perception", "sideways", "Perception: pick one of the listed options."),
        ("cadence", "4", "Cadence: pick a value from 1 to 3."),
        ("cadence", "0", "Cadence: pick a value from 1 to 3."),
        ("format", "high", "Format: pick a value from 1 to 5."),
        ("format", "²", "Format: pick a value from 1 to 5."),
        ("shoe_size", "42", "This canvas has no field “shoe_size”."),
    ],
)
def test_field_set_validates_the_value(stakeholder_card, facilitator, field, value, message):
    with pytest.raises(ValidationError) as raised:
        services.field_set(canvas=stakeholder_card, field=field, value=value, actor=facilitator)

    assert raised.value.messages == [message]
    assert selectors.field_values(stakeholder_card).get(field, "") == ""


@pytest.mark.parametrize("value", ["forty", "-3", "4.5", "²"])
def test_field_set_wants_a_whole_number_for_a_number_field(persona_card, facilitator, value):
    with pytest.raises(ValidationError, match="Age: enter a whole number"):
        services.field_set(canvas=persona_card, field="age", value=value, actor=facilitator)

    persona_card.persona.refresh_from_db()
    assert persona_card.persona.age is None


def test_field_set_stores_valid_values(stakeholder_card, facilitator):
    for field, value in [("perception", "mixed"), ("cadence", "3"), ("origin_story", " Ex-CFO ")]:
        services.field_set(canvas=stakeholder_card, field=field, value=value, actor=facilitator)

    assert selectors.field_values(stakeholder_card) == {
        "perception": "mixed",
        "cadence": "3",
        "origin_story": "Ex-CFO",
    }


def test_a_stale_field_edit_raises_a_conflict_and_keeps_the_other_value(
    stakeholder_card, alice, bob
):
    services.field_set(
        canvas=stakeholder_card,
        field="initiative",
        value="Cloud move",
        actor=bob,
        expected_value="",
    )

    with pytest.raises(services.EditConflict) as conflict:
        services.field_set(
            canvas=stakeholder_card, field="initiative", value="ERP", actor=alice, expected_value=""
        )

    assert conflict.value.current_text == "Cloud move"
    assert selectors.field_values(stakeholder_card)["initiative"] == "Cloud move"
    assert stakeholder_card.events.filter(kind=Kind.FIELD_CHANGED).count() == 1


def test_a_persona_card_writes_the_persona_record(workspace, persona_card, facilitator):
    segment = SegmentFactory(workspace=workspace)

    for field, value in [
        ("name", "Nadia Rahman"),
        ("scenario", "Onboarding day"),
        ("segment", str(segment.pk)),
        ("age", "41"),
    ]:
        services.field_set(canvas=persona_card, field=field, value=value, actor=facilitator)

    persona = persona_card.persona
    persona.refresh_from_db()
    assert (persona.name, persona.scenario, persona.segment, persona.age) == (
        "Nadia Rahman",
        "Onboarding day",
        segment,
        41,
    )
    assert not persona_card.field_values.exists()
    values = selectors.field_values(Canvas.objects.get(pk=persona_card.pk))
    assert values["name"] == "Nadia Rahman"
    assert values["scenario"] == "Onboarding day"
    assert values["segment"] == str(segment.pk)
    assert values["age"] == "41"


def test_a_persona_card_refuses_a_segment_of_another_workspace(persona_card, facilitator):
    foreign = SegmentFactory()

    with pytest.raises(ValidationError, match="pick one of the listed options"):
        services.field_set(
            canvas=persona_card, field="segment", value=str(foreign.pk), actor=facilitator
        )

    persona_card.persona.refresh_from_db()
    assert persona_card.persona.segment != foreign


def test_a_persona_card_keeps_the_persona_named(persona_card, facilitator):
    with pytest.raises(ValidationError, match="needs a name"):
        services.field_set(canvas=persona_card, field="name", value=" ", actor=facilitator)

    persona_card.persona.refresh_from_db()
    assert persona_card.persona.name == "Nadia"


def test_a_persona_card_whose_persona_was_deleted_refuses_persona_fields(persona_card, facilitator):
    persona_card.persona.delete()
    persona_card.refresh_from_db()

    with pytest.raises(ValidationError, match="persona of this card was deleted"):
        services.field_set(canvas=persona_card, field="name", value="Nadia", actor=facilitator)

    assert not persona_card.field_values.exists()


# --- undo_last -------------------------------------------------------------------------


def test_undo_of_a_create_deletes_the_note(canvas, alice):
    note = add(canvas, "see", "Dashboards", alice)

    undone = services.undo_last(canvas=canvas, actor=alice)

    assert (undone.kind, undone.note) == (Kind.NOTE_CREATED, note)
    assert live(canvas, "see") == []
    assert canvas.events.get(undoes=undone).kind == Kind.NOTE_DELETED


def test_undo_of_a_delete_restores_the_note(canvas, alice):
    note = add(canvas, "see", "Dashboards", alice)
    services.note_delete(note=note, actor=alice)

    services.undo_last(canvas=canvas, actor=alice)

    assert live(canvas, "see") == [("Dashboards", 0)]


def test_undo_of_a_move_moves_the_note_back(canvas, alice):
    add(canvas, "see", "first", alice)
    note = add(canvas, "see", "second", alice)
    add(canvas, "see", "third", alice)
    services.note_move(note=note, area="do", position=0, actor=alice)

    services.undo_last(canvas=canvas, actor=alice)

    assert live(canvas, "see") == [("first", 0), ("second", 1), ("third", 2)]
    assert live(canvas, "do") == []


def test_undo_of_an_edit_restores_the_previous_text(canvas, alice):
    note = add(canvas, "say", "Too slow", alice)
    edit(note, alice, text="Far too slow", colour="pink")

    services.undo_last(canvas=canvas, actor=alice)

    note.refresh_from_db()
    assert (note.text, note.colour) == ("Too slow", "yellow")


def test_undo_of_a_first_strength_clears_it_and_moves_on(forces, alice):
    note = add(forces, "push", "Month-end is chaos", alice)
    edit(note, alice, score=4)

    services.undo_last(canvas=forces, actor=alice)
    note.refresh_from_db()
    assert note.score is None

    services.undo_last(canvas=forces, actor=alice)
    note.refresh_from_db()
    assert note.is_deleted


def test_undo_of_a_field_change_restores_the_old_value(stakeholder_card, alice):
    services.field_set(canvas=stakeholder_card, field="perception", value="neutral", actor=alice)
    services.field_set(canvas=stakeholder_card, field="perception", value="negative", actor=alice)

    services.undo_last(canvas=stakeholder_card, actor=alice)

    assert selectors.field_values(stakeholder_card)["perception"] == "neutral"


def test_undo_on_a_persona_card_restores_the_persona(persona_card, facilitator):
    services.field_set(canvas=persona_card, field="name", value="Nadia R.", actor=facilitator)

    services.undo_last(canvas=persona_card, actor=facilitator)

    persona_card.persona.refresh_from_db()
    assert persona_card.persona.name == "Nadia"


def test_successive_undos_walk_back_until_nothing_is_left(canvas, facilitator, alice):
    note = add(canvas, "say", "one", alice)
    edit(note, alice, text="two")
    edit(note, alice, text="three")

    services.undo_last(canvas=canvas, actor=alice)
    note.refresh_from_db()
    assert note.text == "two"
    services.undo_last(canvas=canvas, actor=alice)
    note.refresh_from_db()
    assert note.text == "one"
    services.undo_last(canvas=canvas, actor=alice)
    note.refresh_from_db()
    assert note.is_deleted

    assert services.undo_last(canvas=canvas, actor=alice) is None
    # Creating the canvas is not an undoable change either.
    assert services.undo_last(canvas=canvas, actor=facilitator) is None


def test_undo_touches_only_the_actors_own_changes(canvas, alice, bob):
    mine = add(canvas, "see", "Alice's note", alice)
    add(canvas, "see", "Bob's note", bob)

    undone = services.undo_last(canvas=canvas, actor=alice)

    assert undone.note == mine
    assert live(canvas, "see") == [("Bob's note", 1)]
    assert services.undo_last(canvas=canvas, actor=alice) is None


def test_undo_refuses_when_someone_else_changed_the_note_since(canvas, alice, bob):
    note = add(canvas, "see", "Dashboards", alice)
    edit(note, bob, text="Dashboards and reports")
    canvas.refresh_from_db()
    revision = canvas.revision

    with pytest.raises(ValidationError, match="Someone changed this note"):
        services.undo_last(canvas=canvas, actor=alice)

    note.refresh_from_db()
    canvas.refresh_from_db()
    assert (note.text, note.is_deleted) == ("Dashboards and reports", False)
    assert canvas.revision == revision


def test_undo_refuses_when_someone_else_changed_the_field_since(stakeholder_card, alice, bob):
    services.field_set(canvas=stakeholder_card, field="power", value="formal", actor=alice)
    services.field_set(canvas=stakeholder_card, field="power", value="informal", actor=bob)

    with pytest.raises(services.EditConflict):
        services.undo_last(canvas=stakeholder_card, actor=alice)

    assert selectors.field_values(stakeholder_card)["power"] == "informal"


# --- selectors.board_areas -------------------------------------------------------------

BOARD_QUERIES = 4  # notes (authors joined), field values, the persona, the segment choices


@pytest.mark.parametrize("count", [10, 300])
def test_board_areas_uses_a_fixed_number_of_queries(
    workspace, facilitator, alice, django_assert_num_queries, count
):
    card = CanvasFactory(workspace=workspace, persona_card=True)
    note_areas = [area.slug for area in card.canvas_type.note_areas]
    Note.objects.bulk_create(
        NoteFactory.build(canvas=card, area=note_areas[n % len(note_areas)], author=alice)
        for n in range(count)
    )
    card = Canvas.objects.get(pk=card.pk)

    with django_assert_num_queries(BOARD_QUERIES):
        views = selectors.board_areas(card, facilitator, facilitating=True)
        authors = {note.author_name for view in views for note in view.notes}
        fields = [value for view in views for _, value, *_ in view.fields]

    assert sum(len(view.notes) for view in views) == count
    assert authors == {alice.display_name}
    assert card.persona.name in fields


def test_board_areas_hides_another_participants_private_notes(workspace, facilitator, alice, bob):
    canvas = CanvasFactory(workspace=workspace, is_private=True)
    add(canvas, "think", "Alice's secret", alice)
    add(canvas, "think", "Bob's secret", bob)
    add(canvas, "think", "Facilitator's prompt", facilitator, facilitating=True)

    def think(user, facilitating):
        views = selectors.board_areas(canvas, user, facilitating=facilitating)
        return {note.text for view in views if view.area.slug == "think" for note in view.notes}

    assert think(bob, False) == {"Bob's secret", "Facilitator's prompt"}
    assert think(alice, False) == {"Alice's secret", "Facilitator's prompt"}
    assert think(facilitator, True) == {
        "Alice's secret",
        "Bob's secret",
        "Facilitator's prompt",
    }


def test_a_move_in_between_is_no_conflict_for_a_text_edit(canvas, alice, bob):
    note = add(canvas, "see", "Dashboards", alice)
    started_at = note.version
    services.note_move(note=note, area="say", position=0, actor=bob)
    edited = services.note_edit(
        note=note,
        actor=alice,
        expected_version=started_at,
        expected_text="Dashboards",
        text="Red dashboards",
    )
    assert (edited.area, edited.text) == ("say", "Red dashboards")


def test_a_text_change_in_between_is_a_conflict_even_with_the_original_text(canvas, alice, bob):
    note = add(canvas, "see", "Dashboards", alice)
    started_at = note.version
    services.note_edit(note=note, actor=bob, expected_version=started_at, text="Bob's dashboards")
    with pytest.raises(services.EditConflict) as conflict:
        services.note_edit(
            note=note,
            actor=alice,
            expected_version=started_at,
            expected_text="Dashboards",
            text="Alice's",
        )
    assert conflict.value.current_text == "Bob's dashboards"


def test_a_colour_change_never_conflicts_and_keeps_the_text(canvas, alice, bob):
    note = add(canvas, "see", "Dashboards", alice)
    started_at = note.version
    services.note_edit(note=note, actor=bob, expected_version=started_at, text="Bob's dashboards")
    recoloured = services.note_edit(
        note=note, actor=alice, expected_version=started_at, colour="green"
    )
    assert (recoloured.colour, recoloured.text) == ("green", "Bob's dashboards")
