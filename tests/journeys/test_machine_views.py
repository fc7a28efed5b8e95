"""The machine page: checks shown plainly, htmx and plain posts, who may edit, query counts."""

import re

import pytest
from django.urls import reverse

from engage.roles import Role
from journeys.models import JobState, JobTransition
from journeys.statemachine import services
from tests.engage.factories import JobFactory
from tests.journeys.factories import StageFactory


@pytest.fixture
def job(workspace):
    return JobFactory(workspace=workspace, verb="Onboard", object="new hires")


def url(job):
    return reverse("journeys:job_machine", args=[job.workspace.slug, job.pk])


def machine(job, states, transitions, start=0):
    made = [services.state_add(job=job, name=name) for name in states]
    if start is None:
        JobState.objects.filter(job=job).update(is_start=False)
    elif start:
        services.state_set_start(state=made[start])
    for source, target, kind in transitions:
        services.transition_add(
            source=made[source],
            target=None if target is None else made[target],
            kind=kind,
            label=f"{kind} out of {states[source]}",
        )
    return made


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_empty_page_explains_a_job_state_machine(client_as, owner, job):
    page = text(client_as(owner).get(url(job)))
    assert "A job is a state machine." in page
    assert "Add a state" in page and "Add a transition" not in page


def test_a_sound_machine_says_so(client_as, owner, job):
    machine(job, ["A", "B"], [(0, 1, "service"), (1, None, "done")])
    page = text(client_as(owner).get(url(job)))
    assert "Sound: every state can reach done or cancel." in page
    assert "Unreachable" not in page and "No start state" not in page


def test_a_machine_without_a_start(client_as, owner, job):
    machine(job, ["A", "B"], [(0, 1, "service"), (1, None, "done")], start=None)
    page = text(client_as(owner).get(url(job)))
    assert "No start state" in page and "Sound:" not in page


def test_unreachable_and_stuck_states_are_named(client_as, owner, job):
    machine(
        job,
        ["Start", "Loop one", "Loop two", "Island"],
        [(0, 1, "service"), (1, 2, "blocker"), (2, 1, "information"), (0, None, "cancel")],
    )
    page = text(client_as(owner).get(url(job)))
    assert "Unreachable: Island" in page
    assert "Can't finish from: Loop one, Loop two, Island" in page
    assert page.count('class="machine-state is-flagged"') == 3


def test_the_diagram_draws_each_transition_once(client_as, owner, job):
    machine(job, ["A", "B", "C"], [(0, 1, "service"), (1, 2, "blocker"), (2, None, "done")])
    page = text(client_as(owner).get(url(job)))
    assert page.count("data-transition=") == 3
    assert page.count("data-state=") == 3
    assert 'stroke-dasharray="6 4"' in page  # the blocker
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0], "no inline styles"


