"""Journeys, stages, touchpoints and data needs: every change logged on the map's canvas and undoable."""

import pytest
from django.core.exceptions import ValidationError

from canvases import services as canvas_services
from canvases.models import CanvasEvent
from journeys import services
from journeys.models import DataNeed, Journey, Stage, Touchpoint

Kind = CanvasEvent.Kind


def names(journey):
    return list(journey.stages.current().values_list("name", flat=True))


def test_a_journey_starts_with_the_preset_stages_on_its_own_canvas(journey, persona):
    assert names(journey) == ["Discover", "Evaluate", "Buy", "Access", "Use", "Get support"]
    assert journey.canvas.type == "customer_journey_map"
    assert journey.canvas.persona == persona
    assert journey.canvas.title == "Priya Nair: First payroll run"
    keys = list(journey.stages.values_list("key", flat=True))
    assert len(set(keys)) == 6 and all(key.startswith("s") for key in keys)


@pytest.mark.parametrize(
    "preset,stages",
    [("lifecycle", ["Onboard", "Adopt", "Expand", "Renew", "Advocate"]), ("blank", [])],
)
def test_other_presets(workspace, persona, facilitator, preset, stages):
    journey = services.journey_create(
        workspace=workspace, persona=persona, scenario="Renewal", actor=facilitator, preset=preset
    )
    assert names(journey) == stages


def test_a_journey_needs_a_persona_and_a_scenario(workspace, persona, facilitator):
    with pytest.raises(ValidationError, match="persona"):
        services.journey_create(workspace=workspace, persona=None, scenario="x", actor=facilitator)
    with pytest.raises(ValidationError, match="scenario"):
        services.journey_create(
            workspace=workspace, persona=persona, scenario="  ", actor=facilitator
        )
    assert not Journey.objects.exists()


def test_the_map_has_note_areas_per_stage_and_row(journey, alice):
    canvas_type = journey.canvas.canvas_type
    first = journey.stages.current().first()
    for row in ("doing", "thinking", "feeling", "opportunities"):
        assert canvas_type.area(first.area(row)).title == f"Discover · {row.capitalize()}"
    assert len(canvas_type.note_areas) == 6 * 4
    assert canvas_type.columns.split() == ["8.5rem", *["1fr"] * 6]
    assert {len(row.split()) for row in canvas_type.grid} == {7}
    canvas_services.note_create(
        canvas=journey.canvas, area=first.area("doing"), text="Reads reviews", author=alice
    )


def test_stage_add_rename_and_undo(journey, facilitator):
    stage = services.stage_add(journey=journey, name="Advocate", actor=facilitator)
    assert names(journey)[-1] == "Advocate" and stage.position == 6
    event = journey.canvas.events.get(kind=Kind.STAGE_ADDED)
    assert event.after["area"] == "shape"
    services.stage_change(stage=stage, actor=facilitator, expected_version=1, name="Champion")
    assert names(journey)[-1] == "Champion"
    canvas_services.undo_last(canvas=journey.canvas, actor=facilitator)
    assert names(journey)[-1] == "Advocate"
    canvas_services.undo_last(canvas=journey.canvas, actor=facilitator)
    assert "Advocate" not in names(journey)


def test_a_stale_rename_is_refused(journey, facilitator, alice):
    stage = journey.stages.current().first()
    services.stage_change(stage=stage, actor=alice, expected_version=1, name="Look around")
    with pytest.raises(ValidationError, match="Look around"):
        services.stage_change(stage=stage, actor=facilitator, expected_version=1, name="Search")
    assert Stage.objects.get(pk=stage.pk).name == "Look around"


def test_moving_a_stage_renumbers_the_others_and_undo_moves_it_back(journey, facilitator):
    buy = journey.stages.get(name="Buy")
    services.stage_move(stage=buy, position=0, actor=facilitator)
    assert names(journey) == ["Buy", "Discover", "Evaluate", "Access", "Use", "Get support"]
    assert list(journey.stages.current().values_list("position", flat=True)) == list(range(6))
    services.stage_move(stage=buy, position=99, actor=facilitator)
    assert names(journey)[-1] == "Buy"
    canvas_services.undo_last(canvas=journey.canvas, actor=facilitator)
    assert names(journey)[0] == "Buy"


