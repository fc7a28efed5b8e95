"""A job's Customers page: the path through its states, each state's customers now and its
expected times, position and orchestration rules on its states; the inbox filtered by job;
and what the job's state machine page shows of it."""

import pytest
from django.urls import reverse

from journeys.models import JobState
from journeys.statemachine.services import StaleEdit, job_state_thresholds_set
from metrics.models import (
    Alert,
    Customer,
    OrchestrationRule,
    PositionRule,
    PositionRun,
    WebhookEndpoint,
)
from metrics.selectors.positions import job_path
from metrics.services import alerts as alert_services
from metrics.services.position_rules import position_rule_create
from metrics.services.position_runs import position_run
from tests.engage.factories import JobFactory
from tests.metrics.conftest import at, customer_with


def url(workspace, job, name="metrics:job_customers"):
    return reverse(name, kwargs={"workspace": workspace.slug, "job": job.pk})


@pytest.fixture
def job(workspace, onboarding):
    """Invited (expected 24 h by hand, so stuck at 48 h) → Configured (48 h, stuck at 72 h)
    → Live (no expected time), each marked by an event through the onboarding journey."""
    job = JobFactory(workspace=workspace, verb="Roll out", object="payroll", context="")
    invited = JobState.objects.create(
        job=job, name="Invited", is_start=True, position=0, expected_hours=24
    )
    configured = JobState.objects.create(
        job=job, name="Configured", position=1, expected_hours=48, stuck_hours=72
    )
    live = JobState.objects.create(job=job, name="Live", position=2)
    for state, event in ((invited, "Invited"), (configured, "Configured"), (live, "Went live")):
        position_rule_create(journey=onboarding.journey, job_state=state, event_name=event)
    job.invited, job.configured, job.live = invited, configured, live
    return job


@pytest.fixture
def placed(workspace, job):
    """At 60 h: ann and bo invited only (stuck); cy configured at 10 h (behind); di live at
    30 h; ed configured at 30 h (on track). Stays at Invited of 10, 20 and 30 h."""
    customer_with(workspace, "ann", ("Invited", 0))
    customer_with(workspace, "bo", ("Invited", 0))
    customer_with(workspace, "cy", ("Invited", 0), ("Configured", 10))
    customer_with(workspace, "di", ("Invited", 0), ("Configured", 20), ("Went live", 30))
    customer_with(workspace, "ed", ("Invited", 0), ("Configured", 30))
    position_run(workspace=workspace, now=at(60))
    return job


def card(html: str, state) -> str:
    part = html[html.index(f'id="state-{state.pk}"') :]
    return part[: part.index("</article>")]


def path_rows(html: str) -> list[str]:
    table = html[html.index("Customers by state of the job") :]
    return table[: table.index("</tbody>")].split("<tr>")[2:]


def test_the_path_counts_who_reached_each_state_and_moved_on(
    client_as, placed, workspace, alice, django_assert_num_queries
):
    with django_assert_num_queries(3):
        path = job_path(placed)
    assert [(p.state.name, p.reached, p.moved_on, p.still_here) for p in path] == [
        ("Invited", 5, 3, 2),
        ("Configured", 3, 1, 2),
        ("Live", 1, 0, 1),
    ]
    assert [p.median_hours for p in path] == [20, 10, None]
    html = client_as(alice).get(url(workspace, placed)).content.decode()
    invited, configured, live = path_rows(html)
    assert '>Invited</th><td class="num">5</td>' in invited
    assert '<td class="num">3 <span class="cx-muted">(60 %)</span></td>' in invited
    assert '<td class="num">2</td><td class="num">20 h <span class="cx-muted">(n = 3)' in invited
    assert '>Configured</th><td class="num">3</td>' in configured
    assert '<td class="num">1 <span class="cx-muted">(33 %)</span></td>' in configured
    assert '<rect width="120"' in invited and '<rect width="24"' in live  # 1 of 5


