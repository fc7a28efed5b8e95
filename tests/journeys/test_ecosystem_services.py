"""Writes to an ecosystem map: parties and dimensions, their events, versions and undo."""

import pytest
from django.core.exceptions import ValidationError

from canvases import services as canvas_services
from canvases import types
from canvases.models import CanvasEvent
from canvases.services import EditConflict, undo_last
from journeys.ecosystem import services
from journeys.models import EcosystemDimension, EcosystemParty

Kind = CanvasEvent.Kind


def dim(canvas, name):
    return canvas.dimensions.get(name=name)


def add(canvas, actor, name="Okta", ring="valued", dimension="Tools & platforms", **kwargs):
    return services.party_add(
        canvas=canvas, name=name, ring=ring, dimension=dim(canvas, dimension), actor=actor, **kwargs
    )


def last_event(canvas):
    return canvas.events.order_by("-revision").first()


def test_the_type_lives_in_journeys_and_stays_in_the_value_menu():
    from canvases.types import value
    from journeys.ecosystem.canvas_type import ECOSYSTEM_MAP

    canvas_type = types.get("ecosystem_map")
    assert canvas_type is ECOSYSTEM_MAP and not hasattr(value, "ECOSYSTEM_MAP")
    assert canvas_type.family == "value" and canvas_type.links == frozenset({"persona"})
    assert ("ecosystem_map", "Ecosystem map") in types.creatable_choices()
    assert [area.slug for area in canvas_type.areas] == ["subject", "map", "parties"]


def test_a_new_map_starts_with_six_dimensions_in_order(ecomap):
    assert list(ecomap.dimensions.values_list("name", "position")) == [
        (name, i) for i, name in enumerate(services.DEFAULT_DIMENSIONS)
    ]


def test_adding_a_party_records_an_event_on_the_map_area(ecomap, alice):
    party = add(ecomap, alice, note="  SSO  ")
    assert (party.ring, party.dimension.name, party.note, party.created_by) == (
        "valued",
        "Tools & platforms",
        "SSO",
        alice,
    )
    event = last_event(ecomap)
    assert event.kind == Kind.PARTY_ADDED and event.actor == alice
    assert event.after == services.party_state(party) and event.after["area"] == "map"
    ecomap.refresh_from_db()
    assert ecomap.revision == event.revision


@pytest.mark.parametrize(
    "values,message",
    [
        ({"name": "  "}, "A party needs a name."),
        ({"ring": "outer"}, "A map has no ring “outer”."),
    ],
)
def test_a_party_needs_a_name_and_a_real_ring(ecomap, alice, values, message):
    with pytest.raises(ValidationError) as error:
        add(ecomap, alice, **values)
    assert error.value.messages == [message]
    assert not EcosystemParty.objects.exists()


def test_a_dimension_of_another_map_is_refused(ecomap, alice, workspace, facilitator):
    other = canvas_services.canvas_create(
        workspace=workspace, type_slug="ecosystem_map", created_by=facilitator
    )
    foreign = other.dimensions.first()
    with pytest.raises(ValidationError, match="not on this map"):
        services.party_add(canvas=ecomap, name="X", ring="valued", dimension=foreign, actor=alice)
    party = add(ecomap, alice)
    with pytest.raises(ValidationError, match="not on this map"):
        services.party_move(party=party, ring="valued", dimension=foreign.pk, actor=alice)
    assert EcosystemParty.objects.get().dimension.canvas == ecomap


def test_only_an_ecosystem_map_has_parties(workspace, facilitator):
    card = canvas_services.canvas_create(
        workspace=workspace, type_slug="empathy_map", created_by=facilitator
    )
    with pytest.raises(ValidationError, match="Only an ecosystem map"):
        services.dimension_add(canvas=card, name="Family", actor=facilitator)


def test_a_locked_map_refuses_participants_but_not_facilitators(ecomap, alice, facilitator):
    canvas_services.canvas_set_locked(canvas=ecomap, locked=True, actor=facilitator)
    with pytest.raises(ValidationError, match="locked"):
        add(ecomap, alice)
    assert add(ecomap, facilitator, facilitating=True).pk