def test_removing_a_stage_keeps_its_notes_and_touchpoints_for_undo(journey, facilitator, alice):
    buy = journey.stages.get(name="Buy")
    note = canvas_services.note_create(
        canvas=journey.canvas, area=buy.area("doing"), text="Signs", author=alice
    )
    services.touchpoint_add(stage=buy, actor=alice, name="Checkout", channel="web")
    services.stage_remove(stage=buy, actor=facilitator)
    assert "Buy" not in names(journey)
    assert buy.area("doing") not in {a.slug for a in journey.canvas.canvas_type.areas}
    with pytest.raises(ValidationError):
        services.touchpoint_add(stage=Stage.objects.get(pk=buy.pk), actor=alice, name="x",
                                channel="web")  # fmt: skip
    canvas_services.undo_last(canvas=journey.canvas, actor=facilitator)
    assert names(journey)[2] == "Buy"
    journey.canvas.refresh_from_db()
    areas = {a.slug for a in journey.canvas.canvas_type.areas}
    assert note.area in areas and Touchpoint.objects.get().stage_id == buy.pk


def test_emotion_runs_from_minus_two_to_two_and_is_undoable(journey, alice):
    stage = journey.stages.current().first()
    services.stage_set_emotion(stage=stage, emotion=-2, actor=alice)
    with pytest.raises(ValidationError, match="−2"):
        services.stage_set_emotion(stage=stage, emotion=3, actor=alice)
    event = journey.canvas.events.get(kind=Kind.STAGE_CHANGED)
    assert event.after["area"] == "curve" and event.after["emotion"] == -2
    canvas_services.undo_last(canvas=journey.canvas, actor=alice)
    assert Stage.objects.get(pk=stage.pk).emotion is None


def test_a_touchpoint_is_digital_as_its_channel_says_unless_told(journey, alice):
    stage = journey.stages.current().first()
    email = services.touchpoint_add(stage=stage, actor=alice, name="Welcome", channel="email")
    call = services.touchpoint_add(stage=stage, actor=alice, name="Kick-off", channel="phone")
    kiosk = services.touchpoint_add(
        stage=stage, actor=alice, name="Kiosk", channel="in_person", is_digital=True
    )
    assert (email.is_digital, call.is_digital, kiosk.is_digital) == (True, False, True)
    assert [email.position, call.position, kiosk.position] == [0, 1, 2]


