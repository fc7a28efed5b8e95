"""A benefit bound to a metric: chosen in the network's editor, measured on the board, in
print and on the job's trace, undone like any other change."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from canvases import services as canvas_services
from canvases import types
from canvases.models import BdnColumn, BdnNode
from canvases.pdf import canvas_context
from metrics.models import Measure
from metrics.services import okrs
from metrics.services.recompute import compute_snapshots
from tests.canvases.factories import CanvasFactory
from tests.engage.factories import JobFactory
from tests.metrics.test_dashboard import feed_recent

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def benefit(workspace, facilitator):
    feed_recent(workspace)  # NPS +50 (n = 4) in the last days
    compute_snapshots(workspace)
    network = CanvasFactory(
        workspace=workspace,
        type=types.BENEFITS_DEPENDENCY_NETWORK.slug,
        created_by=facilitator,
        title="Onboarding BDN",
    )
    return canvas_services.node_add(
        canvas=network,
        column=BdnColumn.BENEFITS,
        label="Customers recommend us",
        actor=facilitator,
        measure="Onboarding NPS",
        job=JobFactory(workspace=workspace),
    )


def change(client, benefit, **fields):
    benefit.refresh_from_db()
    data = {
        "version": benefit.version,
        "label": benefit.label,
        "measure": benefit.measure,
        "job": benefit.job_id,
    }
    return client.post(
        reverse(
            "canvases:bdn_node_change",
            kwargs={"workspace": benefit.canvas.workspace.slug, "node": benefit.pk},
        ),
        data | fields,
        **HTMX,
    )


def test_the_editor_offers_the_metrics_and_binding_one_shows_its_value(client_as, alice, benefit):
    client = client_as(alice)
    board = client.get(benefit.canvas.get_absolute_url()).content.decode()
    assert 'name="metric"' in board and 'value="new:nps"' in board
    change(client, benefit, metric="new:nps")
    benefit.refresh_from_db()
    measure = Measure.objects.get(pk=benefit.metric_id)
    assert (measure.workspace, measure.metric, measure.window_days) == (
        benefit.canvas.workspace,
        "nps",
        90,
    )
    board = client.get(benefit.canvas.get_absolute_url()).content.decode()
    measured = board[board.index('class="bdn-measured"') :]
    measured = measured[: measured.index("</div>")]
    assert 'title="NPS · last 90 days; n = 4 · ' in measured
    assert ">+50</strong> NPS</a>" in measured
    # The metric is now a measure in use, offered by its id.
    assert f'<option value="{measure.pk}" selected>' in board


def test_a_benefit_shows_the_key_result_that_shares_its_measure(
    client_as, alice, owner, benefit, workspace
):
    measure = okrs.measure_for(workspace=workspace, metric="nps")
    goal = okrs.objective_create(workspace=workspace, actor=owner, title="Loved")
    result = okrs.key_result_create(
        objective=goal,
        title="NPS to +70",
        measure=measure,
        baseline=30,
        target=70,
        due=timezone.localdate() + dt.timedelta(days=90),
    )
    client = client_as(alice)
    change(client, benefit, metric=str(measure.pk))
    board = client.get(benefit.canvas.get_absolute_url()).content.decode()
    assert "key result “NPS to +70”: +70 by" in board and "50 % of the way to +70" in board
    assert f"#key-result-{result.pk}" in board


def test_the_trace_and_the_print_show_the_measured_value(client_as, alice, benefit):
    change(client_as(alice), benefit, metric="new:csat")
    trace = client_as(alice).get(
        reverse(
            "canvases:job_trace",
            kwargs={"workspace": benefit.canvas.workspace.slug, "job": benefit.job_id},
        )
    )
    assert "CSAT, % satisfied · last 90 days" in trace.content.decode()
    printed = render_to_string("canvases/pdf/canvas.html", canvas_context(benefit.canvas))
    register = printed[printed.index("Benefits register") :]
    assert "Measured now" in register and "CSAT, % satisfied · last 90 days" in register


def test_unbinding_and_undo(client_as, alice, benefit):
    client = client_as(alice)
    change(client, benefit, metric="new:nps")
    benefit.refresh_from_db()
    bound = benefit.metric_id
    change(client, benefit, metric="")
    benefit.refresh_from_db()
    assert benefit.metric_id is None
    client.post(
        reverse(
            "canvases:board_undo",
            kwargs={"workspace": benefit.canvas.workspace.slug, "canvas": benefit.canvas_id},
        )
    )
    benefit.refresh_from_db()
    assert benefit.metric_id == bound


def test_a_form_without_the_metric_field_leaves_the_binding_alone(client_as, alice, benefit):
    client = client_as(alice)
    change(client, benefit, metric="new:nps")
    benefit.refresh_from_db()
    bound = benefit.metric_id
    change(client, benefit, label="Customers recommend us loudly")
    benefit.refresh_from_db()
    assert (benefit.label, benefit.metric_id) == ("Customers recommend us loudly", bound)


def test_a_measure_of_another_workspace_cannot_be_bound(client_as, alice, benefit):
    foreign = okrs.measure_for(workspace=CanvasFactory().workspace, metric="nps")
    response = change(client_as(alice), benefit, metric=str(foreign.pk))
    assert "That measure is not in this workspace." in response.content.decode()
    assert BdnNode.objects.get(pk=benefit.pk).metric_id is None
