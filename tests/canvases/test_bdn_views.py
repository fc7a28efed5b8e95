"""The network on the board: drawing, findings, the editor's forms (htmx and plain), access, PDF."""

import re
import shutil
import subprocess
from itertools import pairwise

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvases import services, types
from canvases.models import BdnColumn as C
from canvases.models import BdnLink, BdnNode
from canvases.pdf import render_canvas_pdf
from engage.roles import Role
from tests.canvases.factories import CanvasFactory
from tests.engage.factories import JobFactory, MembershipFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def network(workspace, facilitator):
    return CanvasFactory(
        workspace=workspace,
        type=types.BENEFITS_DEPENDENCY_NETWORK.slug,
        created_by=facilitator,
        title="Onboarding BDN",
    )


def url(name, workspace, **kwargs):
    return reverse(f"canvases:{name}", kwargs={"workspace": workspace.slug, **kwargs})


def node(network, column, label, actor, **kwargs):
    return services.node_add(canvas=network, column=column, label=label, actor=actor, **kwargs)


def test_an_empty_network_says_where_to_start(client_as, alice, network):
    content = client_as(alice).get(network.get_absolute_url()).content.decode()
    assert "Start from the right: add the drivers" in content
    assert 'class="bdn-svg"' not in content
    assert content.count('class="bdn-add"') == 6


def test_a_participant_adds_a_node_with_a_plain_post(client_as, alice, network, workspace):
    response = client_as(alice).post(
        url("bdn_node_add", workspace, canvas=network.pk), {"column": "drivers", "label": "Churn"}
    )
    assert response.status_code == 302 and response.url.endswith("#area-editor")
    assert BdnNode.objects.get().label == "Churn"


def test_an_htmx_add_returns_the_three_areas_out_of_band(client_as, alice, network, workspace):
    response = client_as(alice).post(
        url("bdn_node_add", workspace, canvas=network.pk),
        {"column": "enablers", "label": "Portal <b>"},
        **HTMX,
    )
    content = response.content.decode()
    for area in ("network", "findings", "editor"):
        assert f'id="panel-{area}" hx-swap-oob="true"' in content
    assert "Portal &lt;b&gt;" in content and "Portal <b>" not in content
    assert "Enablers leading to no objective" in content


def test_linking_from_a_node_menu_draws_an_arrow(client_as, alice, network, workspace):
    source = node(network, C.ENABLERS, "Portal", alice)
    target = node(network, C.BUSINESS_CHANGES, "Self-service", alice)
    client = client_as(alice)
    board = client.get(network.get_absolute_url()).content.decode()
    menu = re.search(rf'id="bdn-menu-{source.pk}".*?</details>', board, re.S).group(0)
    assert f'<option value="{target.pk}">Self-service</option>' in menu
    assert f'<option value="{source.pk}"' not in menu

    response = client.post(
        url("bdn_link_add", workspace, node=source.pk), {"target": target.pk}, **HTMX
    )

    assert f'data-link="{source.pk}-{target.pk}"' in response.content.decode()
    assert "<title>Portal → Self-service</title>" in response.content.decode()


def test_a_backward_link_is_refused_with_the_message_shown(client_as, alice, network, workspace):
    source = node(network, C.DRIVERS, "Churn", alice)
    target = node(network, C.ENABLERS, "Portal", alice)
    client = client_as(alice)
    htmx = client.post(
        url("bdn_link_add", workspace, node=source.pk), {"target": target.pk}, **HTMX
    )
    assert (
        "Links run left to right: drivers cannot lead to digital enablers." in htmx.content.decode()
    )
    plain = client.post(
        url("bdn_link_add", workspace, node=source.pk), {"target": target.pk}, follow=True
    )
    assert "Links run left to right" in plain.content.decode()
    assert not BdnLink.objects.exists()


def test_editing_a_benefit_and_the_conflict_message(client_as, alice, bob, network, workspace):
    job = JobFactory(workspace=workspace, verb="onboard", object="new hires")
    benefit = node(network, C.BENEFITS, "Faster start", alice)
    data = {
        "version": 1,
        "label": "Faster start",
        "owner": "HR lead",
        "measure": "Days to first sale",
        "stakeholder": "New hires",
        "job": job.pk,
    }
    response = client_as(alice).post(url("bdn_node_change", workspace, node=benefit.pk), data)
    assert response.status_code == 302
    benefit.refresh_from_db()
    assert (benefit.owner, benefit.job, benefit.version) == ("HR lead", job, 2)

    stale = client_as(bob).post(
        url("bdn_node_change", workspace, node=benefit.pk), {**data, "label": "Quicker"}, **HTMX
    )
    assert "Not saved: someone changed this node" in stale.content.decode()
    benefit.refresh_from_db()
    assert benefit.label == "Faster start"

    board = client_as(bob).get(network.get_absolute_url()).content.decode()
    assert "Days to first sale" in board
    assert url("job_trace", workspace, job=job.pk) in board


def test_removing_a_node_and_a_link(client_as, alice, network, workspace):
    a, b = node(network, C.ENABLERS, "A", alice), node(network, C.DRIVERS, "B", alice)
    link = services.link_add(canvas=network, source=a, target=b, actor=alice)
    client = client_as(alice)
    assert client.post(url("bdn_link_remove", workspace, link=link.pk)).status_code == 302
    assert not BdnLink.objects.exists()
    client.post(url("bdn_node_remove", workspace, node=a.pk), **HTMX)
    assert list(BdnNode.objects.values_list("label", flat=True)) == ["B"]
    client.post(url("board_undo", workspace, canvas=network.pk))
    assert BdnNode.objects.filter(pk=a.pk).exists()


