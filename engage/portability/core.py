"""What of the core domain an export holds: the workspace, its members' roles (by email),
segments, personas with their images, and jobs with the personas they serve."""

from engage.models import Invitation, Job, Membership, Persona, Segment, Transfer, Workspace
from engage.roles import Role

from .registry import leave_out, register


def _membership(membership: Membership, context) -> None:
    """Whoever imports owns the new workspace, whatever their role in the file."""
    if membership.user_id == context.owner.pk:
        membership.role = Role.OWNER


def register_core() -> None:
    register(Workspace, omit=("slug",))  # a new one, unique here, from the name
    register(Membership, on_import=_membership)
    register(Segment)
    register(Persona)
    register(Job)
    register(Job.personas.through)
    leave_out(Invitation, "links to join the source workspace: invite people again")
    leave_out(Transfer, "the exports and imports themselves")
