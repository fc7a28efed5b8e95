import pytest

from engage.roles import Role


@pytest.fixture
def facilitator(member):
    return member(Role.FACILITATOR, user__name="Fay Facilitator")


@pytest.fixture
def alice(member):
    return member(Role.PARTICIPANT, user__name="Alice")


@pytest.fixture
def bob(member):
    return member(Role.PARTICIPANT, user__name="Bob")