def test_htmx_post_returns_the_machine_partial(client_as, owner, job):
    response = client_as(owner).post(
        url(job), {"action": "state_add", "name": "Contract signed"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = text(response)
    assert body.lstrip().startswith('<div id="machine"')
    assert "Added “Contract signed”. It is the start." in body
    assert "<svg" in body and "Sound:" not in body and "Can't finish from: Contract signed" in body
    assert "HX-Request" in response.headers["Vary"]


def test_plain_post_redirects_with_a_message(client_as, owner, job):
    client = client_as(owner)
    response = client.post(url(job), {"action": "state_add", "name": "Signed"})
    assert response.status_code == 302 and response.url == url(job)
    assert "Added “Signed”." in text(client.get(url(job)))


def test_refusals_are_shown_and_save_nothing(client_as, owner, job):
    a, _b = machine(job, ["A", "B"], [])
    client = client_as(owner)
    body = text(
        client.post(
            url(job),
            {"action": "transition_add", "source": a.pk, "kind": "service", "label": "x"},
            HTTP_HX_REQUEST="true",
        )
    )
    assert "Only a done or a cancel may end the job" in body
    assert not JobTransition.objects.exists()
    body = text(client.post(url(job), {"action": "nonsense"}, HTTP_HX_REQUEST="true"))
    assert "Choose what to change." in body


def test_every_action_through_the_page(client_as, owner, job):
    client = client_as(owner)
    side = JobFactory(workspace=job.workspace, verb="Provision", object="laptops")
    stage = StageFactory(journey__canvas__workspace=job.workspace, name="Onboard")

    def post(**data):
        response = client.post(url(job), data, HTTP_HX_REQUEST="true")
        assert 'class="alert alert-danger' not in response.content.decode(), data
        return response

    post(action="state_add", name="A")
    post(action="state_add", name="B")
    a, b = JobState.objects.filter(job=job)
    post(action="state_rename", state=b.pk, name="Bee", version=b.version)
    post(action="state_start", state=b.pk)
    post(action="state_stage", state=a.pk, stage=stage.pk)
    post(
        action="transition_add",
        source=a.pk,
        target=b.pk,
        kind="spawn",
        label="Laptop",
        spawns=side.pk,
    )
    transition = JobTransition.objects.get()
    post(
        action="transition_change",
        transition=transition.pk,
        version=transition.version,
        kind="cancel",
        label="Gives up",
        target="",
        spawns="",
    )
    transition.refresh_from_db()
    assert (transition.kind, transition.target, transition.spawns) == ("cancel", None, None)
    a.refresh_from_db()
    assert a.stage == stage and not a.is_start
    post(action="transition_remove", transition=transition.pk)
    post(action="state_remove", state=a.pk)
    assert list(JobState.objects.filter(job=job).values_list("name", flat=True)) == ["Bee"]


def test_a_stale_rename_is_refused_with_the_current_name(client_as, owner, job):
    (a,) = machine(job, ["Signed"], [])
    services.state_rename(state=a, name="Contract signed", expected_version=1)
    body = text(
        client_as(owner).post(
            url(job),
            {"action": "state_rename", "state": a.pk, "name": "Mine", "version": 1},
            HTTP_HX_REQUEST="true",
        )
    )
    assert "now called “Contract signed”" in body


def test_ids_of_another_job_are_not_found(client_as, owner, job):
    (other,) = machine(JobFactory(workspace=job.workspace), ["Elsewhere"], [])
    response = client_as(owner).post(url(job), {"action": "state_remove", "state": other.pk})
    assert response.status_code == 404
    assert JobState.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PARTICIPANT, Role.REVIEWER])
def test_readers_see_the_machine_without_forms_and_cannot_post(client_as, member, job, role):
    machine(job, ["A"], [(0, None, "done")])
    client = client_as(member(role))
    page = text(client.get(url(job)))
    assert "<svg" in page and "Sound:" in page
    assert '<form method="post" action="' + url(job) not in page
    assert client.post(url(job), {"action": "state_add", "name": "X"}).status_code == 403
    assert JobState.objects.filter(job=job).count() == 1


def test_user_text_is_escaped_in_the_page_and_the_svg(client_as, owner, job):
    machine(job, ["<script>alert(1)</script>"], [])
    services.transition_add(
        source=JobState.objects.get(job=job), kind="done", label="<b onmouseover=x>"
    )
    page = client_as(owner).get(url(job)).content.decode()
    assert "<script>alert(1)</script>" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def grow(job, n):
    names = [f"State {job.pk}-{i}" for i in range(n)]
    transitions = [(i, i + 1, "service") for i in range(n - 1)]
    transitions += [(i, 0, "blocker") for i in range(1, n, 2)] + [(n - 1, None, "done")]
    machine(job, names, transitions)


def test_the_page_query_count_does_not_grow_with_the_machine(
    client_as, owner, workspace, django_assert_max_num_queries
):
    client = client_as(owner)
    StageFactory.create_batch(3, journey__canvas__workspace=workspace)
    small, large = JobFactory(workspace=workspace), JobFactory(workspace=workspace)
    grow(small, 2)
    grow(large, 30)
    JobFactory.create_batch(5, workspace=workspace)
    with django_assert_max_num_queries(12) as small_queries:
        client.get(url(small))
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        assert client.get(url(large)).status_code == 200


def test_job_detail_shows_the_machine_panel(client_as, owner, job):
    client = client_as(owner)
    detail = reverse("job_detail", args=[job.workspace.slug, job.pk])
    assert "Map the states of this job" in text(client.get(detail))
    machine(job, ["A", "B"], [(0, 1, "service")])
    page = text(client.get(detail))
    assert "2 states, 1 transition, starting at “A”." in page
    assert "Needs work:" in page and "2 can't finish" in page
    assert url(job) in page


def test_the_trace_page_shows_the_small_diagram_and_checks(client_as, owner, job):
    machine(job, ["A", "B"], [(0, 1, "service"), (1, None, "done")])
    trace = reverse("canvases:job_trace", args=[job.workspace.slug, job.pk])
    page = text(client_as(owner).get(trace))
    assert "machine-figure is-small" in page
    assert "Sound: every state can reach done or cancel." in page
