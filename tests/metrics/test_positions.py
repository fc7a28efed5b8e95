"""The positions pass on crafted timelines and a controllable clock: who is where, and who
is behind or stuck, at the moments they should be."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from journeys.models import JobState
from metrics.models import Health, PathStep, Position, PositionRule, TouchpointDay
from metrics.services.position_rules import position_rule_create
from metrics.services.positions import positions_compute
from tests.engage.factories import JobFactory, WorkspaceFactory
from tests.journeys.factories import JourneyFactory, StageFactory, TouchpointFactory
from tests.metrics.conftest import at, customer_with
from tests.metrics.factories import (
    CustomerFactory,
    EventFactory,
    PurchaseFactory,
    SurveyResponseFactory,
)

BEHIND, STUCK, ON_TRACK, UNKNOWN = Health.BEHIND, Health.STUCK, Health.ON_TRACK, Health.UNKNOWN


def where(customer, journey) -> tuple:
    """(stage name, health, since) of the customer's position on the journey, or None."""
    position = Position.objects.filter(customer=customer, journey=journey).first()
    if position is None:
        return None
    return position.stage.name, position.health, position.health_since


def test_customers_are_flagged_behind_then_stuck_at_the_right_moments(workspace, onboarding):
    ada = customer_with(workspace, "ada", ("Signed up", 0))
    ben = customer_with(
        workspace, "ben", ("Signed up", 0), ("Setup completed", 10, {"plan": "pro"})
    )
    journey = onboarding.journey

    positions_compute(workspace, now=at(24))  # exactly the expected time: not past it
    assert where(ada, journey) == ("Sign up", ON_TRACK, at(0))
    positions_compute(workspace, now=at(24.01))
    assert where(ada, journey) == ("Sign up", BEHIND, at(24))
    positions_compute(workspace, now=at(48.5))  # stuck at twice the expected time
    assert where(ada, journey) == ("Sign up", STUCK, at(48))

    # Ben moved on to set up at 10 h: 48 h expected there, stuck after 72 h (set by hand).
    assert where(ben, journey) == ("Set up", ON_TRACK, at(10))
    positions_compute(workspace, now=at(58.5))
    assert where(ben, journey) == ("Set up", BEHIND, at(58))
    positions_compute(workspace, now=at(82.5))
    assert where(ben, journey) == ("Set up", STUCK, at(82))


def test_customers_who_moved_on_are_not_flagged_where_they_were(workspace, onboarding):
    ben = customer_with(
        workspace, "ben", ("Signed up", 0), ("Setup completed", 10, {"plan": "pro"})
    )
    dee = customer_with(workspace, "dee", ("Signed up", 0), ("Setup completed", 2, {"plan": "pro"}))
    PurchaseFactory(customer=dee, purchased_at=at(5))

    result = positions_compute(workspace, now=at(100))

    assert where(ben, onboarding.journey) == ("Set up", STUCK, at(82))
    assert where(dee, onboarding.journey) == ("Activate", UNKNOWN, at(5))  # no threshold there
    assert (result["positions"], result["behind"], result["stuck"]) == (2, 0, 1)
    assert not Position.objects.filter(stage=onboarding.signup).exists()
    path = PathStep.objects.filter(customer=dee).order_by("entered_at")
    assert [(s.stage.name, s.entered_at, s.left_at) for s in path] == [
        ("Sign up", at(0), at(2)),
        ("Set up", at(2), at(5)),
        ("Activate", at(5), None),
    ]


def test_the_first_arrival_counts_and_coming_back_moves_no_one(workspace, onboarding):
    cy = customer_with(
        workspace,
        "cy",
        ("Signed up", 0),
        ("Setup completed", 3, {"plan": "pro"}),
        ("Signed up", 5),  # again: still at set up, which they reached after signing up first
        ("Setup completed", 6, {"plan": "pro"}),
    )
    positions_compute(workspace, now=at(10))
    path = PathStep.objects.filter(customer=cy).order_by("entered_at")
    assert [(s.stage.name, s.entered_at, s.left_at) for s in path] == [
        ("Sign up", at(0), at(3)),
        ("Set up", at(3), None),
    ]


