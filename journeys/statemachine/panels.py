"""What the machine's templates need: the page, the job detail panel and the trace step."""

from engage.models import Job
from engage.roles import Capability
from journeys.measures import job_links, state_presence

from .layout import KINDS
from .selectors import Machine, job_machine
from .services import workspace_stages

KIND_CHOICES = [(kind, style) for kind, style in KINDS.items()]


def machine_context(
    request, machine: Machine, *, editing: bool = False, uid: str = "machine"
) -> dict:
    """The drawing and checks for everyone; the edit forms' choices only for editors."""
    can_edit = editing and request.membership.can(Capability.EDIT)
    context = {
        "uid": f"{uid}-{machine.job.pk}",
        "job": machine.job,
        "machine": machine,
        "layout": machine.layout if machine.states else None,
        "can_edit": can_edit,
        "kinds": KIND_CHOICES,
    }
    if can_edit:
        workspace = machine.job.workspace_id
        context["stages"] = list(workspace_stages(workspace).select_related("journey__canvas"))
        context["side_jobs"] = list(
            Job.objects.filter(workspace_id=workspace)
            .exclude(pk=machine.job.pk)
            .only("id", "verb", "object", "context")
        )
    return context


def customers_context(machine: Machine) -> dict:
    """What a higher app tells of the customers doing the job: links to its pages, and per
    state how many customers are there now (`presence`: (state, presence or None) in the
    machine's order; empty while nobody is placed in any state)."""
    presence = state_presence(machine.job) if machine.states else {}
    return {
        "job_links": job_links(machine.job),
        "presence": [(s, presence.get(s.pk)) for s in machine.states] if presence else [],
    }


def job_panel(request, job: Job) -> dict:
    """The job detail page's summary: how many states, and whether the machine is sound."""
    machine = job_machine(job)
    return {"job": job, "machine": machine}


def trace_panel(request, job: Job) -> dict:
    return machine_context(request, job_machine(job), uid="trace-machine")