def test_each_state_shows_who_is_there_and_its_times_side_by_side(
    client_as, placed, workspace, alice
):
    html = client_as(alice).get(url(workspace, placed)).content.decode()
    invited = card(html, placed.invited)
    assert "<strong>2</strong> here now" in invited and "2 stuck" in invited
    assert "Set by hand</dt><dd>24 h" in invited
    assert "Median taken</dt><dd>20 h" in invited
    assert "75th percentile</dt><dd>25 h" in invited
    assert "From 3 completed stays. Uses set by hand: behind after 24 h, stuck after 2 days." in (
        invited
    )
    for name in ("ann", "bo"):
        customer = Customer.objects.get(workspace=workspace, external_id=name)
        link = reverse("metrics:customer_detail", args=[workspace.slug, customer.pk])
        assert f'href="{link}">{name}</a>' in invited
    configured = card(html, placed.configured)
    assert "<strong>2</strong> here now" in configured and "1 behind" in configured
    assert ">cy</a>" in configured and ">ed</a>" not in configured  # ed is on track
    live = card(html, placed.live)
    assert "no expected time yet, so nobody is flagged here" in live


def test_editing_a_state_s_times(client_as, placed, workspace, facilitator):
    state = placed.invited
    client = client_as(facilitator)
    times = {"action": "times", "state": state.pk, "version": state.version}
    refused = client.post(
        url(workspace, placed),
        {**times, "expected_hours": 12, "stuck_hours": 6, "expected_from": "hand"},
    )
    assert refused.status_code == 200
    assert "can&#x27;t be shorter than the expected time" in card(refused.content.decode(), state)
    done = client.post(
        url(workspace, placed),
        {**times, "expected_hours": 12, "stuck_hours": 100, "expected_from": "p75"},
    )
    assert done.status_code == 302 and done.url.endswith(f"#state-{state.pk}")
    state.refresh_from_db()
    assert (state.expected_hours, state.stuck_hours, state.expected_from) == (12, 100, "p75")
    assert state.version == 2

    stale = client.post(
        url(workspace, placed),
        {**times, "expected_hours": 1, "stuck_hours": "", "expected_from": "hand"},
    )
    assert "someone changed the state “Invited” while you were editing it" in (
        stale.content.decode()
    )
    state.refresh_from_db()
    assert (state.expected_hours, state.expected_from) == (12, "p75")

    position_run(workspace=workspace, now=at(60))  # the 75th percentile, 25 h, applies now
    html = client.get(url(workspace, placed)).content.decode()
    assert "Uses learned 75th percentile: behind after 25 h, stuck after 4.2 days." in card(
        html, state
    )


def test_setting_the_same_times_again_changes_nothing(placed):
    state = placed.configured
    same = job_state_thresholds_set(
        state=state, expected_version=1, expected_hours=48, stuck_hours=72, expected_from="hand"
    )
    assert same.version == 1
    with pytest.raises(StaleEdit):
        job_state_thresholds_set(
            state=state, expected_version=0, expected_hours=1, stuck_hours=2, expected_from="hand"
        )