def test_records_after_the_clock_have_not_happened_yet(workspace, onboarding):
    eve = customer_with(
        workspace, "eve", ("Signed up", 0), ("Setup completed", 40, {"plan": "pro"})
    )
    positions_compute(workspace, now=at(30))
    assert where(eve, onboarding.journey) == ("Sign up", BEHIND, at(24))
    positions_compute(workspace, now=at(41))
    assert where(eve, onboarding.journey) == ("Set up", ON_TRACK, at(40))
    assert Position.objects.get(customer=eve).last_activity_at == at(40)


def test_property_conditions_compare_as_text(workspace, onboarding):
    journey = onboarding.journey
    position_rule_create(
        journey=journey,
        stage=onboarding.activate,
        event_name="Seats set",
        property_key="seats",
        property_value="5",
    )
    position_rule_create(
        journey=journey,
        stage=onboarding.advocate,
        event_name="Referral",
        property_key="accepted",
        property_value="true",
    )
    matches = {
        "pro": ("Setup completed", 1, {"plan": "pro"}),
        "free": ("Setup completed", 1, {"plan": "free"}),
        "no-plan": ("Setup completed", 1, {"seats": 5}),
        "plan-null": ("Setup completed", 1, {"plan": None}),
        "Pro": ("Setup completed", 1, {"plan": "Pro"}),  # case matters
        "five-seats": ("Seats set", 1, {"seats": 5}),
        "five-seats-text": ("Seats set", 1, {"seats": "5"}),
        "six-seats": ("Seats set", 1, {"seats": 6}),
        "accepted": ("Referral", 1, {"accepted": True}),
        "declined": ("Referral", 1, {"accepted": False}),
    }
    customers = {
        name: customer_with(workspace, name, ("Signed up", 0), event)
        for name, event in matches.items()
    }
    positions_compute(workspace, now=at(2))
    placed = {name: where(customer, journey)[0] for name, customer in customers.items()}
    assert placed == {
        "pro": "Set up",
        "free": "Sign up",
        "no-plan": "Sign up",
        "plan-null": "Sign up",
        "Pro": "Sign up",
        "five-seats": "Activate",
        "five-seats-text": "Activate",
        "six-seats": "Sign up",
        "accepted": "Advocate",
        "declined": "Sign up",
    }


def test_survey_and_purchase_rules(workspace, onboarding):
    journey = onboarding.journey
    other = TouchpointFactory(stage=onboarding.signup, name="Welcome call")
    csat_about_wizard = position_rule_create(
        journey=journey,
        stage=onboarding.setup,
        source=PositionRule.Source.SURVEY,
        survey_kind="csat",
        survey_touchpoint=onboarding.wizard,
    )
    assert csat_about_wizard.describe() == "a CSAT answer about Setup wizard"
    fay = customer_with(workspace, "fay", ("Signed up", 0))
    SurveyResponseFactory(
        customer=fay, kind="csat", score=4, touchpoint=onboarding.wizard, answered_at=at(2)
    )
    gus = customer_with(workspace, "gus", ("Signed up", 0))
    SurveyResponseFactory(customer=gus, kind="csat", score=4, touchpoint=other, answered_at=at(2))
    SurveyResponseFactory(customer=gus, kind="ces", score=2, touchpoint=onboarding.wizard,
                          answered_at=at(3))  # fmt: skip
    hal = customer_with(workspace, "hal", ("Signed up", 0))
    PurchaseFactory(customer=hal, purchased_at=at(4))
    SurveyResponseFactory(customer=hal, kind="nps", score=10, answered_at=at(6))

    positions_compute(workspace, now=at(8))

    assert where(fay, journey)[:2] == ("Set up", ON_TRACK)
    assert where(gus, journey)[:2] == ("Sign up", ON_TRACK)  # another touchpoint, another kind
    assert where(hal, journey)[:2] == ("Advocate", UNKNOWN)  # purchase at 4 h, NPS answer at 6 h
    assert PathStep.objects.get(customer=hal, stage=onboarding.activate).left_at == at(6)


