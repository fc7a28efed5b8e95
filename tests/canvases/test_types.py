from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from canvases import types
from canvases.checks import check_canvas_registry, registry_problems
from canvases.models import Canvas
from canvases.types import Area, AreaKind, CanvasType
from tests.engage.factories import WorkspaceFactory

SPEC_SLUGS = [
    "persona_card",
    "empathy_map",
    "stakeholder_engagement_card",
    "jtbd_timeline",
    "jtbd_forces",
    "jtbd_filter",
    "jtbd_prioritization",
    "benefits_dependency_network",
    "ecosystem_map",
]

SOUND = CanvasType(
    slug="test_sound",
    title="Sound",
    summary="A minimal well-formed type.",
    columns="1fr 1fr",
    grid=("left right",),
    areas=(Area("left", "Left", "What goes left."), Area("right", "Right", "What goes right.")),
)


@pytest.fixture
def temporarily_registered():
    """register(type) for one test, removed from the registry afterwards."""
    added = []

    def add(canvas_type):
        added.append(types.register(canvas_type).slug)
        return canvas_type

    yield add
    for slug in added:
        types._registry.pop(slug, None)


@pytest.mark.parametrize("canvas_type", types.all_types(), ids=lambda t: t.slug)
def test_every_registered_type_is_well_formed(canvas_type):
    assert registry_problems(canvas_type) == []


def test_the_registry_passes_the_system_check():
    assert check_canvas_registry(None) == []


@pytest.mark.parametrize("slug", SPEC_SLUGS)
def test_every_canvas_of_the_spec_is_registered(slug):
    assert types.get(slug).slug == slug


def test_a_sound_type_has_no_problems():
    # The baseline for the broken variants below: each differs from it in one way.
    assert registry_problems(SOUND) == []


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        (replace(SOUND, grid=("left middle",)), "not areas: ['middle']"),
        (replace(SOUND, grid=("left left",)), "not placed: ['right']"),
        (
            replace(SOUND, areas=(SOUND.areas[0], Area("right", "Right", "  "))),
            "area 'right' has no prompt",
        ),
        (
            replace(SOUND, areas=(*SOUND.areas, Area("left", "Left again", "Twice."))),
            "two areas share a slug",
        ),
        (replace(SOUND, grid=("left right", "left")), "one name per column"),
        (replace(SOUND, columns="1fr 1fr 1fr"), "one name per column"),
        (
            replace(
                SOUND,
                areas=(SOUND.areas[0], Area("right", "Right", "Values.", kind=AreaKind.FIELDS)),
            ),
            "field area 'right' has no fields",
        ),
    ],
    ids=[
        "grid-name-not-an-area",
        "area-not-placed",
        "area-without-prompt",
        "duplicate-area-slugs",
        "short-row",
        "columns-mismatch",
        "fields-area-without-fields",
    ],
)
def test_registry_problems_reports_a_broken_type(broken, problem):
    problems = registry_problems(broken)

    assert any(problem in text for text in problems), problems


def test_a_type_slug_cannot_be_registered_twice(temporarily_registered):
    temporarily_registered(SOUND)

    with pytest.raises(ValueError, match="registered twice"):
        types.register(replace(SOUND, title="Impostor"))

    assert types.get(SOUND.slug).title == "Sound"


def test_manage_py_check_fails_for_a_broken_registered_type(temporarily_registered):
    temporarily_registered(replace(SOUND, slug="test_broken", grid=("left nowhere",)))

    errors = check_canvas_registry(None)
    assert [error.id for error in errors] == ["canvases.E002"]
    assert "'test_broken'" in errors[0].msg
    with pytest.raises(SystemCheckError, match="test_broken"):
        call_command("check")


def test_manage_py_check_passes_for_the_registered_types():
    call_command("check")


def test_empathy_map_numbers_its_areas_in_the_order_of_filling():
    first_area_of_step = {}
    for area in types.get("empathy_map").areas:
        first_area_of_step.setdefault(area.step, area.slug)

    assert first_area_of_step == {
        1: "who",
        2: "goal",
        3: "see",
        4: "say",
        5: "do",
        6: "hear",
        7: "think",
    }


def test_empathy_map_pains_and_gains_belong_to_think_and_feel():
    empathy_map = types.get("empathy_map")

    assert empathy_map.area("pains").step == empathy_map.area("gains").step == 7


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SPEC_SLUGS)
def test_canvas_type_field_accepts_every_registered_slug(slug):
    workspace = WorkspaceFactory()
    canvas = Canvas(
        workspace=workspace, type=slug, title="Kick-off", created_by=workspace.created_by
    )

    canvas.full_clean()


@pytest.mark.django_db
def test_canvas_type_field_rejects_an_unknown_slug():
    workspace = WorkspaceFactory()
    canvas = Canvas(
        workspace=workspace, type="nope", title="Kick-off", created_by=workspace.created_by
    )

    with pytest.raises(ValidationError) as raised:
        canvas.full_clean()

    assert "type" in raised.value.message_dict


@pytest.mark.django_db
def test_a_newly_registered_type_is_accepted_without_a_migration(temporarily_registered):
    temporarily_registered(SOUND)
    workspace = WorkspaceFactory()
    canvas = Canvas(
        workspace=workspace, type=SOUND.slug, title="Kick-off", created_by=workspace.created_by
    )

    canvas.full_clean()
    # --check exits non-zero if the model state differs from the migrations.
    call_command("makemigrations", "canvases", check=True, dry_run=True, verbosity=0)
