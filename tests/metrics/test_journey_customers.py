"""A journey's Customers page: funnel, stages now, expected times, rules; and what the journey
map shows of it (customers per stage, touchpoint interactions)."""

import pytest
from django.urls import reverse

from engage.roles import Role
from metrics.models import Customer, OrchestrationRule, PositionRule
from metrics.services.position_runs import position_run
from tests.engage.factories import MembershipFactory
from tests.metrics.conftest import at, customer_with
from tests.metrics.factories import PurchaseFactory


def url(workspace, name, **kwargs):
    return reverse(f"metrics:{name}", kwargs={"workspace": workspace.slug, **kwargs})


@pytest.fixture
def placed(workspace, onboarding):
    """Five signed up; three set up a pro plan, one of them bought: a funnel 5 → 3 → 1."""
    customer_with(workspace, "a", ("Signed up", 0))
    customer_with(workspace, "b", ("Signed up", 0))
    for name, hours in (("c", 10), ("d", 20), ("e", 30)):
        customer_with(
            workspace, name, ("Signed up", 0), ("Setup completed", hours, {"plan": "pro"})
        )
    PurchaseFactory(customer=Customer.objects.get(external_id="e"), purchased_at=at(40))
    position_run(workspace=workspace, now=at(60))
    return onboarding


def page(client, workspace, journey, query=""):
    return client.get(url(workspace, "journey_customers", journey=journey.pk) + query)


def test_the_funnel_counts_reached_moved_on_and_median_time(client_as, placed, workspace, alice):
    html = page(client_as(alice), workspace, placed.journey).content.decode()
    table = html[html.index("Funnel, stage by stage") :]
    rows = table.split("<tr>")[2:6]
    assert '>Sign up</th><td class="num">5</td><td class="num">3</td>' in rows[0]
    assert '<td class="num">60 %</td>' in rows[0]  # 3 of 5 moved on
    assert "20 h" in rows[0]  # median of 10, 20 and 30 hours at sign-up
    assert '>Set up</th><td class="num">3</td><td class="num">1</td>' in rows[1]
    assert "<svg" in html and "↓ 60 % moved on" in html


def test_stages_show_who_is_here_and_the_times_side_by_side(client_as, placed, workspace, alice):
    html = page(client_as(alice), workspace, placed.journey).content.decode()
    signup = html[html.index(f'id="stage-{placed.signup.pk}"') :]
    signup = signup[: signup.index("</article>")]
    assert "<strong>2</strong> here now" in signup and "2 stuck" in signup  # a, b at 60 h
    assert "Set by hand</dt><dd>24 h" in signup
    assert "Median taken</dt><dd>20 h" in signup
    assert 'href="/w/' in signup and ">a</a>" in signup


def test_editing_a_stage_s_times_and_undoing_it(client_as, placed, workspace, facilitator):
    stage = placed.signup
    client = client_as(facilitator)
    response = client.post(
        url(workspace, "stage_thresholds", stage=stage.pk),
        {"version": stage.version, "expected_hours": 12, "stuck_hours": 6, "expected_from": "hand"},
    )
    assert "can&#x27;t be shorter than the expected time" in response.content.decode()
    response = client.post(
        url(workspace, "stage_thresholds", stage=stage.pk),
        {"version": stage.version, "expected_hours": 12, "stuck_hours": 36, "expected_from": "p75"},
    )
    assert response.status_code == 302
    stage.refresh_from_db()
    assert (stage.expected_hours, stage.stuck_hours, stage.expected_from) == (12, 36, "p75")
    client.post(
        reverse(
            "canvases:board_undo",
            kwargs={"workspace": workspace.slug, "canvas": stage.journey.canvas_id},
        )
    )
    stage.refresh_from_db()
    assert (stage.expected_hours, stage.stuck_hours, stage.expected_from) == (24, None, "hand")


def test_adding_rules_through_the_page(client_as, placed, workspace, facilitator):
    client = client_as(facilitator)
    refused = client.post(
        url(workspace, "position_rule_add", journey=placed.journey.pk),
        {"source": "event", "event_name": "", "place": f"stage:{placed.activate.pk}"},
    )
    assert "Name the event that marks arrival" in refused.content.decode()
    done = client.post(
        url(workspace, "position_rule_add", journey=placed.journey.pk),
        {
            "source": "event",
            "event_name": "Invited a colleague",
            "place": f"stage:{placed.activate.pk}",
        },
    )
    assert done.status_code == 302
    assert PositionRule.objects.filter(event_name="Invited a colleague").exists()
    done = client.post(
        url(workspace, "orchestration_rule_add", journey=placed.journey.pk),
        {"place": f"stage:{placed.setup.pk}", "trigger": "stuck", "assignee": facilitator.pk},
    )
    assert done.status_code == 302
    rule = OrchestrationRule.objects.get()
    assert (rule.stage, rule.assignee) == (placed.setup, facilitator)
    nudge_without_text = client.post(
        url(workspace, "orchestration_rule_add", journey=placed.journey.pk),
        {"place": f"stage:{placed.setup.pk}", "trigger": "behind", "nudge": "on"},
    )
    assert "A nudge needs a subject and a message." in nudge_without_text.content.decode()
    client.post(url(workspace, "orchestration_rule_change", rule=rule.pk), {"version": 1})
    rule.refresh_from_db()
    assert not rule.active
    client.post(
        url(workspace, "orchestration_rule_add", journey=placed.journey.pk),
        {"place": f"stage:{placed.signup.pk}", "trigger": "stuck"},  # "Active" left unticked
    )
    assert not OrchestrationRule.objects.get(stage=placed.signup).active