def test_job_state_rules_place_customers_on_the_job_and_at_the_state_stage(workspace, onboarding):
    job = JobFactory(workspace=workspace)
    started = JobState.objects.create(job=job, name="Started", is_start=True, position=0,
                                      expected_hours=12)  # fmt: skip
    configured = JobState.objects.create(
        job=job, name="Configured", position=1, stage=onboarding.setup, expected_hours=2
    )
    position_rule_create(journey=onboarding.journey, job_state=started, event_name="Signed up")
    position_rule_create(journey=onboarding.journey, job_state=configured, event_name="Configured")
    ivy = customer_with(workspace, "ivy", ("Signed up", 0), ("Configured", 1))

    positions_compute(workspace, now=at(4))

    on_job = Position.objects.get(customer=ivy, job=job)
    assert (on_job.job_state, on_job.health, on_job.health_since) == (configured, BEHIND, at(3))
    # The state is mapped to set up: arriving there marks the stage, with the stage's thresholds.
    assert where(ivy, onboarding.journey) == ("Set up", ON_TRACK, at(1))
    steps = PathStep.objects.filter(customer=ivy, job=job).order_by("entered_at")
    assert [(s.job_state.name, s.left_at) for s in steps] == [
        ("Started", at(1)),
        ("Configured", None),
    ]


def test_a_repeated_run_keeps_when_each_health_began(workspace, onboarding):
    """A learned threshold moves as stays complete; a customer still behind keeps the
    moment they became so, the one the orchestration dedupes on."""
    onboarding.setup.expected_from, onboarding.setup.stuck_hours = "median", 1000
    onboarding.setup.save()
    for name, hours in (("kai", 20), ("lea", 30)):  # stays at set up of 20 h and 30 h
        customer = customer_with(workspace, name, ("Signed up", 0), ("Setup completed", 1, {"plan": "pro"}))  # fmt: skip
        PurchaseFactory(customer=customer, purchased_at=at(1 + hours))
    max_ = customer_with(workspace, "max", ("Signed up", 0), ("Setup completed", 2, {"plan": "pro"}))  # fmt: skip

    positions_compute(workspace, now=at(30))  # only Kai's 20 h stay is complete: median 20 h
    assert where(max_, onboarding.journey) == ("Set up", BEHIND, at(22))
    positions_compute(workspace, now=at(40))  # and Lea's 30 h: median 25 h, still behind
    assert where(max_, onboarding.journey) == ("Set up", BEHIND, at(22))
    positions_compute(workspace, now=at(40))
    assert where(max_, onboarding.journey) == ("Set up", BEHIND, at(22))


def test_a_new_health_starts_a_new_spell(workspace, onboarding):
    ada = customer_with(workspace, "ada", ("Signed up", 0))
    positions_compute(workspace, now=at(30))
    assert where(ada, onboarding.journey) == ("Sign up", BEHIND, at(24))
    onboarding.signup.expected_hours = 40  # raised by hand: on track again
    onboarding.signup.save()
    positions_compute(workspace, now=at(31))
    assert where(ada, onboarding.journey) == ("Sign up", ON_TRACK, at(0))
    positions_compute(workspace, now=at(41))
    assert where(ada, onboarding.journey) == ("Sign up", BEHIND, at(40))


