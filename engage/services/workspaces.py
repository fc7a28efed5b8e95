from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from engage.broker import require_broker
from engage.models import Invitation, Membership, User, Workspace
from engage.roles import Role


class LastOwnerError(ValidationError):
    """Raised when a change would leave a workspace without an owner."""


def user_sign_up(*, email: str, name: str, password: str) -> User:
    email = User.objects.normalize_email(email).lower()
    return User.objects.create_user(username=email, email=email, name=name, password=password)


def unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "workspace"
    slug, n = base, 1
    while Workspace.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def workspace_create(
    *, name: str, created_by: User, customer_organisation: str = "", description: str = ""
) -> Workspace:
    workspace = Workspace.objects.create(
        name=name,
        slug=unique_slug(name),
        customer_organisation=customer_organisation,
        description=description,
        created_by=created_by,
    )
    Membership.objects.create(workspace=workspace, user=created_by, role=Role.OWNER)
    return workspace


def workspace_update(
    *, workspace: Workspace, name: str, customer_organisation: str, description: str
) -> Workspace:
    workspace.name = name
    workspace.customer_organisation = customer_organisation
    workspace.description = description
    workspace.full_clean()
    workspace.save(update_fields=["name", "customer_organisation", "description", "updated_at"])
    return workspace


def workspace_delete(*, workspace: Workspace) -> None:
    workspace.delete()


def _other_owners(membership: Membership):
    return Membership.objects.filter(workspace=membership.workspace_id, role=Role.OWNER).exclude(
        pk=membership.pk
    )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError(f"Unknown role: {role}.")
    # Lock the workspace's owner rows so two owners demoting each other can't both succeed.
    list(
        Membership.objects.select_for_update().filter(
            workspace=membership.workspace_id, role=Role.OWNER
        )
    )
    if (
        membership.role == Role.OWNER
        and role != Role.OWNER
        and not _other_owners(membership).exists()
    ):
        raise LastOwnerError("A workspace needs at least one owner: make someone else owner first.")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    list(
        Membership.objects.select_for_update().filter(
            workspace=membership.workspace_id, role=Role.OWNER
        )
    )
    if membership.role == Role.OWNER and not _other_owners(membership).exists():
        raise LastOwnerError("The last owner cannot be removed: make someone else owner first.")
    membership.delete()


def invitation_create(
    *,
    workspace: Workspace,
    role: str,
    created_by: User,
    single_use: bool = False,
    email: str = "",
    valid_for_days: int = 14,
    accept_url_for=None,
) -> Invitation:
    """Create an invite; with an email address, send the link once the row is committed.

    `accept_url_for(invitation)` builds the absolute link; the caller knows the host.
    """
    from engage.tasks import send_invitation_email

    if email and accept_url_for is not None:
        require_broker()  # the mail goes out from a worker
    invitation = Invitation.objects.create(
        workspace=workspace,
        role=role,
        created_by=created_by,
        single_use=single_use or bool(email),
        email=email,
        expires_at=timezone.now() + timedelta(days=valid_for_days),
    )
    if email and accept_url_for is not None:
        url = accept_url_for(invitation)
        transaction.on_commit(lambda: send_invitation_email.delay(invitation.pk, url))
    return invitation


def invitation_send_email(*, invitation: Invitation, accept_url: str) -> None:
    context = {"invitation": invitation, "accept_url": accept_url}
    send_mail(
        subject=f"You're invited to {invitation.workspace.name} on Engage",
        message=render_to_string("engage/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_revoke(*, invitation: Invitation) -> Invitation:
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the workspace; an existing member keeps their current role."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    existing = Membership.objects.filter(workspace=invitation.workspace_id, user=user).first()
    if existing:
        return existing
    if not invitation.is_usable:
        raise ValidationError(
            f"This invitation is {invitation.status}. Ask the owner for a new link."
        )
    invitation.times_used += 1
    invitation.save(update_fields=["times_used"])
    return Membership.objects.create(
        workspace=invitation.workspace, user=user, role=invitation.role
    )
