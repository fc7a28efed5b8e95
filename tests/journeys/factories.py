"""Journey rows made directly, for tests that need a journey without going through services."""

import factory
from factory.django import DjangoModelFactory

from journeys.digital import is_digital_channel
from journeys.models import DataNeed, Journey, Stage, Touchpoint
from tests.canvases.factories import CanvasFactory
from tests.engage.factories import PersonaFactory

JOURNEY_MAP = "customer_journey_map"


class JourneyFactory(DjangoModelFactory):
    class Meta:
        model = Journey

    canvas = factory.SubFactory(
        CanvasFactory,
        type=JOURNEY_MAP,
        persona=factory.SubFactory(
            PersonaFactory,
            workspace=factory.SelfAttribute("..workspace"),
            created_by=factory.SelfAttribute("..created_by"),
        ),
    )
    workspace = factory.SelfAttribute("canvas.workspace")
    scenario = "First payroll run after signing"


class StageFactory(DjangoModelFactory):
    class Meta:
        model = Stage

    journey = factory.SubFactory(JourneyFactory)
    key = factory.Sequence(lambda n: f"s{n}")
    name = factory.Sequence(lambda n: f"Stage {n}")
    position = factory.Sequence(int)


class TouchpointFactory(DjangoModelFactory):
    class Meta:
        model = Touchpoint

    stage = factory.SubFactory(StageFactory)
    name = factory.Sequence(lambda n: f"Touchpoint {n}")
    channel = "email"
    is_digital = factory.LazyAttribute(lambda touchpoint: is_digital_channel(touchpoint.channel))
    position = factory.Sequence(int)


class DataNeedFactory(DjangoModelFactory):
    class Meta:
        model = DataNeed

    touchpoint = factory.SubFactory(TouchpointFactory)
    kind = DataNeed.Kind.PROFILE
    item = "Job title"
    source = "CRM contact record"


def journey_with(*stages, **journey_fields) -> Journey:
    """A journey with one stage per argument, each a list of its touchpoints' channels.

    A (channel, is_digital) pair overrides the digital flag: journey_with(["email"], [("chat", False)]).
    """
    journey = JourneyFactory(**journey_fields)
    for channels in stages:
        stage = StageFactory(journey=journey)
        for entry in channels:
            channel, digital = entry if isinstance(entry, tuple) else (entry, None)
            extra = {} if digital is None else {"is_digital": digital}
            TouchpointFactory(stage=stage, channel=channel, **extra)
    return journey
