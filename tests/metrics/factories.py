"""Engagement rows made directly: customers and their timelines of records."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from metrics.models import (
    Alert,
    Customer,
    InteractionEvent,
    OrchestrationRule,
    Purchase,
    SurveyResponse,
)
from tests.engage.factories import WorkspaceFactory


class CustomerFactory(DjangoModelFactory):
    class Meta:
        model = Customer

    workspace = factory.SubFactory(WorkspaceFactory)
    external_id = factory.Sequence(lambda n: f"customer-{n}")
    created_at = factory.LazyFunction(timezone.now)


class EventFactory(DjangoModelFactory):
    class Meta:
        model = InteractionEvent

    customer = factory.SubFactory(CustomerFactory)
    workspace = factory.SelfAttribute("customer.workspace")
    event = "Signed in"
    timestamp = factory.LazyFunction(timezone.now)
    message_id = factory.Sequence(lambda n: f"message-{n}")


class SurveyResponseFactory(DjangoModelFactory):
    class Meta:
        model = SurveyResponse

    customer = factory.SubFactory(CustomerFactory)
    workspace = factory.SelfAttribute("customer.workspace")
    kind = "nps"
    score = 9
    answered_at = factory.LazyFunction(timezone.now)


class PurchaseFactory(DjangoModelFactory):
    class Meta:
        model = Purchase

    customer = factory.SubFactory(CustomerFactory)
    workspace = factory.SelfAttribute("customer.workspace")
    purchased_at = factory.LazyFunction(timezone.now)
    amount = 100


class OrchestrationRuleFactory(DjangoModelFactory):
    class Meta:
        model = OrchestrationRule

    workspace = factory.SubFactory(WorkspaceFactory)
    stage = None
    trigger = "stuck"


class AlertFactory(DjangoModelFactory):
    """An open alert at a stage (give `stage`: the rule and the customer follow it)."""

    class Meta:
        model = Alert

    workspace = factory.SubFactory(WorkspaceFactory)
    rule = factory.SubFactory(
        OrchestrationRuleFactory,
        workspace=factory.SelfAttribute("..workspace"),
        stage=factory.SelfAttribute("..stage"),
    )
    customer = factory.SubFactory(CustomerFactory, workspace=factory.SelfAttribute("..workspace"))
    health = "stuck"
    spell_since = factory.LazyFunction(timezone.now)
    created_at = factory.LazyFunction(timezone.now)
