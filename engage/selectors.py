from django.core import signing
from django.db.models import Count, Prefetch

from engage.models import Invitation, Job, Membership, Persona, Segment, Workspace
from engage.models.people import AvatarColour

INVITATION_SALT = "engage.invitation"


def invitation_signed_token(invitation: Invitation) -> str:
    """The same link every time (no timestamp): expiry lives on the invitation row."""
    return signing.Signer(salt=INVITATION_SALT).sign(str(invitation.token))


def invitation_from_signed_token(signed: str) -> Invitation | None:
    """The invitation a link points at, or None if the link was altered."""
    try:
        token = signing.Signer(salt=INVITATION_SALT).unsign(signed)
    except signing.BadSignature:
        return None
    return Invitation.objects.select_related("workspace", "created_by").filter(token=token).first()


def workspaces_for_user(user):
    return (
        Workspace.objects.visible_to(user)
        .annotate(
            persona_count=Count("personas", distinct=True),
            job_count=Count("jobs", distinct=True),
            member_count=Count("memberships", distinct=True),
        )
        .order_by("name")
    )


def role_in(workspace_ids, user) -> dict[int, str]:
    return dict(
        Membership.objects.filter(workspace__in=workspace_ids, user=user).values_list(
            "workspace_id", "role"
        )
    )


# Django drops Meta.ordering from queries that aggregate, so annotated lists order explicitly.
def personas_for_workspace(workspace: Workspace):
    return (
        Persona.objects.in_workspace(workspace)
        .select_related("segment")
        .annotate(job_count=Count("jobs"))
        .order_by("name")
    )


def jobs_for_workspace(workspace: Workspace):
    return (
        Job.objects.in_workspace(workspace)
        .select_related("parent")
        .prefetch_related(Prefetch("personas", queryset=Persona.objects.only("id", "name")))
        .annotate(child_count=Count("children"))
        .order_by("verb", "object")
    )


def segments_for_workspace(workspace: Workspace):
    return (
        Segment.objects.in_workspace(workspace)
        .annotate(persona_count=Count("personas"))
        .order_by("name")
    )


def members_of(workspace: Workspace):
    return Membership.objects.filter(workspace=workspace).select_related("user")


def invitations_of(workspace: Workspace):
    return Invitation.objects.filter(workspace=workspace).select_related("created_by")


def job_tree(workspace: Workspace) -> list[tuple[Job, int]]:
    """All jobs, each bigger job followed by its smaller ones, with their depth; one query."""
    jobs = list(jobs_for_workspace(workspace))
    children: dict[int | None, list[Job]] = {}
    for job in jobs:
        children.setdefault(job.parent_id, []).append(job)
    ordered: list[tuple[Job, int]] = []
    seen: set[int] = set()

    def walk(parent_id, depth):
        for job in children.get(parent_id, []):
            if job.pk not in seen:
                seen.add(job.pk)
                ordered.append((job, depth))
                walk(job.pk, depth + 1)

    walk(None, 0)
    ordered.extend((job, 0) for job in jobs if job.pk not in seen)  # loops made outside the app
    return ordered


def next_avatar_colour(workspace: Workspace) -> str:
    """Cycle through the palette so neighbouring personas don't look alike."""
    palette = AvatarColour.values
    return palette[Persona.objects.filter(workspace=workspace).count() % len(palette)]
