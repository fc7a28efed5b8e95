import pytest

from engage.roles import Role
from journeys import services
from tests.engage.factories import PersonaFactory


@pytest.fixture
def facilitator(member):
    return member(Role.FACILITATOR, user__name="Fay Facilitator")


@pytest.fixture
def alice(member):
    return member(Role.PARTICIPANT, user__name="Alice")


@pytest.fixture
def persona(workspace):
    return PersonaFactory(workspace=workspace, name="Priya Nair")


@pytest.fixture
def journey(workspace, persona, facilitator):
    """A journey made the way the page makes one: discover … get support."""
    return services.journey_create(
        workspace=workspace, persona=persona, scenario="First payroll run", actor=facilitator
    )
