"""Every write to the core domain goes through these functions."""

from .people import (
    job_create,
    job_delete,
    job_update,
    persona_create,
    persona_delete,
    persona_update,
    segment_create,
    segment_delete,
    segment_update,
)
from .workspaces import (
    LastOwnerError,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    invitation_send_email,
    membership_change_role,
    membership_remove,
    user_sign_up,
    workspace_create,
    workspace_delete,
    workspace_update,
)

__all__ = [
    "LastOwnerError",
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
    "invitation_send_email",
    "job_create",
    "job_delete",
    "job_update",
    "membership_change_role",
    "membership_remove",
    "persona_create",
    "persona_delete",
    "persona_update",
    "segment_create",
    "segment_delete",
    "segment_update",
    "user_sign_up",
    "workspace_create",
    "workspace_delete",
    "workspace_update",
]
