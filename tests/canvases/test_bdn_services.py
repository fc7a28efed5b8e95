"""Nodes and links of a benefits dependency network: validation, events, conflicts, undo."""

import pytest
from django.core.exceptions import ValidationError

from canvases import services, types
from canvases.models import BdnColumn as C
from canvases.models import BdnLink, BdnNode, CanvasEvent
from tests.canvases.factories import CanvasFactory
from tests.engage.factories import JobFactory

Kind = CanvasEvent.Kind


@pytest.fixture
def network(workspace, facilitator):
    return CanvasFactory(
        workspace=workspace, type=types.BENEFITS_DEPENDENCY_NETWORK.slug, created_by=facilitator
    )


@pytest.fixture
def add(network, alice):
    def make(column, label="Node", **kwargs):
        return services.node_add(canvas=network, column=column, label=label, actor=alice, **kwargs)

    return make


def messages(excinfo):
    return excinfo.value.messages[0]


def test_a_node_is_added_at_the_end_of_its_column_with_an_event(network, add):
    first = add(C.ENABLERS, "CRM")
    second = add(C.ENABLERS, "  Data lake  ")
    other = add(C.DRIVERS, "Churn")
    assert (first.position, second.position, other.position) == (0, 1, 0)
    assert second.label == "Data lake"
    event = network.events.get(revision=network.events.latest("revision").revision)
    assert event.kind == Kind.NODE_ADDED and event.after["area"] == "network"
    assert event.after["summary"] == "Churn"


def test_a_node_needs_a_label_a_real_column_and_a_network(network, add, workspace, alice):
    with pytest.raises(ValidationError, match="needs a label"):
        add(C.ENABLERS, "   ")
    with pytest.raises(ValidationError, match="no column"):
        add("wishes", "x")
    notes_canvas = CanvasFactory(workspace=workspace, type=types.EMPATHY_MAP.slug)
    with pytest.raises(ValidationError, match="Only a benefits dependency network"):
        services.node_add(canvas=notes_canvas, column=C.ENABLERS, label="x", actor=alice)


def test_benefit_fields_stay_on_benefits(add, workspace):
    job = JobFactory(workspace=workspace)
    benefit = add(
        C.BENEFITS,
        "Faster onboarding",
        owner="HR",
        measure="Days",
        stakeholder="New hires",
        job=job,
    )
    assert (benefit.owner, benefit.measure, benefit.stakeholder, benefit.job) == (
        "HR",
        "Days",
        "New hires",
        job,
    )
    assert benefit.metric_id is None
    enabler = add(C.ENABLERS, "Portal", owner="IT", job=job)
    assert (enabler.owner, enabler.job) == ("", None)


def test_a_job_of_another_workspace_is_refused(add):
    with pytest.raises(ValidationError, match="not in this workspace"):
        add(C.BENEFITS, "Gain", job=JobFactory())


def test_links_go_only_to_a_later_column(network, add, alice):
    enabler, change = add(C.ENABLERS, "Portal"), add(C.BUSINESS_CHANGES, "Self-service")
    other_enabler = add(C.ENABLERS, "App")
    link = services.link_add(canvas=network, source=enabler, target=change, actor=alice)
    assert link.canvas == network
    with pytest.raises(ValidationError) as backward:
        services.link_add(canvas=network, source=change, target=other_enabler, actor=alice)
    assert messages(backward) == (
        "Links run left to right: business changes cannot lead to digital enablers. "
        "Link “App” to “Self-service” instead."
    )
    with pytest.raises(ValidationError) as same:
        services.link_add(canvas=network, source=enabler, target=other_enabler, actor=alice)
    assert messages(same) == (
        "“Portal” and “App” are both digital enablers: a link must lead to a later column."
    )
    with pytest.raises(ValidationError) as duplicate:
        services.link_add(canvas=network, source=enabler.pk, target=change.pk, actor=alice)
    assert messages(duplicate) == "“Portal” already leads to “Self-service”."
    assert BdnLink.objects.count() == 1


def test_a_link_stays_within_one_network(network, add, workspace, facilitator, alice):
    elsewhere = CanvasFactory(
        workspace=workspace, type=types.BENEFITS_DEPENDENCY_NETWORK.slug, created_by=facilitator
    )
    foreign = services.node_add(canvas=elsewhere, column=C.DRIVERS, label="Far", actor=alice)
    with pytest.raises(ValidationError) as cross:
        services.link_add(canvas=network, source=add(C.ENABLERS), target=foreign, actor=alice)
    assert messages(cross) == "Both ends of a link must be on this network."
    with pytest.raises(ValidationError, match="no longer exists"):
        services.link_add(canvas=network, source=add(C.ENABLERS), target=10**9, actor=alice)


def test_a_locked_network_is_for_facilitators_only(network, add, alice, facilitator):
    node = add(C.DRIVERS, "Regulation")
    network.is_locked = True
    network.save()
    with pytest.raises(ValidationError, match="locked"):
        add(C.DRIVERS, "More")
    services.node_change(
        node=node, actor=facilitator, facilitating=True, expected_version=1, label="Law"
    )


