"""A job's trace page: every step of the chain, links both ways, a fixed query count."""

import datetime as dt
import itertools
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvases import services, types
from canvases.models import BdnColumn as C
from canvases.models import Decision, FilterRow, Outcome, PriorityItem
from engage.panels import Panel, _panels, register_panel
from engage.roles import Role
from tests.canvases.factories import CanvasFactory
from tests.engage.factories import JobFactory, MembershipFactory, PersonaFactory


@pytest.fixture
def job(workspace):
    persona = PersonaFactory(workspace=workspace, name="Hana Recruiter")
    return JobFactory(
        workspace=workspace, verb="get", object="new hires productive", personas=[persona]
    )


def trace_url(job):
    return reverse("canvases:job_trace", kwargs={"workspace": job.workspace.slug, "job": job.pk})


def board_url(canvas):
    return canvas.get_absolute_url()


def step(content, slug):
    return re.search(
        rf'aria-labelledby="trace-{slug}">.*?(?=<li class="trace-step|</ol>)', content, re.S
    ).group(0)


SERIAL = itertools.count()


def fill(workspace, job, facilitator, copies=1):
    """Every kind of trace row for `job`, `copies` times over, plus rows for another job."""
    other = JobFactory(workspace=workspace)
    made = {}
    for _ in range(copies):
        n = next(SERIAL)
        made["timeline"] = CanvasFactory(
            workspace=workspace, type=types.JTBD_TIMELINE.slug, job=job, title=f"Timeline {n}"
        )
        made["forces"] = CanvasFactory(
            workspace=workspace, type=types.JTBD_FORCES.slug, job=job, title=f"Forces {n}"
        )
        made["filter"] = CanvasFactory(
            workspace=workspace, type=types.JTBD_FILTER.slug, title=f"Filter {n}"
        )
        FilterRow.objects.create(
            canvas=made["filter"],
            job=job,
            satisfaction=2,
            importance=5,
            noticeable=4,
            valuable=3,
            priority=5,
        )
        FilterRow.objects.create(canvas=made["filter"], job=other, satisfaction=1)
        made["board"] = CanvasFactory(
            workspace=workspace, type=types.JTBD_PRIORITIZATION.slug, title=f"Priorities {n}"
        )
        PriorityItem.objects.create(
            canvas=made["board"],
            job=job,
            importance=Decimal("8"),
            satisfaction=Decimal("3"),
            decision=Decision.ACCEPT,
            decided_by=facilitator,
            decided_at=dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC),
        )
        outcome = Outcome.objects.create(
            workspace=workspace, job=job, statement=f"Minimise the time to first sale {n}"
        )
        PriorityItem.objects.create(
            canvas=made["board"],
            outcome=outcome,
            importance=Decimal("6"),
            satisfaction=Decimal("7"),
        )
        made["network"] = CanvasFactory(
            workspace=workspace, type=types.BENEFITS_DEPENDENCY_NETWORK.slug, title=f"Network {n}"
        )
        benefit = services.node_add(
            canvas=made["network"],
            column=C.BENEFITS,
            label=f"Productive in week one {n}",
            actor=facilitator,
            owner="HR lead",
            measure="Days to first sale",
            job=job,
        )
        objective = services.node_add(
            canvas=made["network"],
            column=C.OBJECTIVES,
            label=f"Grow revenue per head {n}",
            actor=facilitator,
        )
        driver = services.node_add(
            canvas=made["network"], column=C.DRIVERS, label="Hiring", actor=facilitator
        )
        services.node_add(
            canvas=made["network"], column=C.OBJECTIVES, label="Unrelated goal", actor=facilitator
        )
        services.link_add(
            canvas=made["network"], source=benefit, target=objective, actor=facilitator
        )
        services.link_add(
            canvas=made["network"], source=objective, target=driver, actor=facilitator
        )
    return made