def test_an_orchestration_rule_on_a_state_raises_alerts_shown_in_the_inbox_by_job(
    client_as, placed, workspace, facilitator, onboarding
):
    client = client_as(facilitator)
    refused = client.post(
        url(workspace, placed),
        {"action": "rule_add", "place": placed.invited.pk, "trigger": "behind", "nudge": "on"},
    )
    assert "A nudge needs a subject and a message." in refused.content.decode()
    done = client.post(
        url(workspace, placed),
        {
            "action": "rule_add",
            "place": placed.invited.pk,
            "trigger": "stuck",
            "assignee": facilitator.pk,
            "active": "on",
        },
    )
    assert done.status_code == 302
    rule = OrchestrationRule.objects.get()
    assert (rule.job_state, rule.stage, rule.assignee) == (placed.invited, None, facilitator)

    position_run(workspace=workspace, now=at(61))
    alerts = Alert.objects.filter(rule=rule, status="open")
    assert sorted(a.customer.external_id for a in alerts) == ["ann", "bo"]
    assert {(a.job_state, a.health, a.assignee) for a in alerts} == {
        (placed.invited, "stuck", facilitator)
    }
    inbox = reverse("metrics:inbox", args=[workspace.slug])
    by_job = client.get(f"{inbox}?job={placed.pk}").content.decode()
    assert by_job.count('class="cx-alert ') == 2
    assert "in <strong>Invited</strong> · Roll out payroll" in by_job
    other = JobFactory(workspace=workspace)
    JobState.objects.create(job=other, name="Started", is_start=True)
    assert client.get(f"{inbox}?job={other.pk}").content.decode().count('class="cx-alert ') == 0
    by_journey = client.get(f"{inbox}?journey={onboarding.journey.pk}").content.decode()
    assert by_journey.count('class="cx-alert ') == 0  # the journey's stages have none

    html = client.get(url(workspace, placed)).content.decode()
    assert "In <strong>Invited</strong>, when stuck: an alert for Fay Facilitator" in html
    client.post(url(workspace, placed), {"action": "rule_pause", "rule": rule.pk, "version": 1})
    rule.refresh_from_db()
    assert not rule.active
    stale = client.post(
        url(workspace, placed), {"action": "rule_pause", "rule": rule.pk, "version": 1}
    )
    assert stale.status_code == 302 and stale.url.endswith("#orchestration-rules")
    rule.refresh_from_db()
    assert not rule.active  # refused: the form was drawn before the pause
    client.post(
        url(workspace, placed),
        {"action": "rule_pause", "rule": rule.pk, "version": 2, "active": "on"},
    )
    rule.refresh_from_db()
    assert rule.active
    client.post(url(workspace, placed), {"action": "rule_remove", "rule": rule.pk})
    assert not OrchestrationRule.objects.exists() and not Alert.objects.exists()

    unticked = {"action": "rule_add", "place": placed.configured.pk, "trigger": "behind"}
    client.post(url(workspace, placed), unticked)
    assert not OrchestrationRule.objects.get().active  # added paused, as the form said


def test_a_state_s_rule_can_send_a_webhook_event(client_as, placed, workspace, facilitator):
    crm = WebhookEndpoint.objects.create(
        workspace=workspace, name="CRM", url="https://crm.example.com/hooks", secret="whsec_x"
    )
    theirs = WebhookEndpoint.objects.create(
        workspace=JobFactory().workspace, name="Theirs", url=crm.url, secret="whsec_y"
    )
    client = client_as(facilitator)
    add = {"action": "rule_add", "place": placed.invited.pk, "trigger": "stuck", "active": "on"}
    refused = client.post(url(workspace, placed), {**add, "webhook": theirs.pk})
    assert refused.status_code == 200 and not OrchestrationRule.objects.exists()
    client.post(url(workspace, placed), {**add, "webhook": crm.pk})
    rule = OrchestrationRule.objects.get()
    assert rule.webhook == crm
    html = client.get(url(workspace, placed)).content.decode()
    assert "when stuck: an alert, a webhook event to CRM" in html
    client.post(url(workspace, placed), {"action": "rule_pause", "rule": rule.pk, "version": 1})
    rule.refresh_from_db()
    assert (rule.active, rule.webhook) == (False, crm)  # pausing keeps the rest


