"""The orchestration pass on crafted timelines and a controllable clock: alerts raised once
per stall, owners told, customers nudged only when it does no harm, every decision kept."""

import pytest

from metrics.models import Alert, ContactPolicy, NudgeDecision
from metrics.services import alerts as services
from metrics.services.position_runs import position_run
from tests.metrics.conftest import at, customer_with
from tests.metrics.factories import EventFactory

SAM = "sam@brightwave.example"


@pytest.fixture
def team_rule(workspace, onboarding, facilitator):
    """Behind at sign-up (24 h): alert assigned to Fay, the owner told, the customer nudged."""
    return services.orchestration_rule_create(
        workspace=workspace,
        actor=facilitator,
        stage=onboarding.signup,
        trigger="behind",
        assignee=facilitator,
        email_owner=True,
        nudge=True,
        nudge_subject="Need a hand with {stage}, {name}?",
        nudge_body="Hi {name}, finishing {stage} of {journey} takes two minutes.",
    )


@pytest.fixture
def customers(workspace):
    def make(name, *, consent=True, email=True, **traits):
        customer = customer_with(workspace, name, ("Signed up", 0))
        customer.consent = consent
        customer.email = f"{name}@customers.example" if email else ""
        customer.traits = {"first_name": name.capitalize(), **traits}
        customer.save()
        return customer

    return {
        "ada": make("ada", account_owner=SAM),
        "bob": make("bob", consent=False),  # opted out
        "cat": make("cat", timezone="Asia/Tokyo"),  # at 31 h (16:00 UTC) it is 01:00 there
        "dan": make("dan"),
        "eve": make("eve", email=False),
    }


def run(workspace, hours):
    result = position_run(workspace=workspace, now=at(hours))
    assert result.status == result.Status.DONE, result.error
    return result


def decisions(customer):
    return list(
        NudgeDecision.objects.filter(customer=customer)
        .order_by("decided_at", "pk")
        .values_list("reason", flat=True)
    )


def test_stalled_customers_get_one_alert_and_only_the_right_ones_a_nudge(
    workspace, onboarding, team_rule, customers, facilitator, mailoutbox
):
    EventFactory(customer=customers["dan"], event="Opened app", timestamp=at(30))  # active again
    run(workspace, 31)  # 31 h after sign-up: everyone is behind (24 h), nobody stuck yet

    alerts = Alert.objects.filter(status=Alert.Status.OPEN)
    assert sorted(a.customer.external_id for a in alerts) == ["ada", "bob", "cat", "dan", "eve"]
    assert {(a.health, a.spell_since, a.assignee) for a in alerts} == {
        ("behind", at(24), facilitator)
    }
    assert decisions(customers["ada"]) == ["sent"]
    assert decisions(customers["bob"]) == ["no_consent"]
    assert decisions(customers["cat"]) == ["quiet_hours"]
    assert decisions(customers["dan"]) == ["progressing"]
    assert decisions(customers["eve"]) == ["no_email"]

    to = {tuple(message.to): message for message in mailoutbox}
    assert set(to) == {(SAM,), (facilitator.email,), ("ada@customers.example",)}
    assert to[(SAM,)].subject.startswith("ada is behind at Sign up (Onboarding)")
    digest = to[(facilitator.email,)]
    assert digest.subject == f"4 customers stalled in {workspace.name}"
    assert all(name in digest.body for name in ("bob", "cat", "dan", "eve"))
    assert f"/w/{workspace.slug}/metrics/inbox/" in digest.body
    nudge = to[("ada@customers.example",)]
    assert nudge.subject == "Need a hand with Sign up, Ada?"
    assert nudge.body == "Hi Ada, finishing Sign up of Onboarding takes two minutes."


def test_repeated_passes_raise_nothing_twice_and_record_a_reason_once(
    workspace, onboarding, team_rule, customers, mailoutbox
):
    run(workspace, 31)
    sent = len(mailoutbox)
    for hours in (31.25, 31.5, 32):
        run(workspace, hours)
    assert Alert.objects.count() == 5
    assert len(mailoutbox) == sent
    assert decisions(customers["cat"]) == ["quiet_hours"]  # still night in Tokyo
    assert NudgeDecision.objects.count() == 5


def test_a_nudge_held_for_quiet_hours_goes_out_in_the_morning(
    workspace, onboarding, team_rule, customers, mailoutbox
):
    run(workspace, 31)
    run(workspace, 40)  # 01:00 UTC is 10:00 in Tokyo: not quiet
    assert decisions(customers["cat"]) == ["quiet_hours", "sent"]
    assert [m.to for m in mailoutbox].count(["cat@customers.example"]) == 1


