import pytest

from canvases import services as canvas_services
from journeys import services
from tests.engage.factories import PersonaFactory


@pytest.fixture
def persona(workspace):
    return PersonaFactory(workspace=workspace, name="Priya Nair")


@pytest.fixture
def journey(workspace, persona, facilitator):
    """A journey made the way the page makes one: discover … get support."""
    return services.journey_create(
        workspace=workspace, persona=persona, scenario="First payroll run", actor=facilitator
    )


@pytest.fixture
def ecomap(workspace, facilitator):
    return canvas_services.canvas_create(
        workspace=workspace,
        type_slug="ecosystem_map",
        created_by=facilitator,
        title="Dana's ecosystem",
    )
