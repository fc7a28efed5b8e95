"""A job's state machine page: the drawing, its checks, the states and their transitions.

Every action posts to the page itself; htmx gets the machine back redrawn in one partial,
a plain post is redirected to the page with a message.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from canvases.pdf import pdf_download
from engage.access import workspace_access
from engage.models import Job
from engage.roles import Capability
from journeys.models import JobState, JobTransition
from journeys.statemachine import forms, selectors, services
from journeys.statemachine.panels import customers_context, machine_context
from journeys.statemachine.pdf import render_machine_pdf


def _state(job, pk) -> JobState:
    return get_object_or_404(JobState.objects.filter(job=job), pk=pk)


def _transition(job, pk) -> JobTransition:
    return get_object_or_404(
        JobTransition.objects.filter(source__job=job).select_related("source"), pk=pk
    )


def _valid(form_class, data):
    form = form_class(data)
    if not form.is_valid():
        raise ValidationError(forms.first_error(form))
    return form.cleaned_data


def state_add(job, data):
    state = services.state_add(job=job, name=_valid(forms.StateAddForm, data)["name"])
    return f"Added “{state.name}”." + (" It is the start." if state.is_start else "")


def state_rename(job, data):
    data = _valid(forms.StateRenameForm, data)
    state = services.state_rename(
        state=_state(job, data["state"]), name=data["name"], expected_version=data["version"]
    )
    return f"Renamed to “{state.name}”."


def state_remove(job, data):
    state = _state(job, _valid(forms.StateForm, data)["state"])
    services.state_remove(state=state)
    note = " It was the start: choose a new one." if state.is_start else ""
    return f"Removed “{state.name}” and its transitions.{note}"


def state_start(job, data):
    state = services.state_set_start(state=_state(job, _valid(forms.StateForm, data)["state"]))
    return f"“{state.name}” is now the start."


def state_stage(job, data):
    data = _valid(forms.StateStageForm, data)
    state = services.state_map_stage(state=_state(job, data["state"]), stage=data["stage"])
    return f"“{state.name}” is mapped to {state.stage or 'no stage'}."


def transition_add(job, data):
    data = _valid(forms.TransitionAddForm, data)
    services.transition_add(
        source=_state(job, data["source"]),
        kind=data["kind"],
        label=data["label"],
        target=data["target"],
        spawns=data["spawns"],
    )
    return "Transition added."


def transition_change(job, data):
    data = _valid(forms.TransitionChangeForm, data)
    services.transition_change(
        transition=_transition(job, data["transition"]),
        expected_version=data["version"],
        kind=data["kind"],
        label=data["label"],
        target=data["target"],
        spawns=data["spawns"],
    )
    return "Transition saved."


def transition_remove(job, data):
    transition = _transition(job, _valid(forms.TransitionForm, data)["transition"])
    services.transition_remove(transition=transition)
    return "Transition removed."


ACTIONS = {
    action.__name__: action
    for action in (
        state_add,
        state_rename,
        state_remove,
        state_start,
        state_stage,
        transition_add,
        transition_change,
        transition_remove,
    )
}


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.VIEW, post=Capability.EDIT)
def job_machine(request, job):
    job = get_object_or_404(Job.objects.in_workspace(request.workspace), pk=job)
    done = error = ""
    if request.method == "POST":
        action = ACTIONS.get(request.POST.get("action", ""))
        try:
            if action is None:
                raise ValidationError("Choose what to change.")
            done = action(job, request.POST)
        except ValidationError as refused:
            error = refused.messages[0]
        if not request.htmx:
            (messages.success if done else messages.error)(request, done or error)
            return redirect("journeys:job_machine", request.workspace.slug, job.pk)
    machine = selectors.job_machine(job)
    context = {
        **machine_context(request, machine, editing=True),
        **customers_context(machine),
        "done": done,
        "error": error,
    }
    template = "journeys/machines/machine.html"
    if request.htmx and not request.htmx.boosted:
        template += "#machine"
    response = TemplateResponse(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def job_machine_pdf(request, job):
    job = get_object_or_404(Job.objects.in_workspace(request.workspace), pk=job)
    name = slugify(f"{job.verb} {job.object}") or "job"
    return pdf_download(render_machine_pdf(selectors.job_machine(job)), f"{name}-state-machine.pdf")