def test_workspaces_are_kept_apart(workspace, onboarding):
    other = WorkspaceFactory()
    theirs = JourneyFactory(canvas__workspace=other)
    their_stage = StageFactory(journey=theirs, expected_hours=4)
    position_rule_create(journey=theirs, stage=their_stage, event_name="Signed up")
    ours = customer_with(workspace, "ours", ("Signed up", 0))
    customer_with(other, "theirs", ("Signed up", 0))

    positions_compute(other, now=at(5))
    positions_compute(workspace, now=at(5))

    assert list(Position.objects.filter(workspace=other).values_list("customer__external_id", "stage", "health")) == [("theirs", their_stage.pk, BEHIND)]  # fmt: skip
    assert list(
        Position.objects.filter(workspace=workspace).values_list("customer", "journey")
    ) == [(ours.pk, onboarding.journey.pk)]
    positions_compute(workspace, now=at(6))  # replaces this workspace's rows only
    assert Position.objects.filter(workspace=other).count() == 1


def test_anonymous_events_and_removed_stages_place_no_one(workspace, onboarding):
    EventFactory(customer=None, workspace=workspace, anonymous_id="anon-1", event="Signed up",
                 timestamp=at(0))  # fmt: skip
    nia = customer_with(workspace, "nia", ("Signed up", 0), ("Setup completed", 1, {"plan": "pro"}))  # fmt: skip
    onboarding.setup.removed_at = at(0)
    onboarding.setup.save()
    positions_compute(workspace, now=at(2))
    assert list(Position.objects.values_list("customer", "stage")) == [
        (nia.pk, onboarding.signup.pk)
    ]
    assert PathStep.objects.get().left_at is None


def test_touchpoints_count_the_records_their_rules_match_per_day(workspace, onboarding):
    for name, hours in (("oli", 1), ("pam", 2), ("quin", 30)):
        customer_with(workspace, name, ("Setup completed", hours, {"plan": "pro"}))
    customer_with(workspace, "rex", ("Setup completed", 3, {"plan": "free"}))
    customer_with(workspace, "sue", ("Setup completed", 4, {"plan": "pro"}), ("Setup completed", 5, {"plan": "pro"}))  # fmt: skip
    positions_compute(workspace, now=at(48))
    days = TouchpointDay.objects.filter(touchpoint=onboarding.wizard).order_by("day")
    assert [(d.day, d.interactions) for d in days] == [(at(0).date(), 4), (at(30).date(), 1)]


def test_last_activity_is_the_latest_record_of_any_kind(workspace, onboarding):
    tom = customer_with(workspace, "tom", ("Signed up", 0), ("Signed in", 7))
    SurveyResponseFactory(customer=tom, kind="ces", score=3, answered_at=at(9))
    PurchaseFactory(customer=tom, purchased_at=at(3))
    PurchaseFactory(customer=tom, purchased_at=at(50), amount=7)  # after the clock
    positions_compute(workspace, now=at(10))
    assert Position.objects.get(customer=tom).last_activity_at == at(9)


def test_the_pass_runs_as_many_queries_for_thirty_customers_as_for_three(workspace, onboarding):
    def queries_for(customers: int) -> int:
        for n in range(customers):
            customer = CustomerFactory(workspace=workspace)
            EventFactory(customer=customer, event="Signed up", timestamp=at(n))
            EventFactory(customer=customer, event="Setup completed", timestamp=at(n + 1),
                         properties={"plan": "pro"})  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            positions_compute(workspace, now=at(100))
        return len(queries)

    assert queries_for(3) == queries_for(27)
    assert Position.objects.count() == 30


def test_deleting_a_customer_or_a_journey_takes_their_positions_along(workspace, onboarding):
    ada = customer_with(workspace, "ada", ("Signed up", 0))
    customer_with(workspace, "ben", ("Signed up", 0), ("Setup completed", 1, {"plan": "pro"}))
    positions_compute(workspace, now=at(2))
    ada.delete()
    assert list(Position.objects.values_list("customer__external_id", flat=True)) == ["ben"]
    assert PathStep.objects.count() == 2
    onboarding.journey.delete()
    assert not Position.objects.exists() and not PathStep.objects.exists()