def test_a_stale_edit_is_a_conflict_not_an_overwrite(add, alice, bob):
    node = add(C.OBJECTIVES, "Grow")
    services.node_change(node=node, actor=bob, expected_version=1, label="Grow revenue")
    with pytest.raises(services.EditConflict) as conflict:
        services.node_change(node=node, actor=alice, expected_version=1, label="Grow margin")
    assert conflict.value.current_text == "Grow revenue"
    assert conflict.value.current_version == 2
    node.refresh_from_db()
    assert node.label == "Grow revenue"


def test_an_unchanged_save_records_nothing(network, add, alice):
    node = add(C.OBJECTIVES, "Grow")
    before = network.events.count()
    services.node_change(node=node, actor=alice, expected_version=1, label=" Grow ")
    assert network.events.count() == before


def test_removing_a_node_removes_its_links_and_undo_restores_both(network, add, alice):
    a, b, c = add(C.ENABLERS, "A"), add(C.BENEFITS, "B"), add(C.OBJECTIVES, "C")
    services.link_add(canvas=network, source=a, target=b, actor=alice)
    services.link_add(canvas=network, source=b, target=c, actor=alice)
    services.node_remove(node=b, actor=alice)
    assert not BdnLink.objects.exists() and not BdnNode.objects.filter(pk=b.pk).exists()
    assert network.events.first().kind == Kind.NODE_REMOVED

    undone = services.undo_last(canvas=network, actor=alice)

    assert undone.kind == Kind.NODE_REMOVED
    restored = BdnNode.objects.get(pk=b.pk)
    assert restored.label == "B" and restored.column == C.BENEFITS
    assert set(BdnLink.objects.values_list("source", "target")) == {(a.pk, b.pk), (b.pk, c.pk)}
    assert network.events.first().undoes == undone


def test_undo_of_a_removal_skips_links_whose_other_end_is_gone(network, add, alice, bob):
    a, b = add(C.ENABLERS, "A"), add(C.BENEFITS, "B")
    services.link_add(canvas=network, source=a, target=b, actor=alice)
    services.node_remove(node=b, actor=alice)
    services.node_remove(node=a, actor=bob)
    services.undo_last(canvas=network, actor=alice)
    assert BdnNode.objects.filter(pk=b.pk).exists() and not BdnLink.objects.exists()


def test_undo_of_an_add_removes_the_node(network, add, alice):
    node = add(C.DRIVERS, "Churn")
    services.undo_last(canvas=network, actor=alice)
    assert not BdnNode.objects.filter(pk=node.pk).exists()


def test_undo_of_a_change_restores_every_field(network, add, alice, workspace):
    job = JobFactory(workspace=workspace)
    node = add(C.BENEFITS, "Gain", owner="Ann", measure="NPS")
    services.node_change(
        node=node,
        actor=alice,
        expected_version=1,
        label="Bigger gain",
        owner="Bo",
        measure="CSAT",
        stakeholder="Buyers",
        job=job.pk,
    )
    services.undo_last(canvas=network, actor=alice)
    node.refresh_from_db()
    assert (node.label, node.owner, node.measure, node.stakeholder, node.job) == (
        "Gain",
        "Ann",
        "NPS",
        "",
        None,
    )


def test_undo_refuses_when_someone_changed_the_node_since(network, add, alice, bob):
    node = add(C.DRIVERS, "Churn")
    services.node_change(node=node, actor=bob, expected_version=1, label="Churn up")
    with pytest.raises(ValidationError, match="Someone changed this node"):
        services.undo_last(canvas=network, actor=alice)
    assert BdnNode.objects.filter(pk=node.pk).exists()


def test_undo_of_link_add_and_link_remove(network, add, alice, bob):
    a, b = add(C.ENABLERS, "A"), add(C.DRIVERS, "B")
    link = services.link_add(canvas=network, source=a, target=b, actor=bob)
    services.undo_last(canvas=network, actor=bob)
    assert not BdnLink.objects.exists()
    link = services.link_add(canvas=network, source=a, target=b, actor=alice)
    services.link_remove(link=link, actor=bob)
    event = network.events.first()
    assert event.kind == Kind.LINK_REMOVED and event.before["summary"] == "A → B"
    services.undo_last(canvas=network, actor=bob)
    assert BdnLink.objects.filter(source=a, target=b).exists()


def test_undo_of_a_link_already_removed_says_so(network, add, alice, bob):
    a, b = add(C.ENABLERS, "A"), add(C.DRIVERS, "B")
    link = services.link_add(canvas=network, source=a, target=b, actor=alice)
    services.link_remove(link=link, actor=bob)
    with pytest.raises(ValidationError, match="already removed"):
        services.undo_last(canvas=network, actor=alice)


def test_a_new_version_copies_the_network(network, add, alice, facilitator, workspace):
    job = JobFactory(workspace=workspace)
    a, b = add(C.ENABLERS, "A"), add(C.BENEFITS, "B", owner="Ann", job=job)
    services.link_add(canvas=network, source=a, target=b, actor=alice)

    copy = services.canvas_copy(canvas=network, actor=facilitator)

    nodes = {node.label: node for node in copy.bdn_nodes.all()}
    assert set(nodes) == {"A", "B"} and nodes["B"].owner == "Ann" and nodes["B"].job == job
    assert list(copy.bdn_links.values_list("source", "target")) == [(nodes["A"].pk, nodes["B"].pk)]
    assert network.bdn_nodes.count() == 2 and network.bdn_links.count() == 1