def test_changing_a_party_checks_its_version(ecomap, alice, facilitator):
    party = add(ecomap, alice)
    changed = services.party_change(
        party=party, actor=alice, expected_version=1, name="Okta SSO", note="Logins"
    )
    assert (changed.name, changed.note, changed.version) == ("Okta SSO", "Logins", 2)
    event = last_event(ecomap)
    assert event.kind == Kind.PARTY_CHANGED
    assert (event.before["name"], event.after["name"]) == ("Okta", "Okta SSO")
    with pytest.raises(EditConflict) as conflict:
        services.party_change(party=party, actor=facilitator, expected_version=1, name="Stale")
    assert conflict.value.current_text == "Okta SSO" and conflict.value.current_version == 2
    assert EcosystemParty.objects.get().name == "Okta SSO"


def test_an_unchanged_save_records_nothing(ecomap, alice):
    party = add(ecomap, alice)
    revision = last_event(ecomap).revision
    services.party_change(party=party, actor=alice, expected_version=1, name="Okta ")
    assert last_event(ecomap).revision == revision
    assert EcosystemParty.objects.get().version == 1


def test_moving_changes_ring_and_dimension_and_goes_last(ecomap, alice):
    first = add(ecomap, alice, "Okta", "desirable")
    second = add(ecomap, alice, "Slack", "essential", "Work & colleagues")
    moved = services.party_move(
        party=first,
        ring="essential",
        dimension=dim(ecomap, "Work & colleagues"),
        expected_version=1,
        actor=alice,
    )
    assert (moved.ring, moved.dimension.name, moved.version) == (
        "essential",
        "Work & colleagues",
        2,
    )
    assert moved.position > second.position
    event = last_event(ecomap)
    assert event.kind == Kind.PARTY_MOVED
    assert (event.before["ring"], event.after["ring"]) == ("desirable", "essential")
    assert event.before["area"] == event.after["area"] == "map"


def test_a_move_from_a_stale_screen_is_refused(ecomap, alice, facilitator):
    party = add(ecomap, alice, ring="desirable")
    services.party_move(party=party, ring="valued", dimension=party.dimension, actor=facilitator)
    with pytest.raises(EditConflict):
        services.party_move(
            party=party,
            ring="essential",
            dimension=party.dimension,
            expected_version=1,
            actor=alice,
        )
    assert EcosystemParty.objects.get().ring == "valued"


def test_a_move_to_where_it_is_records_nothing(ecomap, alice):
    party = add(ecomap, alice)
    revision = last_event(ecomap).revision
    services.party_move(party=party, ring="valued", dimension=party.dimension, actor=alice)
    assert last_event(ecomap).revision == revision


def test_undo_takes_back_each_party_change(ecomap, alice):
    party = add(ecomap, alice, ring="desirable")
    services.party_move(
        party=party, ring="essential", dimension=party.dimension, expected_version=1, actor=alice
    )
    services.party_change(party=party, actor=alice, expected_version=2, name="Okta SSO")
    undo_last(canvas=ecomap, actor=alice)
    assert EcosystemParty.objects.get().name == "Okta"
    undo_last(canvas=ecomap, actor=alice)
    assert EcosystemParty.objects.get().ring == "desirable"
    undo_last(canvas=ecomap, actor=alice)
    assert not EcosystemParty.objects.exists()
    assert undo_last(canvas=ecomap, actor=alice) is None


def test_undoing_a_removal_brings_the_party_back_with_its_id(ecomap, alice):
    party = add(ecomap, alice, note="SSO")
    services.party_remove(party=party, actor=alice)
    assert last_event(ecomap).kind == Kind.PARTY_REMOVED
    undone = undo_last(canvas=ecomap, actor=alice)
    assert undone.kind == Kind.PARTY_REMOVED
    back = EcosystemParty.objects.get()
    assert (back.pk, back.name, back.note, back.ring) == (party.pk, "Okta", "SSO", "valued")
    assert last_event(ecomap).undoes == undone


