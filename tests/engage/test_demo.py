import pytest
from django.core.management import call_command

from engage.demo import DEMO_EMAIL, DEMO_SLUG
from engage.models import Job, Membership, Persona, Segment, Workspace
from engage.roles import Role


@pytest.fixture(autouse=True)
def smaller_demo_data(monkeypatch):
    """A year of data for 2,000 customers takes seconds; these tests need only its shape."""
    monkeypatch.setattr("metrics.demo.CUSTOMERS", 150)
    monkeypatch.setattr("metrics.demo_positions.CUSTOMERS", 30)


def test_seed_demo_creates_a_believable_workspace_once(db, capsys):
    call_command("seed_demo", password="demo-password-1")
    printed = capsys.readouterr().out
    assert f"{DEMO_EMAIL} / demo-password-1" in printed

    workspace = Workspace.objects.get(slug=DEMO_SLUG)
    owner = Membership.objects.get(workspace=workspace, user__email=DEMO_EMAIL)
    assert owner.role == Role.OWNER
    assert Segment.objects.filter(workspace=workspace).count() == 2
    personas = Persona.objects.filter(workspace=workspace)
    assert personas.count() == 3
    assert len({persona.role for persona in personas}) == 3
    jobs = Job.objects.filter(workspace=workspace)
    assert jobs.count() == 6
    assert jobs.exclude(parent=None).exists(), "a job should be a loop of smaller jobs"

    call_command("seed_demo")
    assert "already exists" in capsys.readouterr().out
    assert Workspace.objects.filter(slug=DEMO_SLUG).count() == 1
    assert Persona.objects.filter(workspace=workspace).count() == 3


def test_seed_demo_can_reset_the_password(client, db, capsys):
    call_command("seed_demo", password="first-password-1")
    call_command("seed_demo", "--reset-password", password="second-password-2")
    assert "second-password-2" in capsys.readouterr().out
    assert client.login(username=DEMO_EMAIL, password="second-password-2")


def test_the_demo_has_journeys_a_mapped_machine_and_live_metrics(db):
    from journeys.mix import journey_mix
    from journeys.models import JobState, Journey
    from metrics.models import Customer, Snapshot
    from metrics.selectors import current_metrics

    call_command("seed_demo", password="demo-password-1")
    workspace = Workspace.objects.get(slug=DEMO_SLUG)
    types = {
        journey_mix(journey).type.label for journey in Journey.objects.filter(workspace=workspace)
    }
    assert types == {"Digital First", "Digital Hybrid"}
    states = JobState.objects.filter(job__workspace=workspace)
    assert states.count() == 6 and not states.filter(stage=None).exists()
    assert Customer.objects.filter(workspace=workspace).count() == 150
    assert Snapshot.objects.filter(workspace=workspace, source="surveys").exists()
    values = current_metrics(workspace)
    assert values["nps"]["n"] > 100 and values["digital"]["digital_percent"] > 65
    assert values["clv"]["btabok"]["value"] is not None


def test_the_demo_has_measured_okrs_and_a_benefit_bound_to_a_measure(db):
    from canvases.models import BdnNode
    from metrics.models import KeyResult
    from metrics.okrs import okr_board

    call_command("seed_demo", password="demo-password-1")
    workspace = Workspace.objects.get(slug=DEMO_SLUG)
    board = okr_board(workspace)
    assert [len(view.key_results) for view in board] == [3, 2]
    results = [kr for view in board for kr in view.key_results]
    assert all(kr.measured.value is not None for kr in results)
    assert all(len(kr.measured.readings) >= 12 for kr in results)  # a year of month ends
    bound = BdnNode.objects.get(canvas__workspace=workspace, metric_id__isnull=False)
    assert KeyResult.objects.filter(measure_id=bound.metric_id).exists()


def test_the_demo_has_customers_on_its_journey_and_some_of_them_stalled(db):
    from journeys.models import Journey
    from metrics.models import Alert, Position
    from metrics.selectors.positions import job_path, journey_funnel

    call_command("seed_demo", password="demo-password-1")
    workspace = Workspace.objects.get(slug=DEMO_SLUG)
    journey = Journey.objects.get(workspace=workspace, canvas__job__verb="Onboard")
    funnel = journey_funnel(journey)
    assert [step.stage.name for step in funnel][:2] == ["Onboard", "Adopt"]
    assert funnel[0].reached > funnel[1].reached > 0
    positions = Position.objects.filter(journey=journey)
    assert positions.filter(health="stuck").exists() and positions.filter(health="behind").exists()
    assert Alert.objects.filter(workspace=workspace, status="open").count() > 5
    path = job_path(journey.canvas.job)  # the job's states place customers too
    assert [step.state.name for step in path if step.reached][:2] == [
        "Contract signed",
        "First payroll run",
    ]
    assert Position.objects.filter(job=journey.canvas.job).exists()