def test_touchpoints_refuse_bad_input(journey, alice):
    stage = journey.stages.current().first()
    for details, message in (
        ({"name": "", "channel": "email"}, "name"),
        ({"name": "Fax", "channel": "fax"}, "channel"),
        ({"name": "Call", "channel": "phone", "owner": "legal"}, "function"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.touchpoint_add(stage=stage, actor=alice, **details)
    assert not Touchpoint.objects.exists()


def test_a_stale_touchpoint_change_is_refused(journey, alice, facilitator):
    stage = journey.stages.current().first()
    touchpoint = services.touchpoint_add(stage=stage, actor=alice, name="Demo", channel="web")
    services.touchpoint_change(
        touchpoint=touchpoint, actor=alice, expected_version=1, name="Live demo", channel="web"
    )
    with pytest.raises(ValidationError, match="Live demo"):
        services.touchpoint_change(
            touchpoint=touchpoint, actor=facilitator, expected_version=1, name="Video",
            channel="web",
        )  # fmt: skip
    assert Touchpoint.objects.get().name == "Live demo"


def test_removing_a_touchpoint_and_undo_bring_back_its_data(journey, alice):
    stage = journey.stages.current().first()
    touchpoint = services.touchpoint_add(
        stage=stage, actor=alice, name="Welcome", channel="email", value="Knows what's next"
    )
    services.data_need_add(touchpoint=touchpoint, kind="profile", item="Email", source="CRM",
                           actor=alice)  # fmt: skip
    services.touchpoint_remove(touchpoint=touchpoint, actor=alice)
    assert not Touchpoint.objects.exists() and not DataNeed.objects.exists()
    canvas_services.undo_last(canvas=journey.canvas, actor=alice)
    back = Touchpoint.objects.get()
    assert (back.pk, back.name, back.value) == (touchpoint.pk, "Welcome", "Knows what's next")
    assert list(back.data_needs.values_list("kind", "item", "source")) == [
        ("profile", "Email", "CRM")
    ]


def test_data_needs_are_undone_one_at_a_time(journey, alice):
    stage = journey.stages.current().first()
    touchpoint = services.touchpoint_add(stage=stage, actor=alice, name="Nudge", channel="in_app")
    services.data_need_add(touchpoint=touchpoint, kind="activity", item="Logins", actor=alice)
    need = services.data_need_add(
        touchpoint=touchpoint, kind="derived", item="Likely next step", actor=alice
    )
    with pytest.raises(ValidationError, match="profile, activity or derived"):
        services.data_need_add(touchpoint=touchpoint, kind="guess", item="x", actor=alice)
    services.data_need_remove(need=need, actor=alice)
    assert list(touchpoint.data_needs.values_list("item", flat=True)) == ["Logins"]
    canvas_services.undo_last(canvas=journey.canvas, actor=alice)
    assert set(touchpoint.data_needs.values_list("item", flat=True)) == {
        "Logins",
        "Likely next step",
    }


def test_undo_refuses_to_overwrite_someone_elses_later_change(journey, alice, facilitator):
    stage = journey.stages.current().first()
    touchpoint = services.touchpoint_add(stage=stage, actor=alice, name="Chat", channel="chat")
    services.touchpoint_change(
        touchpoint=touchpoint, actor=facilitator, expected_version=1, name="Live chat",
        channel="chat",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="changed this touchpoint"):
        canvas_services.undo_last(canvas=journey.canvas, actor=alice)


def test_a_locked_map_refuses_participants(journey, alice, facilitator):
    canvas_services.canvas_set_locked(canvas=journey.canvas, locked=True, actor=facilitator)
    with pytest.raises(ValidationError, match="locked"):
        services.touchpoint_add(
            stage=journey.stages.current().first(), actor=alice, name="x", channel="web"
        )


def test_journey_details_change_with_a_version_check(journey, facilitator):
    services.journey_change(
        journey=journey, actor=facilitator, expected_version=1, title="Priya's payroll",
        scenario="First payroll, on her own",
    )  # fmt: skip
    journey.refresh_from_db()
    journey.canvas.refresh_from_db()
    assert (journey.canvas.title, journey.scenario) == (
        "Priya's payroll",
        "First payroll, on her own",
    )
    with pytest.raises(ValidationError, match="Someone changed"):
        services.journey_change(
            journey=journey, actor=facilitator, expected_version=1, title="x", scenario="y"
        )
    canvas_services.undo_last(canvas=journey.canvas, actor=facilitator)
    journey.refresh_from_db()
    assert journey.scenario == "First payroll run"


def test_a_new_version_copies_the_journey_with_its_notes_in_their_stages(
    journey, alice, facilitator
):
    stage = journey.stages.current().first()
    canvas_services.note_create(
        canvas=journey.canvas, area=stage.area("thinking"), text="Is this safe?", author=alice
    )
    touchpoint = services.touchpoint_add(stage=stage, actor=alice, name="Reviews", channel="web")
    services.data_need_add(touchpoint=touchpoint, kind="activity", item="Pages read", actor=alice)
    services.stage_remove(stage=journey.stages.get(name="Use"), actor=facilitator)
    copy = canvas_services.canvas_copy(canvas=journey.canvas, actor=facilitator)
    new = Journey.objects.get(canvas=copy)
    assert names(new) == ["Discover", "Evaluate", "Buy", "Access", "Get support"]
    assert new.scenario == journey.scenario
    first = new.stages.current().first()
    assert first.key == stage.key and first.pk != stage.pk
    assert copy.notes.get().area == first.area("thinking")
    assert first.touchpoints.get().data_needs.get().item == "Pages read"
