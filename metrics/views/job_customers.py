"""A job's Customers page: how many customers reached each state of the job's machine and
moved on, the customers in each state now (and who is behind or stuck), its expected times
set by hand beside what customers took, the position rules that place customers there, and
what happens when they stall.

Everyone in the workspace reads; facilitators and owners change. Every change posts to the
page with an `action`, as the job's state machine page does: a refused form comes back with
its errors, anything else redirects to its section with a message.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from engage.access import workspace_access
from engage.broker import BrokerUnavailable
from engage.models import Job
from engage.roles import Capability
from journeys.models import JobState, Journey
from journeys.statemachine.services import job_state_thresholds_set
from metrics.models import OrchestrationRule, PositionRule, PositionRun
from metrics.selectors.positions import (
    PlaceCount,
    StatePath,
    job_path,
    job_state_counts,
    stalled_positions,
)
from metrics.services import alerts as alert_services
from metrics.services.position_runs import PositionsBusy, position_run_request
from metrics.views.journey_forms import OrchestrationRuleForm, ThresholdsForm, endpoint_choices
from metrics.views.okr_forms import owner_choices

TEMPLATE = "metrics/job_customers.html"
STALLED_SHOWN = 8  # customers listed per state; the inbox has them all
NUDGE_HELP = "Plain text; {name}, {stage} (the state) and {journey} (the job) are filled in."


@dataclass
class StateRow:
    path: StatePath
    count: PlaceCount | None
    stalled: list
    form: ThresholdsForm | None
    ruled: bool  # a position rule places customers here

    @property
    def state(self) -> JobState:
        return self.path.state


@dataclass(frozen=True)
class Done:
    message: str
    section: str
    level: int = messages.SUCCESS


def _thresholds_form(state: JobState, data=None) -> ThresholdsForm:
    initial = {
        "version": state.version,
        "expected_hours": state.expected_hours,
        "stuck_hours": state.stuck_hours,
        "expected_from": state.expected_from,
    }
    return ThresholdsForm(data, initial=initial, auto_id=f"state-{state.pk}-%s")


def _rule_form(job: Job, states, data=None) -> OrchestrationRuleForm:
    form = OrchestrationRuleForm(
        data,
        places=[(f"States of “{job.statement}”", [(str(s.pk), s.name) for s in states])],
        members=owner_choices(job.workspace),
        endpoints=endpoint_choices(job.workspace),
        auto_id="orchestration-rule-%s",
    )
    form.fields["nudge_body"].help_text = NUDGE_HELP
    return form


def page_context(request, job: Job, **bound) -> dict:
    path, counts = job_path(job), job_state_counts(job)
    position_rules = list(
        PositionRule.objects.filter(job_state__job=job)
        .select_related("job_state", "journey__canvas", "survey_touchpoint")
        .order_by("job_state__position", "job_state", "pk")
    )
    ruled = {rule.job_state_id for rule in position_rules}
    can_edit = request.membership.can(Capability.EDIT)
    rows = []
    for step in path:
        count = counts.get(step.state.pk)
        stalled = []
        if count and (count.behind or count.stuck):
            stalled = list(stalled_positions(step.state)[:STALLED_SHOWN])
        form = None
        if can_edit:
            form = bound.get(f"thresholds-{step.state.pk}") or _thresholds_form(step.state)
        rows.append(StateRow(step, count, stalled, form, step.state.pk in ruled))
    context = {
        "job": job,
        "rows": rows,
        "most_reached": max((step.reached for step in path), default=0),
        "position_rules": position_rules,
        "orchestration_rules": OrchestrationRule.objects.filter(job_state__job=job)
        .select_related("job_state", "assignee", "webhook")
        .order_by("job_state__position", "job_state", "pk"),
        "last_run": PositionRun.objects.filter(workspace=request.workspace).first(),
        "can_edit": can_edit,
    }
    if can_edit:
        context["journeys"] = Journey.objects.filter(workspace=request.workspace).select_related(
            "canvas"
        )
        if path:
            states = [step.state for step in path]
            context["orchestration_rule_form"] = bound.get("orchestration-rule") or _rule_form(
                job, states
            )
    return context


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _pk(data, name: str) -> int:
    value = data.get(name, "")
    if not value.isdigit():
        raise ValidationError("Choose what to change.")
    return int(value)


def times(request, job: Job):
    state = get_object_or_404(JobState.objects.filter(job=job), pk=_pk(request.POST, "state"))
    form = _thresholds_form(state, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            job_state_thresholds_set(
                state=state,
                expected_version=data["version"],
                expected_hours=data["expected_hours"],
                stuck_hours=data["stuck_hours"],
                expected_from=data["expected_from"],
            )
        except ValidationError as error:
            _add_errors(form, error)
    if not form.is_valid():
        return {f"thresholds-{state.pk}": form}
    return Done(
        f"Times of “{state.name}” saved: they apply from the next pass.", f"state-{state.pk}"
    )


def place(request, job: Job):
    try:
        position_run_request(workspace=request.workspace, enqueue=True)
    except PositionsBusy as busy:
        return Done(str(busy), "states", messages.INFO)
    except BrokerUnavailable as down:
        return Done(str(down), "states", messages.ERROR)
    return Done("Placing customers on the journeys and jobs now.", "states")


def position_rule_remove(request, job: Job):
    rule = get_object_or_404(
        PositionRule.objects.filter(job_state__job=job), pk=_pk(request.POST, "position_rule")
    )
    rule.delete()
    return Done("Rule removed.", "position-rules")


def rule_add(request, job: Job):
    states = {str(state.pk): state for state in JobState.objects.filter(job=job)}
    form = _rule_form(job, states.values(), request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            alert_services.orchestration_rule_create(
                workspace=request.workspace,
                actor=request.user,
                job_state=states[data["place"]],
                trigger=data["trigger"],
                assignee=data["assignee"],
                email_owner=data["email_owner"],
                webhook=data["webhook"],
                nudge=data["nudge"],
                nudge_subject=data["nudge_subject"],
                nudge_body=data["nudge_body"],
                active=data["active"],
            )
        except ValidationError as error:
            _add_errors(form, error)
    if not form.is_valid():
        return {"orchestration-rule": form}
    return Done("Rule added.", "orchestration-rules")


def _rule(request, job: Job) -> OrchestrationRule:
    return get_object_or_404(
        OrchestrationRule.objects.filter(workspace=request.workspace, job_state__job=job),
        pk=_pk(request.POST, "rule"),
    )


def rule_pause(request, job: Job):
    """Pause a rule, or resume it with `active=on`; nothing else of it changes."""
    rule, active = _rule(request, job), request.POST.get("active") == "on"
    alert_services.orchestration_rule_change(
        rule=rule,
        expected_version=_pk(request.POST, "version"),
        trigger=rule.trigger,
        assignee=rule.assignee_id,
        email_owner=rule.email_owner,
        webhook=rule.webhook_id,
        nudge=rule.nudge,
        nudge_subject=rule.nudge_subject,
        nudge_body=rule.nudge_body,
        active=active,
    )
    return Done("Rule on." if active else "Rule paused.", "orchestration-rules")


def rule_remove(request, job: Job):
    alert_services.orchestration_rule_remove(rule=_rule(request, job))
    return Done("Rule removed, with its alerts.", "orchestration-rules")


# action -> (its function, the section a refusal sends the page back to)
ACTIONS = {
    action.__name__: (action, section)
    for action, section in (
        (times, "states"),
        (place, "states"),
        (position_rule_remove, "position-rules"),
        (rule_add, "orchestration-rules"),
        (rule_pause, "orchestration-rules"),
        (rule_remove, "orchestration-rules"),
    )
}


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.VIEW, post=Capability.EDIT)
def job_customers(request, job):
    job = get_object_or_404(Job.objects.in_workspace(request.workspace), pk=job)
    bound = {}
    if request.method == "POST":
        url = reverse("metrics:job_customers", args=[request.workspace.slug, job.pk])
        action, section = ACTIONS.get(request.POST.get("action", ""), (None, ""))
        try:
            if action is None:
                raise ValidationError("Choose what to change.")
            outcome = action(request, job)
        except ValidationError as refused:
            outcome = Done(refused.messages[0], section, messages.ERROR)
        if isinstance(outcome, Done):
            messages.add_message(request, outcome.level, outcome.message)
            return redirect(f"{url}#{outcome.section}" if outcome.section else url)
        bound = outcome
    return TemplateResponse(request, TEMPLATE, page_context(request, job, **bound))
