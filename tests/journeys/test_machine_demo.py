"""The demo's onboarding machine, and the summaries the journeys index will show."""

from engage.demo import _steps
from journeys.models import JobState, JobTransition
from journeys.statemachine import services
from journeys.statemachine.demo import STATES, seed_machine
from journeys.statemachine.selectors import job_machine, machine_summaries
from tests.engage.factories import JobFactory


def test_the_demo_gives_the_onboarding_job_a_sound_machine_once(workspace, owner):
    onboard = JobFactory(workspace=workspace, verb="Onboard", object="new hires")
    provision = JobFactory(workspace=workspace, verb="Provision", object="accounts and devices")
    seed_machine(workspace, owner)
    machine = job_machine(onboard)
    assert [state.name for state in machine.states] == STATES
    assert machine.start.name == "Contract signed"
    assert machine.check.is_sound
    kinds = {transition.kind for transition in machine.transitions}
    assert kinds == {"information", "service", "blocker", "spawn", "cancel", "done"}
    assert next(t for t in machine.transitions if t.kind == "spawn").spawns == provision
    assert all(state.stage is None for state in machine.states)
    counts = (JobState.objects.count(), JobTransition.objects.count())
    seed_machine(workspace, owner)
    assert (JobState.objects.count(), JobTransition.objects.count()) == counts
    assert seed_machine in _steps, "registered as a demo step"


def test_the_demo_does_nothing_without_an_onboarding_job(workspace, owner):
    JobFactory(workspace=workspace, verb="Prove", object="ROI")
    seed_machine(workspace, owner)
    assert not JobState.objects.exists()


def test_machine_summaries(workspace, django_assert_num_queries):
    sound = JobFactory(workspace=workspace, verb="Book", object="a trip")
    services.transition_add(
        source=services.state_add(job=sound, name="Planning"), kind="done", label="Booked"
    )
    unsound = JobFactory(workspace=workspace, verb="Choose", object="a college")
    services.state_add(job=unsound, name="Browsing")
    services.state_add(job=unsound, name="Visiting")
    JobFactory(workspace=workspace, verb="No", object="states")
    other = JobFactory(verb="Elsewhere", object="job")
    services.state_add(job=other, name="Other workspace")
    with django_assert_num_queries(3):
        summaries = machine_summaries(workspace)
    assert [(s.job, s.states, s.is_sound) for s in summaries] == [
        (sound, 1, True),
        (unsound, 2, False),
    ]