def test_undo_refuses_to_overwrite_someone_elses_later_change(ecomap, alice, facilitator):
    party = add(ecomap, alice)
    services.party_move(party=party, ring="essential", dimension=party.dimension, actor=alice)
    services.party_change(party=party, actor=facilitator, expected_version=2, name="Okta SSO")
    with pytest.raises(ValidationError, match="Someone changed this party"):
        undo_last(canvas=ecomap, actor=alice)
    assert EcosystemParty.objects.get().ring == "essential"


def test_dimensions_are_added_renamed_and_removed_with_events(ecomap, facilitator):
    family = services.dimension_add(canvas=ecomap, name=" Family ", actor=facilitator)
    assert (family.name, family.position) == ("Family", 6)
    assert last_event(ecomap).kind == Kind.DIMENSION_ADDED
    services.dimension_rename(
        dimension=family, name="Home", expected_name="Family", actor=facilitator
    )
    event = last_event(ecomap)
    assert event.kind == Kind.DIMENSION_CHANGED and event.after["name"] == "Home"
    assert event.after["area"] == "map"
    with pytest.raises(EditConflict):
        services.dimension_rename(
            dimension=family, name="Kin", expected_name="Family", actor=facilitator
        )
    services.dimension_remove(dimension=family, actor=facilitator)
    assert last_event(ecomap).kind == Kind.DIMENSION_REMOVED
    assert not ecomap.dimensions.filter(name="Home").exists()


def test_a_dimension_holding_parties_is_not_removed(ecomap, alice, facilitator):
    add(ecomap, alice)
    add(ecomap, alice, "Slack")
    with pytest.raises(ValidationError) as error:
        services.dimension_remove(dimension=dim(ecomap, "Tools & platforms"), actor=facilitator)
    assert error.value.messages == [
        "“Tools & platforms” still holds 2 parties: move or remove them first."
    ]
    assert ecomap.dimensions.count() == 6


def test_the_last_dimension_stays_and_there_is_a_cap(ecomap, facilitator):
    for dimension in list(ecomap.dimensions.all())[1:]:
        services.dimension_remove(dimension=dimension, actor=facilitator)
    with pytest.raises(ValidationError, match="at least one dimension"):
        services.dimension_remove(dimension=ecomap.dimensions.get(), actor=facilitator)
    for i in range(services.MAX_DIMENSIONS - 1):
        services.dimension_add(canvas=ecomap, name=f"D{i}", actor=facilitator)
    with pytest.raises(ValidationError, match="at most 12"):
        services.dimension_add(canvas=ecomap, name="One too many", actor=facilitator)


def test_undo_of_dimension_changes(ecomap, facilitator):
    family = services.dimension_add(canvas=ecomap, name="Family", actor=facilitator)
    services.dimension_rename(
        dimension=family, name="Home", expected_name="Family", actor=facilitator
    )
    money = dim(ecomap, "Money & finance")
    services.dimension_remove(dimension=money, actor=facilitator)
    undo_last(canvas=ecomap, actor=facilitator)
    assert EcosystemDimension.objects.get(pk=money.pk).name == "Money & finance"
    undo_last(canvas=ecomap, actor=facilitator)
    assert EcosystemDimension.objects.get(pk=family.pk).name == "Family"
    undo_last(canvas=ecomap, actor=facilitator)
    assert not EcosystemDimension.objects.filter(pk=family.pk).exists()


def test_a_new_version_copies_dimensions_and_parties(ecomap, alice, facilitator):
    add(ecomap, alice, "Okta", "essential", note="SSO")
    add(ecomap, alice, "Auditors", "desirable", "Regulators")
    services.dimension_add(canvas=ecomap, name="Family", actor=facilitator)
    copy = canvas_services.canvas_copy(canvas=ecomap, actor=facilitator)
    assert list(copy.dimensions.values_list("name", flat=True)) == list(
        ecomap.dimensions.values_list("name", flat=True)
    )
    copied = {p.name: p for p in copy.parties.select_related("dimension")}
    assert set(copied) == {"Okta", "Auditors"}
    assert copied["Okta"].dimension.canvas_id == copy.pk
    assert (copied["Okta"].ring, copied["Okta"].note, copied["Okta"].dimension.name) == (
        "essential",
        "SSO",
        "Tools & platforms",
    )
    assert ecomap.parties.count() == 2
