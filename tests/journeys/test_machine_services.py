"""Writes to a job's state machine, including what they refuse."""

import pytest
from django.core.exceptions import ValidationError

from journeys.models import JobState, JobTransition
from journeys.statemachine import services
from tests.engage.factories import JobFactory, WorkspaceFactory
from tests.journeys.factories import StageFactory


@pytest.fixture
def job(db):
    return JobFactory()


def test_the_first_state_is_the_start_and_later_ones_follow_it(job):
    first = services.state_add(job=job, name="Contract signed")
    second = services.state_add(job=job, name="  First   login ")
    assert first.is_start and not second.is_start
    assert second.name == "First login"
    assert [s.name for s in JobState.objects.filter(job=job)] == ["Contract signed", "First login"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_a_state_needs_a_short_name(job, name):
    with pytest.raises(ValidationError):
        services.state_add(job=job, name=name)


def test_state_names_are_unique_per_job_whatever_the_case(job):
    services.state_add(job=job, name="First login")
    with pytest.raises(ValidationError, match="already has a state"):
        services.state_add(job=job, name="first LOGIN")
    services.state_add(job=JobFactory(workspace=job.workspace), name="First login")


def test_rename_checks_the_version(job):
    state = services.state_add(job=job, name="Signed")
    renamed = services.state_rename(state=state, name="Contract signed", expected_version=1)
    assert (renamed.name, renamed.version) == ("Contract signed", 2)
    with pytest.raises(services.StaleEdit, match="now called “Contract signed”"):
        services.state_rename(state=state, name="Other", expected_version=1)
    assert JobState.objects.get(pk=state.pk).name == "Contract signed"


def test_rename_refuses_a_name_another_state_has(job):
    services.state_add(job=job, name="A")
    b = services.state_add(job=job, name="B")
    with pytest.raises(ValidationError):
        services.state_rename(state=b, name="a", expected_version=b.version)
    services.state_rename(state=b, name="b", expected_version=b.version)  # its own, recased


def test_set_start_moves_the_start(job):
    a = services.state_add(job=job, name="A")
    b = services.state_add(job=job, name="B")
    services.state_set_start(state=b)
    assert list(JobState.objects.filter(job=job, is_start=True)) == [b]
    a.refresh_from_db()
    assert not a.is_start and a.version == 2, "the old start's version moved on"


def test_removing_a_state_removes_its_transitions_and_may_leave_no_start(job):
    a = services.state_add(job=job, name="A")
    b = services.state_add(job=job, name="B")
    services.transition_add(source=a, target=b, kind="service", label="Help")
    services.transition_add(source=b, target=a, kind="blocker", label="Wait")
    services.state_remove(state=a)
    assert not JobTransition.objects.filter(source__job=job).exists()
    assert not JobState.objects.filter(job=job, is_start=True).exists()


def test_map_stage_only_to_a_journey_of_the_same_workspace(job):
    state = services.state_add(job=job, name="A")
    stage = StageFactory(journey__canvas__workspace=job.workspace)
    assert services.state_map_stage(state=state, stage=stage).stage == stage
    assert services.state_map_stage(state=state, stage=None).stage is None
    foreign = StageFactory(journey__canvas__workspace=WorkspaceFactory())
    with pytest.raises(ValidationError, match="this workspace"):
        services.state_map_stage(state=state, stage=foreign.pk)


def test_transitions_stay_within_the_job(job):
    a = services.state_add(job=job, name="A")
    other = services.state_add(job=JobFactory(workspace=job.workspace), name="Elsewhere")
    with pytest.raises(ValidationError, match="one of this job's states"):
        services.transition_add(source=a, target=other, kind="service", label="Jump")


@pytest.mark.parametrize("kind", ["information", "service", "blocker", "spawn"])
def test_only_done_and_cancel_may_end_the_job(job, kind):
    a = services.state_add(job=job, name="A")
    with pytest.raises(ValidationError, match="Only a done or a cancel"):
        services.transition_add(source=a, kind=kind, label="x", spawns=JobFactory())


@pytest.mark.parametrize("kind", ["done", "cancel"])
def test_done_and_cancel_may_end_the_job(job, kind):
    a = services.state_add(job=job, name="A")
    assert services.transition_add(source=a, kind=kind, label="Finished").target is None


def test_a_transition_needs_a_label_and_a_known_kind(job):
    a = services.state_add(job=job, name="A")
    with pytest.raises(ValidationError, match="needs to move on"):
        services.transition_add(source=a, kind="done", label="  ")
    with pytest.raises(ValidationError, match="information, service"):
        services.transition_add(source=a, kind="teleport", label="x")


def test_spawn_needs_a_side_job_of_the_workspace_other_than_itself(job):
    a = services.state_add(job=job, name="A")
    b = services.state_add(job=job, name="B")
    with pytest.raises(ValidationError, match="Choose the side job"):
        services.transition_add(source=a, target=b, kind="spawn", label="Side trip")
    with pytest.raises(ValidationError, match="cannot spawn itself"):
        services.transition_add(source=a, target=b, kind="spawn", label="Loop", spawns=job)
    with pytest.raises(ValidationError, match="of this workspace"):
        services.transition_add(source=a, target=b, kind="spawn", label="x", spawns=JobFactory())
    side = JobFactory(workspace=job.workspace)
    spawn = services.transition_add(source=a, target=b, kind="spawn", label="Trip", spawns=side)
    assert spawn.spawns == side
    with pytest.raises(ValidationError, match="Only a spawn"):
        services.transition_add(source=a, target=b, kind="service", label="x", spawns=side)


def test_transition_change_checks_the_version_and_the_rules(job):
    a = services.state_add(job=job, name="A")
    b = services.state_add(job=job, name="B")
    t = services.transition_add(source=a, target=b, kind="service", label="Help")
    t = services.transition_change(
        transition=t, expected_version=1, kind="information", label="Tell", target=b
    )
    assert (t.kind, t.label, t.version) == ("information", "Tell", 2)
    with pytest.raises(services.StaleEdit, match="now reads “Tell”"):
        services.transition_change(
            transition=t, expected_version=1, kind="service", label="Late", target=b
        )
    with pytest.raises(ValidationError, match="Only a done or a cancel"):
        services.transition_change(transition=t, expected_version=2, kind="blocker", label="x")
    t.refresh_from_db()
    assert (t.kind, t.label) == ("information", "Tell"), "a refused change saves nothing"
    ended = services.transition_change(transition=t, expected_version=2, kind="done", label="Ok")
    assert ended.target is None


def test_transition_remove(job):
    a = services.state_add(job=job, name="A")
    t = services.transition_add(source=a, kind="done", label="Ok")
    services.transition_remove(transition=t)
    assert not JobTransition.objects.filter(pk=t.pk).exists()