def test_only_this_job_s_rules_are_listed_and_removed_here(
    client_as, placed, workspace, facilitator, onboarding
):
    other = JobFactory(workspace=workspace)
    elsewhere = JobState.objects.create(job=other, name="Elsewhere", is_start=True)
    foreign = position_rule_create(
        journey=onboarding.journey, job_state=elsewhere, event_name="Wandered"
    )
    stage_rule = alert_services.orchestration_rule_create(
        workspace=workspace, actor=facilitator, stage=onboarding.signup
    )
    client = client_as(facilitator)
    html = client.get(url(workspace, placed)).content.decode()
    rules = html[html.index('id="position-rules"') : html.index('id="orchestration-rules"')]
    assert "“Went live” → <strong>Live</strong>" in rules and "Wandered" not in rules
    assert "Onboarding</a>" in rules  # the journey the rules were set on
    assert "Sign up" not in html[html.index('id="orchestration-rules"') :]

    assert (
        client.post(
            url(workspace, placed), {"action": "position_rule_remove", "position_rule": foreign.pk}
        ).status_code
        == 404
    )
    assert (
        client.post(
            url(workspace, placed), {"action": "rule_remove", "rule": stage_rule.pk}
        ).status_code
        == 404
    )
    went_live = PositionRule.objects.get(event_name="Went live")
    done = client.post(
        url(workspace, placed), {"action": "position_rule_remove", "position_rule": went_live.pk}
    )
    assert done.status_code == 302 and done.url.endswith("#position-rules")
    assert not PositionRule.objects.filter(pk=went_live.pk).exists()
    assert PositionRule.objects.filter(pk=foreign.pk).exists()
    html = client.get(url(workspace, placed)).content.decode()
    assert "No rule places customers in this state yet" in card(html, placed.live)
    assert "No rule places customers" not in card(html, placed.invited)


def test_placing_customers_now_queues_one_pass(client_as, placed, workspace, facilitator):
    client = client_as(facilitator)
    client.post(url(workspace, placed), {"action": "place"})
    assert PositionRun.objects.filter(status="queued").count() == 1
    busy = client.post(url(workspace, placed), {"action": "place"}, follow=True)
    assert "being computed already" in busy.content.decode()
    assert PositionRun.objects.filter(status="queued").count() == 1


def test_participants_read_the_page_without_forms(client_as, placed, workspace, alice):
    html = client_as(alice).get(url(workspace, placed)).content.decode()
    assert "<strong>2</strong> here now" in html
    assert "Add a rule" not in html and "Expected times</summary>" not in html
    assert 'name="action"' not in html
    refused = client_as(alice).post(url(workspace, placed), {"action": "place"})
    assert refused.status_code == 403


def test_another_workspace_cannot_see_the_page(client_as, placed, workspace, outsider):
    assert client_as(outsider).get(url(workspace, placed)).status_code == 404


def test_a_job_without_states_points_to_its_machine(client_as, workspace, alice):
    empty = JobFactory(workspace=workspace)
    html = client_as(alice).get(url(workspace, empty)).content.decode()
    assert "This job has no states yet" in html
    assert reverse("journeys:job_machine", args=[workspace.slug, empty.pk]) in html


def test_the_page_s_queries_do_not_grow_with_customers(
    client_as, placed, workspace, facilitator, django_assert_max_num_queries
):
    client = client_as(facilitator)
    with django_assert_max_num_queries(40) as few:
        client.get(url(workspace, placed))
    for n in range(30):
        customer_with(workspace, f"late-{n}", ("Invited", 1), ("Configured", 2))
    position_run(workspace=workspace, now=at(70))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url(workspace, placed))


def test_the_machine_page_links_here_and_shows_customers_per_state(
    client_as, placed, workspace, alice
):
    machine = reverse("journeys:job_machine", args=[workspace.slug, placed.pk])
    html = client_as(alice).get(machine).content.decode()
    assert f'href="{url(workspace, placed)}"' in html
    presence = html[html.index('class="machine-presence"') :]
    presence = presence[: presence.index("</ul>")]
    assert f'href="{url(workspace, placed)}#state-{placed.invited.pk}">2 here now</a>' in presence
    assert "2 stuck" in presence and "1 behind" in presence
    assert presence.index("Invited") < presence.index("Configured") < presence.index("Live")
    unplaced = JobFactory(workspace=workspace)
    JobState.objects.create(job=unplaced, name="Started", is_start=True)
    machine = reverse("journeys:job_machine", args=[workspace.slug, unplaced.pk])
    assert "machine-presence" not in client_as(alice).get(machine).content.decode()
