"""The demo's job state machine: onboarding new hires, from the signed contract to a
productive first week. States stay unmapped; journeys map them to their stages."""

from django.db import transaction

from engage.models import Job, User, Workspace
from journeys.models import JobState

from . import services

STATES = [
    "Contract signed",
    "Accounts provisioned",
    "First login",
    "Learning the basics",
    "First payroll run",
    "Productive",
]
# (from, to or None to end the job, kind, what the customer needs to move on)
TRANSITIONS = [
    (0, 1, "service", "IT gets the start date and role in time"),
    (0, 1, "spawn", "Accounts and a laptop set up before day one"),
    (0, None, "cancel", "The new hire withdraws before day one"),
    (1, 2, "information", "Welcome email with the login link"),
    (2, 2, "blocker", "Waiting for IT: single sign-on rejects the account"),
    (2, 3, "service", "A guided tour of the first tasks"),
    (3, 4, "information", "Checklist: bank details and tax code"),
    (4, 3, "blocker", "Payslip wrong: waits for HR to correct it"),
    (4, 5, "service", "Payslip on time and right"),
    (5, None, "done", "Their manager sees them work unaided"),
]


def _onboarding_job(workspace: Workspace) -> Job | None:
    jobs = Job.objects.in_workspace(workspace)
    return (
        jobs.filter(verb__iexact="onboard", object__iexact="new hires").first()
        or jobs.filter(object__icontains="new hires").first()
    )


@transaction.atomic
def seed_machine(workspace: Workspace, user: User) -> None:
    """Give the onboarding job its machine, unless it has states already."""
    job = _onboarding_job(workspace)
    if job is None or JobState.objects.filter(job=job).exists():
        return
    side_job = (
        Job.objects.in_workspace(workspace).filter(verb__iexact="provision").exclude(pk=job.pk)
    ).first()
    states = [services.state_add(job=job, name=name) for name in STATES]
    for source, target, kind, label in TRANSITIONS:
        if kind == "spawn" and side_job is None:
            continue
        services.transition_add(
            source=states[source],
            target=None if target is None else states[target],
            kind=kind,
            label=label,
            spawns=side_job if kind == "spawn" else None,
        )