def test_participants_read_the_page_without_forms(client_as, placed, workspace, alice):
    html = page(client_as(alice), workspace, placed.journey).content.decode()
    assert "Add a rule" not in html and "Expected times</summary>" not in html
    response = client_as(alice).post(
        url(workspace, "position_rule_add", journey=placed.journey.pk), {}
    )
    assert response.status_code == 403


def test_the_page_s_queries_do_not_grow_with_customers(
    client_as, placed, workspace, alice, django_assert_max_num_queries
):
    client = client_as(alice)
    with django_assert_max_num_queries(40) as few:
        page(client, workspace, placed.journey)
    for n in range(30):
        customer_with(
            workspace, f"late-{n}", ("Signed up", 1), ("Setup completed", 2, {"plan": "pro"})
        )
    position_run(workspace=workspace, now=at(70))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page(client, workspace, placed.journey)


def test_the_journey_map_shows_customers_per_stage_and_touchpoint_interactions(
    client_as, placed, workspace, alice
):
    html = client_as(alice).get(placed.journey.canvas.get_absolute_url()).content.decode()
    head = html[html.index(f'id="stage-{placed.signup.key}"') :]
    head = head[: head.index("</li>")]
    assert "2 here now</a>" in head and "2 stuck" in head
    wizard = html[html.index(f'id="touchpoint-{placed.wizard.pk}"') :]
    assert "3 interactions" in wizard[: wizard.index("</li>")]
    assert url(workspace, "journey_customers", journey=placed.journey.pk) in html


def test_another_workspace_cannot_see_the_page(client, placed, workspace):
    outsider = MembershipFactory(role=Role.OWNER).user
    client.force_login(outsider)
    response = page(client, workspace, placed.journey)
    assert response.status_code == 404


def test_the_pack_prints_each_journey_s_funnel(placed, workspace):
    import io

    from pypdf import PdfReader

    from canvases.packs import COVER_STYLES
    from canvases.pdf import render_document
    from metrics.views.journey_customers import funnels_pack_html

    html = funnels_pack_html(workspace)
    assert "Onboarding" in html and "Sign up 2 (2 stuck)" in html
    pdf = render_document(html, COVER_STYLES).write_pdf()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Funnel, stage by stage" in text and "60 %" in text


def test_interactions_are_counted_per_stage_while_customers_are_there(
    client_as, workspace, onboarding, alice
):
    from metrics.services.recompute import compute_snapshots
    from tests.metrics.factories import EventFactory

    ada = customer_with(
        workspace, "ada", ("Signed up", 0), ("Setup completed", 10, {"plan": "pro"})
    )
    for hours, channel in ((1, "web"), (2, "phone"), (3, "web"), (11, "in_app"), (12, "")):
        EventFactory(customer=ada, event="Did something", channel=channel, timestamp=at(hours))
    position_run(workspace=workspace, now=at(20))
    compute_snapshots(workspace)
    html = page(client_as(alice), workspace, onboarding.journey).content.decode()
    table = html[html.index("Interactions by stage") :]
    signup = table[table.index(">Sign up</th>") :].split("</tr>")[0]
    # Sign up, 0–10 h: the sign-up event (no channel, left out), web, phone, web → 2 of 3 digital
    assert '<td class="num">3</td><td class="num">67 %</td>' in signup
    assert "Web 67 %, Phone 33 %" in signup
    setup = table[table.index(">Set up</th>") :].split("</tr>")[0]
    assert '<td class="num">1</td><td class="num">100 %</td>' in setup  # in-app; 12 h has none


def test_show_metrics_lists_the_digital_share_by_stage(workspace, onboarding):
    import io
    import json

    from django.core.management import call_command

    from metrics.services.recompute import compute_snapshots
    from tests.metrics.factories import EventFactory

    ada = customer_with(workspace, "ada", ("Signed up", 0))
    EventFactory(customer=ada, event="Called", channel="phone", timestamp=at(1))
    position_run(workspace=workspace, now=at(2))
    compute_snapshots(workspace)
    out = io.StringIO()
    call_command("show_metrics", workspace.slug, "--json", stdout=out)
    by_stage = json.loads(out.getvalue())["digital"]["by_stage"]
    assert by_stage == [
        {"journey": "Onboarding", "stage": "Sign up", "events": 1, "digital_percent": 0.0}
    ]
