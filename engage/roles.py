"""Workspace roles and what each may do.

Views ask for a capability, never for a role, so the table below is the single
place that says who may do what.
"""

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    FACILITATOR = "facilitator", "Facilitator"
    PARTICIPANT = "participant", "Participant"
    REVIEWER = "reviewer", "Reviewer"
    VIEWER = "viewer", "Viewer"


class Capability(models.TextChoices):
    VIEW = "view", "Read and download"
    PARTICIPATE = "participate", "Add and edit notes, vote"
    REVIEW = "review", "Record decisions and comment"
    EDIT = "edit", "Edit personas, jobs and canvases; run workshops"
    MANAGE = "manage", "Manage members, invitations and the workspace"


CAPABILITIES: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(Capability.values),
    Role.FACILITATOR: frozenset(
        {Capability.VIEW, Capability.PARTICIPATE, Capability.REVIEW, Capability.EDIT}
    ),
    Role.PARTICIPANT: frozenset({Capability.VIEW, Capability.PARTICIPATE}),
    Role.REVIEWER: frozenset({Capability.VIEW, Capability.REVIEW}),
    Role.VIEWER: frozenset({Capability.VIEW}),
}

ROLE_DESCRIPTIONS = {
    Role.OWNER: "Everything, including members, invitations and deleting the workspace.",
    Role.FACILITATOR: "Runs workshops and edits personas, jobs and every canvas.",
    Role.PARTICIPANT: "Adds and edits notes and votes on canvases.",
    Role.REVIEWER: "Product owner: reads everything, records decisions and comments.",
    Role.VIEWER: "Reads and downloads only.",
}


def role_can(role: str, capability: str) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())
