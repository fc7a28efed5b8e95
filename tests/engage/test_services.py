import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from engage import selectors, services
from engage.models import Membership
from engage.roles import Role
from tests.engage.factories import (
    PASSWORD,
    InvitationFactory,
    JobFactory,
    PersonaFactory,
    SegmentFactory,
    UserFactory,
    WorkspaceFactory,
)

pytestmark = pytest.mark.django_db


def membership(workspace, user):
    return Membership.objects.get(workspace=workspace, user=user)


# --- Workspaces ---------------------------------------------------------------


def test_workspace_create_makes_the_creator_its_owner():
    user = UserFactory()

    workspace = services.workspace_create(name="Acme onboarding", created_by=user)

    assert workspace.slug == "acme-onboarding"
    assert membership(workspace, user).role == Role.OWNER


def test_workspaces_with_the_same_name_get_different_slugs():
    user = UserFactory()

    first = services.workspace_create(name="Acme onboarding", created_by=user)
    second = services.workspace_create(name="Acme onboarding", created_by=user)

    assert first.slug != second.slug
    assert second.slug.startswith("acme-onboarding")


# --- Memberships: a workspace always keeps an owner ------------------------------


def test_the_last_owner_cannot_be_demoted(workspace, owner):
    only_owner = membership(workspace, owner)

    with pytest.raises(services.LastOwnerError, match="at least one owner"):
        services.membership_change_role(membership=only_owner, role=Role.VIEWER)

    assert membership(workspace, owner).role == Role.OWNER


def test_the_last_owner_cannot_be_removed(workspace, owner):
    with pytest.raises(services.LastOwnerError, match="last owner"):
        services.membership_remove(membership=membership(workspace, owner))

    assert Membership.objects.filter(workspace=workspace, user=owner).exists()


def test_one_of_two_owners_can_step_down(workspace, owner, member):
    second_owner = member(Role.OWNER)

    services.membership_change_role(membership=membership(workspace, owner), role=Role.VIEWER)

    assert membership(workspace, owner).role == Role.VIEWER
    with pytest.raises(services.LastOwnerError):
        services.membership_change_role(
            membership=membership(workspace, second_owner), role=Role.VIEWER
        )


def test_one_of_two_owners_can_be_removed(workspace, owner, member):
    member(Role.OWNER)

    services.membership_remove(membership=membership(workspace, owner))

    assert not Membership.objects.filter(workspace=workspace, user=owner).exists()


def test_non_owners_can_be_removed_while_one_owner_remains(workspace, owner, member):
    viewer = member(Role.VIEWER)

    services.membership_remove(membership=membership(workspace, viewer))

    assert list(Membership.objects.filter(workspace=workspace)) == [membership(workspace, owner)]


# --- Invitations -----------------------------------------------------------------


def test_accepting_an_invitation_joins_with_its_role(workspace):
    invitation = InvitationFactory(workspace=workspace, role=Role.FACILITATOR)
    user = UserFactory()

    joined = services.invitation_accept(invitation=invitation, user=user)

    assert (joined.workspace, joined.user, joined.role) == (workspace, user, Role.FACILITATOR)
    invitation.refresh_from_db()
    assert invitation.times_used == 1


def test_a_reusable_invitation_counts_every_use(workspace):
    invitation = InvitationFactory(workspace=workspace)

    for _ in range(3):
        services.invitation_accept(invitation=invitation, user=UserFactory())

    invitation.refresh_from_db()
    assert invitation.times_used == 3
    assert workspace.memberships.count() == 3


def test_a_single_use_invitation_lets_in_one_person_only(workspace):
    invitation = InvitationFactory(workspace=workspace, single_use=True)
    services.invitation_accept(invitation=invitation, user=UserFactory())
    latecomer = UserFactory()

    with pytest.raises(ValidationError, match="This invitation is used"):
        services.invitation_accept(invitation=invitation, user=latecomer)

    assert not Membership.objects.filter(user=latecomer).exists()


@pytest.mark.parametrize(
    "state,changes",
    [
        ("revoked", {"revoked_at": timezone.now()}),
        ("expired", {"expires_at": timezone.now() - timedelta(minutes=1)}),
        ("used", {"single_use": True, "times_used": 1}),
    ],
)
def test_an_unusable_invitation_is_refused_with_its_reason(workspace, state, changes):
    invitation = InvitationFactory(workspace=workspace, **changes)
    user = UserFactory()

    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(invitation=invitation, user=user)

    assert refused.value.messages == [f"This invitation is {state}. Ask the owner for a new link."]
    assert not Membership.objects.filter(user=user).exists()