def test_viewers_see_the_network_but_no_forms_and_cannot_post(
    client_as, member, alice, network, workspace
):
    a = node(network, C.ENABLERS, "Portal", alice)
    client = client_as(member(Role.VIEWER))
    content = client.get(network.get_absolute_url()).content.decode()
    assert "Portal" in content and 'class="bdn-add"' not in content and "bdn-menu" not in content
    assert client.post(url("bdn_node_remove", workspace, node=a.pk)).status_code == 403
    assert (
        client.post(
            url("bdn_node_add", workspace, canvas=network.pk), {"column": "drivers", "label": "x"}
        ).status_code
        == 403
    )
    assert BdnNode.objects.count() == 1


def test_another_workspace_cannot_reach_the_nodes(client, alice, network):
    a = node(network, C.ENABLERS, "Portal", alice)
    stranger = MembershipFactory(role=Role.OWNER)
    client.force_login(stranger.user)
    response = client.post(url("bdn_node_remove", stranger.workspace, node=a.pk))
    assert response.status_code == 404
    assert BdnNode.objects.filter(pk=a.pk).exists()


def test_findings_name_the_nodes_and_the_drawing_marks_them(client_as, alice, network):
    objective = node(network, C.OBJECTIVES, "Grow revenue", alice)
    driver = node(network, C.DRIVERS, "Market <share>", alice)
    content = client_as(alice).get(network.get_absolute_url()).content.decode()
    findings = re.search(r'id="panel-findings".*?</ul>', content, re.S).group(0)
    assert "Objectives without benefits</strong> (1):\n    “Grow revenue”" in findings
    assert "“Market &lt;share&gt;”" in findings
    assert content.count('class="bdn-node is-flagged"') == 2
    services.link_add(canvas=network, source=objective, target=driver, actor=alice)
    content = client_as(alice).get(network.get_absolute_url()).content.decode()
    assert "Drivers no objective answers" not in content


def test_a_change_redraws_the_network_on_the_next_poll(
    client_as, alice, bob, network, django_capture_on_commit_callbacks
):
    client = client_as(bob)
    board = client.get(network.get_absolute_url()).content.decode()
    poll = re.search(r'data-poll-url="([^"]+)"', board).group(1).replace("&amp;", "&")
    with django_capture_on_commit_callbacks(execute=True):
        node(network, C.DRIVERS, "Regulation", alice)
    content = client.get(poll).content.decode()
    for area in ("network", "findings", "editor"):
        assert f'id="panel-{area}" hx-swap-oob="true"' in content
    assert "Regulation" in content


def test_the_history_names_the_node(client_as, alice, network, workspace):
    node(network, C.DRIVERS, "Regulation", alice)
    content = (
        client_as(alice).get(url("canvas_history", workspace, canvas=network.pk)).content.decode()
    )
    assert "added a node" in content and "“Regulation”" in content


def build(network, actor, count):
    """`count` nodes per column, each linked to the node at the same place in the next column."""
    ids = {}
    for column in C:
        ids[column] = [
            services.node_add(canvas=network, column=column, label=f"{column} {i}", actor=actor).pk
            for i in range(count)
        ]
    columns = list(C)
    BdnLink.objects.bulk_create(
        BdnLink(canvas=network, source_id=ids[left][i], target_id=ids[right][i])
        for left, right in pairwise(columns)
        for i in range(count)
    )


def test_the_board_query_count_does_not_grow_with_nodes(
    client_as, alice, network, workspace, django_assert_num_queries
):
    client = client_as(alice)
    build(network, alice, 1)
    client.get(network.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(network.get_absolute_url())
    JobFactory.create_batch(3, workspace=workspace)
    build(network, alice, 8)
    with django_assert_num_queries(len(few)):
        response = client.get(network.get_absolute_url())
    assert response.content.decode().count('class="bdn-arrow"') == 5 * 9


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_network_prints_with_its_findings_and_benefits(tmp_path, alice, network, workspace):
    change = node(network, C.BUSINESS_CHANGES, "Self-service onboarding", alice)
    benefit = node(
        network, C.BENEFITS, "Faster start", alice, owner="HR lead", measure="Days to first sale"
    )
    objective = node(network, C.OBJECTIVES, "Grow revenue", alice)
    services.link_add(canvas=network, source=change, target=benefit, actor=alice)
    services.link_add(canvas=network, source=benefit, target=objective, actor=alice)
    node(network, C.DRIVERS, "Market share", alice)
    path = tmp_path / "bdn.pdf"
    path.write_bytes(render_canvas_pdf(network))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    for expected in (
        "Digital enablers",
        "Investment objectives",
        "Self-service onboarding",
        "Drivers no objective answers",
        "Benefits register",
        "HR lead",
        "Days to first sale",
    ):
        assert expected in flat, expected
    assert "Add a driver" not in flat and "Leads to" not in flat, "no forms on paper"
    if shutil.which("qpdf"):
        assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0


def test_no_gaps_is_only_claimed_for_a_network_with_every_column(client_as, alice, network):
    previous = None
    for column in C:
        current = node(network, column, f"{column.label} node", alice)
        if previous:
            services.link_add(canvas=network, source=previous, target=current, actor=alice)
        previous = current
        content = client_as(alice).get(network.get_absolute_url()).content.decode()
        if column != C.DRIVERS:
            assert "No gaps:" not in content
    assert "No gaps: every enabler leads to an objective" in content
