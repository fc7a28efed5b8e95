"""Position rules refuse what can't be, with a message per field, and exist once."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from journeys.models import JobState
from metrics.models import PositionRule
from metrics.services.position_rules import position_rule_create
from tests.engage.factories import JobFactory, WorkspaceFactory
from tests.journeys.factories import JourneyFactory, StageFactory, TouchpointFactory


def refusal(**fields) -> dict:
    with pytest.raises(ValidationError) as refused:
        position_rule_create(**fields)
    return refused.value.message_dict


def test_a_rule_marks_one_place_of_its_journey_or_workspace(workspace, onboarding):
    journey, setup = onboarding.journey, onboarding.setup
    state = JobState.objects.create(job=JobFactory(workspace=workspace), name="Started")
    elsewhere = JobState.objects.create(job=JobFactory(workspace=WorkspaceFactory()), name="Away")
    other_stage = StageFactory(journey=JourneyFactory(canvas__workspace=workspace))
    assert refusal(journey=journey, event_name="X") == {
        "stage": ["Choose a stage or a job state (one of them)."]
    }
    assert refusal(journey=journey, stage=setup, job_state=state, event_name="X") == {
        "stage": ["Choose a stage or a job state (one of them)."]
    }
    assert refusal(journey=journey, stage=other_stage, event_name="X") == {
        "stage": ["Choose a stage of this journey."]
    }
    assert refusal(journey=journey, job_state=elsewhere, event_name="X") == {
        "job_state": ["Choose a state of one of this workspace's jobs."]
    }
    assert refusal(
        journey=journey,
        stage=setup,
        event_name="X",
        touchpoint=TouchpointFactory(stage=other_stage),
    ) == {"touchpoint": ["Choose a touchpoint of this journey."]}
    assert position_rule_create(journey=journey, job_state=state, event_name="X").pk


def test_a_rule_names_only_what_its_source_has(onboarding):
    journey, setup = onboarding.journey, onboarding.setup
    assert refusal(journey=journey, stage=setup, event_name="  ") == {
        "event_name": ["Name the event that marks arrival."]
    }
    assert refusal(journey=journey, stage=setup, event_name="X", property_value="pro") == {
        "property_key": ["Name the property the value is compared with."]
    }
    assert refusal(journey=journey, stage=setup, event_name="X", property_key='say "hi"') == {
        "property_key": ["A property name can't contain double quotes."]
    }
    assert refusal(journey=journey, stage=setup, event_name="X", survey_kind="nps") == {
        "survey_kind": ["Only survey rules choose a kind or a touchpoint."]
    }
    assert refusal(journey=journey, stage=setup, source="purchase", event_name="X") == {
        "event_name": ["Only event rules name an event or a property."]
    }
    rule = position_rule_create(
        journey=journey, stage=setup, source="survey", survey_touchpoint=onboarding.wizard
    )
    assert str(rule) == "a survey answer about Setup wizard → Set up"


def test_a_rule_exists_once(onboarding):
    journey, signup = onboarding.journey, onboarding.signup
    assert refusal(journey=journey, stage=signup, event_name="Signed up") == {
        "__all__": ["This journey has this rule already."]
    }
    # The same record may mark another place, or the same place with another condition.
    position_rule_create(journey=journey, stage=onboarding.setup, event_name="Signed up")
    position_rule_create(journey=journey, stage=signup, event_name="Signed up", property_key="plan")
    with transaction.atomic(), pytest.raises(IntegrityError):  # the database says so too
        PositionRule.objects.create(journey=journey, stage=onboarding.activate, source="purchase")
