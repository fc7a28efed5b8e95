"""A job's state machine on paper, and the pack section with every job's machine."""

from django.template.loader import render_to_string
from django.utils import timezone

from canvases.pdf import render_document
from engage.models import Workspace

from .panels import KIND_CHOICES
from .selectors import Machine, jobs_with_machines

STYLES = ("css/print.css",)  # the template links css/machines.css itself, for the pack too


def _context(machines: list[Machine]) -> list[dict]:
    return [
        {
            "uid": f"machine-{machine.job.pk}",
            "job": machine.job,
            "machine": machine,
            "layout": machine.layout if machine.states else None,
            "kinds": KIND_CHOICES,
        }
        for machine in machines
    ]


def render_machine_pdf(machine: Machine) -> bytes:
    html = render_to_string(
        "journeys/machines/pdf.html",
        {
            "title": f"State machine: {machine.job.statement}",
            "workspace": machine.job.workspace,
            "sections": _context([machine]),
            "generated_at": timezone.now(),
        },
    )
    return render_document(html, STYLES).write_pdf()


def render_pack_section(workspace: Workspace) -> str:
    """Registered as the pack section "Job state machines": one page or more per job."""
    return render_to_string(
        "journeys/machines/pdf.html",
        {
            "title": "Job state machines",
            "workspace": workspace,
            "sections": _context(jobs_with_machines(workspace)),
            "generated_at": timezone.now(),
            "empty": "No job has a state machine yet.",
        },
    )