def test_priority_scores_follow_each_board_s_own_source(client_as, facilitator, workspace, job):
    made = fill(workspace, job, facilitator)
    url = trace_url(job)
    content = client_as(facilitator).get(url).content.decode()
    assert "Opportunity <strong>13.0</strong> · Under-served" in step(content, "priority")

    services.field_set(
        canvas=made["board"], field="source", value="filter", actor=facilitator, facilitating=True
    )
    content = client_as(facilitator).get(url).content.decode()

    # The filter scored the job importance 5 → 10, satisfaction 2 → 2.5: 10 + 7.5.
    assert "Opportunity <strong>17.5</strong> · Extremely under-served" in step(content, "priority")


def test_an_empty_trace_says_what_to_do_next(client_as, member, job):
    content = client_as(member(Role.VIEWER)).get(trace_url(job)).content.decode()
    assert "Hana Recruiter" in step(content, "personas")
    assert "No timeline or forces canvas yet" in step(content, "canvases")
    assert "No filter scores yet — add this job to a JTBD filter." in step(content, "filter")
    assert "Not prioritized yet" in step(content, "priority")
    assert "No benefit names this job yet" in step(content, "benefits")


def test_the_trace_shows_the_chain_with_links_to_each_canvas(
    client_as, facilitator, workspace, job
):
    made = fill(workspace, job, facilitator)
    content = client_as(facilitator).get(trace_url(job)).content.decode()

    canvases = step(content, "canvases")
    assert board_url(made["timeline"]) in canvases and board_url(made["forces"]) in canvases
    scores = step(content, "filter")
    assert board_url(made["filter"]) in scores
    assert (
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", scores)).count(
            "Satisfaction 2 Importance 5 Noticeable 4 Valuable 3 Priority 5"
        )
        == 1
    )
    priority = step(content, "priority")
    assert board_url(made["board"]) in priority
    assert "Opportunity <strong>13.0</strong> · Under-served" in priority
    assert "Accept</span> by Fay Facilitator, 2 Nov 2026" in priority
    assert "Outcome: Minimise the time to first sale" in priority
    assert "Opportunity <strong>6.0</strong> · Over-served" in priority
    assert "No decision yet" in priority
    benefits = step(content, "benefits")
    assert (
        "Productive in week one" in benefits
        and "HR lead" in benefits
        and "Days to first sale" in benefits
    )
    assert board_url(made["network"]) in benefits
    objectives = step(content, "objectives")
    assert "Grow revenue per head" in objectives and "Unrelated goal" not in objectives


def test_the_job_page_and_a_board_with_the_job_link_to_the_trace(
    client_as, facilitator, workspace, job
):
    made = fill(workspace, job, facilitator)
    client = client_as(facilitator)
    assert trace_url(job) in client.get(job.get_absolute_url()).content.decode()
    assert trace_url(job) in client.get(board_url(made["timeline"])).content.decode()


def test_later_apps_add_their_steps_through_the_registry(
    client_as, facilitator, job, settings, tmp_path, monkeypatch
):
    (tmp_path / "step.html").write_text(
        '<h2 id="panel-{{ panel.slug }}">Touchpoints</h2><p>{{ data.count }} touchpoints for {{ job.verb }}</p>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    monkeypatch.setitem(_panels, "job_trace", {})  # dropped again after the test
    register_panel(
        "job_trace",
        Panel("touchpoints", "Touchpoints", "step.html", context=lambda request, job: {"count": 3}),
    )
    content = client_as(facilitator).get(trace_url(job)).content.decode()
    assert "3 touchpoints for get" in content


def test_another_workspace_sees_nothing(client, job):
    stranger = MembershipFactory(role=Role.OWNER)
    client.force_login(stranger.user)
    other = reverse(
        "canvases:job_trace", kwargs={"workspace": stranger.workspace.slug, "job": job.pk}
    )
    assert client.get(other).status_code == 404


def test_the_query_count_does_not_grow_with_canvases_and_rows(
    client_as, facilitator, workspace, job, django_assert_num_queries
):
    client = client_as(facilitator)
    fill(workspace, job, facilitator, copies=1)
    client.get(trace_url(job))
    with CaptureQueriesContext(connection) as one:
        client.get(trace_url(job))
    fill(workspace, job, facilitator, copies=6)
    with django_assert_num_queries(len(one)):
        content = client.get(trace_url(job)).content.decode()
    assert step(content, "benefits").count("Productive in week one") == 7
    assert step(content, "objectives").count("Grow revenue per head") == 7