def test_opted_out_customers_are_never_nudged(
    workspace, onboarding, team_rule, customers, mailoutbox
):
    for hours in (25, 31, 40, 49, 60, 200):
        run(workspace, hours)
    assert not any("bob@customers.example" in m.to for m in mailoutbox)
    assert set(decisions(customers["bob"])) == {"no_consent"}


def test_a_second_stall_within_the_policy_s_window_is_too_soon(
    workspace, onboarding, team_rule, customers, facilitator, mailoutbox
):
    ContactPolicy.objects.create(workspace=workspace, max_nudges=1, per_days=7)
    services.orchestration_rule_create(
        workspace=workspace,
        actor=facilitator,
        stage=onboarding.signup,
        trigger="stuck",
        nudge=True,
        nudge_subject="Still there?",
        nudge_body="Hi {name}",
    )
    run(workspace, 31)  # behind: ada nudged by the first rule
    run(workspace, 49)  # stuck (48 h): the second rule raises its own alert
    assert decisions(customers["ada"]) == ["sent", "too_soon"]
    assert [m.to for m in mailoutbox].count(["ada@customers.example"]) == 1
    assert Alert.objects.filter(customer=customers["ada"], status="open").count() == 2


def test_customers_who_move_on_have_their_alerts_resolved_and_are_not_nudged(
    workspace, onboarding, team_rule, customers, mailoutbox
):
    run(workspace, 31)
    EventFactory(
        customer=customers["cat"],
        event="Setup completed",
        timestamp=at(33),
        properties={"plan": "pro"},
    )
    run(workspace, 34)  # still night in Tokyo when she moved on
    alert = Alert.objects.get(customer=customers["cat"])
    assert alert.status == "resolved" and alert.resolved_by is None
    assert alert.note.startswith("Moved on")
    assert decisions(customers["cat"]) == ["quiet_hours", "moved_on"]
    run(workspace, 40)
    assert not any("cat@customers.example" in m.to for m in mailoutbox)


def test_an_alert_resolved_by_hand_is_not_raised_again_for_the_same_stall(
    workspace, onboarding, team_rule, customers, facilitator
):
    run(workspace, 31)
    alert = Alert.objects.get(customer=customers["bob"])
    services.alert_resolve(alert=alert, actor=facilitator, note="Called him", expected_version=1)
    run(workspace, 32)
    assert Alert.objects.filter(customer=customers["bob"]).count() == 1
    run(workspace, 49)  # stuck now: a new spell for a rule that fires when behind or stuck
    assert Alert.objects.filter(customer=customers["bob"], status="open").count() == 1


def test_resolving_needs_a_note_and_the_version_it_was_read_at(
    workspace, onboarding, team_rule, customers, facilitator
):
    run(workspace, 31)
    alert = Alert.objects.get(customer=customers["ada"])
    with pytest.raises(Exception, match="resolve with a note"):
        services.alert_resolve(alert=alert, actor=facilitator, note=" ", expected_version=1)
    services.alert_assign(alert=alert, assignee=None, expected_version=1)
    with pytest.raises(Exception, match="now assigned to nobody"):
        services.alert_resolve(alert=alert, actor=facilitator, note="Done", expected_version=1)
    alert.refresh_from_db()
    assert (alert.status, alert.version) == ("open", 2)


def test_a_thousand_stalled_customers_in_one_pass_take_a_fixed_number_of_queries(
    workspace, onboarding, team_rule, django_assert_max_num_queries
):
    from metrics.models import Customer, InteractionEvent
    from metrics.services.orchestration import orchestrate
    from metrics.services.positions import positions_compute

    Customer.objects.bulk_create(
        Customer(
            workspace=workspace, external_id=f"c{n}", created_at=at(0), email="", consent=False
        )
        for n in range(1000)
    )
    InteractionEvent.objects.bulk_create(
        InteractionEvent(
            workspace=workspace,
            customer=customer,
            event="Signed up",
            timestamp=at(0),
            message_id=f"m{customer.pk}",
        )
        for customer in Customer.objects.filter(workspace=workspace)
    )
    positions_compute(workspace, now=at(31))
    with django_assert_max_num_queries(40):
        result = orchestrate(workspace, now=at(31))
    assert result["raised"] == 1000
    assert NudgeDecision.objects.filter(reason="no_consent").count() == 1000
