"""What of the journeys an export holds: journeys with their stages, touchpoints and data
needs, job state machines and ecosystem maps (their canvases come with canvases'), and
the state keys of canvas events that name them."""

from canvases.portability import register_state_key
from engage.portability import one, register
from journeys.models import (
    DataNeed,
    EcosystemDimension,
    EcosystemParty,
    JobState,
    JobTransition,
    Journey,
    Stage,
    Touchpoint,
)


def register_journeys() -> None:
    register(Journey)
    register(Stage)
    register(Touchpoint)
    register(DataNeed)
    register(JobState)
    register(JobTransition)
    register(EcosystemDimension)
    register(EcosystemParty)
    register_state_key("stage", one(Stage))
    register_state_key("touchpoint", one(Touchpoint))
    register_state_key("dimension", one(EcosystemDimension))
    register_state_key("party", one(EcosystemParty))