def test_an_existing_member_keeps_their_role_and_does_not_use_up_the_link(workspace, owner):
    invitation = InvitationFactory(workspace=workspace, role=Role.VIEWER, single_use=True)

    services.invitation_accept(invitation=invitation, user=owner)

    assert membership(workspace, owner).role == Role.OWNER
    invitation.refresh_from_db()
    assert invitation.times_used == 0


def test_a_signed_invitation_link_finds_its_invitation():
    invitation = InvitationFactory()

    token = selectors.invitation_signed_token(invitation)

    assert selectors.invitation_from_signed_token(token) == invitation


def test_a_tampered_invitation_link_finds_nothing():
    token = selectors.invitation_signed_token(InvitationFactory())
    other = selectors.invitation_signed_token(InvitationFactory())
    payload, signature = token.rsplit(":", 1)
    other_payload = other.rsplit(":", 1)[0]
    forged_signature = ("B" if signature[0] == "A" else "A") + signature[1:]

    assert selectors.invitation_from_signed_token(f"{payload}:{forged_signature}") is None
    assert selectors.invitation_from_signed_token(f"{other_payload}:{signature}") is None
    assert selectors.invitation_from_signed_token("not-a-token") is None


def test_a_raw_invitation_uuid_is_not_a_valid_link():
    """The link must be signed: knowing an invitation's UUID alone is not enough."""
    invitation = InvitationFactory()

    assert selectors.invitation_from_signed_token(str(invitation.token)) is None


# --- Jobs and personas stay inside their workspace ---------------------------------


def test_a_job_cannot_become_part_of_its_own_smaller_job(workspace, owner):
    bigger = services.job_create(workspace=workspace, created_by=owner, verb="Run", object="ops")
    smaller = services.job_create(
        workspace=workspace, created_by=owner, verb="Patch", object="servers", parent=bigger
    )

    with pytest.raises(ValidationError, match="cannot be part of itself"):
        services.job_update(job=bigger, parent=smaller)

    bigger.refresh_from_db()
    assert bigger.parent is None


def test_a_job_cannot_be_its_own_parent(workspace):
    job = JobFactory(workspace=workspace)

    with pytest.raises(ValidationError, match="cannot be part of itself"):
        services.job_update(job=job, parent=job)


def test_a_job_cannot_be_part_of_a_job_in_another_workspace(workspace, owner):
    foreign = JobFactory(workspace=WorkspaceFactory())

    with pytest.raises(ValidationError, match="Pick a job of this workspace"):
        services.job_create(
            workspace=workspace, created_by=owner, verb="Patch", object="servers", parent=foreign
        )

    assert not workspace.jobs.exists()


def test_a_persona_cannot_join_a_segment_of_another_workspace(workspace, owner):
    foreign = SegmentFactory(workspace=WorkspaceFactory())

    with pytest.raises(ValidationError, match="Pick a segment of this workspace"):
        services.persona_create(
            workspace=workspace, created_by=owner, name="Priya", segment=foreign
        )

    persona = PersonaFactory(workspace=workspace)
    with pytest.raises(ValidationError, match="Pick a segment of this workspace"):
        services.persona_update(persona=persona, segment=foreign)

    assert list(workspace.personas.all()) == [persona]


# --- Accounts ----------------------------------------------------------------------


def test_sign_up_stores_the_email_in_lower_case():
    user = services.user_sign_up(email="Priya.Shah@Example.COM", name="Priya", password=PASSWORD)

    assert user.email == "priya.shah@example.com"
    assert user.check_password(PASSWORD)


def test_log_in_by_email_ignores_its_case(client):
    services.user_sign_up(email="priya@example.com", name="Priya", password=PASSWORD)

    assert client.login(username="PRIYA@Example.com", password=PASSWORD)
    assert not client.login(username="priya@example.com", password="wrong password")


def test_the_login_page_accepts_an_email_in_any_case(client):
    user = services.user_sign_up(email="Priya@Example.com", name="Priya", password=PASSWORD)

    response = client.post(
        reverse("login"), {"username": "PRIYA@EXAMPLE.COM", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("workspace_list")
    assert client.get(reverse("workspace_list")).context["user"] == user


def test_an_invitation_link_is_the_same_every_time_it_is_shown(workspace):
    """The emailed link and the one on the members page must match."""
    invitation = InvitationFactory(workspace=workspace)
    first = selectors.invitation_signed_token(invitation)
    with mock.patch("time.time", return_value=time.time() + 3600):
        later = selectors.invitation_signed_token(invitation)
    assert later == first
    assert selectors.invitation_from_signed_token(later) == invitation
