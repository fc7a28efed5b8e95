"""A journey's Customers page: the funnel over a period, each stage's customers now (and
who is behind or stuck), its expected times set by hand beside what customers took, the
rules that place customers on the journey, and what happens when they stall.

Facilitators and owners edit; the forms post and redirect back to their section.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import ValidationError as FormError
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from engage.access import workspace_access
from engage.broker import BrokerUnavailable
from engage.roles import Capability
from journeys import services as journey_services
from journeys.mix import journey_mix
from journeys.models import Channel, JobState, Journey, Stage
from metrics import charts
from metrics.calculations import ChannelMix
from metrics.models import (
    LearnedDuration,
    OrchestrationRule,
    PositionRule,
    PositionRun,
)
from metrics.selectors.measures import stage_interactions
from metrics.selectors.positions import (
    PlaceCount,
    journey_funnel,
    learned_durations,
    stage_counts,
    stalled_positions,
)
from metrics.services import alerts as alert_services
from metrics.services.position_rules import position_rule_create
from metrics.services.position_runs import PositionsBusy, position_run_request
from metrics.views.filters import PERIODS, window
from metrics.views.journey_forms import (
    OrchestrationRuleForm,
    PeriodForm,
    PositionRuleForm,
    ThresholdsForm,
    endpoint_choices,
    place_choices,
    resolve_place,
    touchpoints_of,
)
from metrics.views.okr_forms import owner_choices

CHANNELS = dict(Channel.choices)
STALLED_SHOWN = 8  # customers listed per stage; the inbox has them all


@dataclass
class StageRow:
    stage: Stage
    count: PlaceCount | None
    learned: LearnedDuration | None
    stalled: list
    measured: ChannelMix | None  # the events customers sent while here
    designed: float | None  # the digital share of the stage's touchpoints
    form: ThresholdsForm | None = None

    @property
    def main_channels(self) -> list[tuple[str, float]]:
        channels = self.measured.channels[:3] if self.measured else ()
        return [(CHANNELS.get(c.channel, c.channel), c.percent) for c in channels]


def _journey(request, pk) -> Journey:
    return get_object_or_404(
        Journey.objects.select_related("canvas__persona"), workspace=request.workspace, pk=pk
    )


def _choices(journey: Journey):
    stages = list(journey.stages.current())
    states = JobState.objects.filter(job__workspace=journey.workspace_id).select_related("job")
    return stages, place_choices(stages, states.order_by("job", "position", "pk"))


def page_context(request, journey: Journey, **bound) -> dict:
    period_form = PeriodForm(request.GET or None)
    data = period_form.cleaned_data if period_form.is_valid() else {}
    period = data.get("period") or "all"
    start, end, _previous = window(period, data.get("start"), data.get("end"), timezone.localdate())
    stages, places = _choices(journey)
    funnel = journey_funnel(journey, start=start, end=end)
    counts, learned = stage_counts(journey), learned_durations(journey)
    measured = stage_interactions(
        request.workspace, [stage.pk for stage in stages], start=start, end=end
    )
    designed = {row.stage.pk: row.counts.share for row in journey_mix(journey).stages}
    can_edit = request.membership.can(Capability.EDIT)
    rows = []
    for stage in stages:
        count = counts.get(stage.pk)
        stalled = []
        if count and (count.behind or count.stuck):
            stalled = list(stalled_positions(stage)[:STALLED_SHOWN])
        form = None
        if can_edit:
            form = bound.get(f"thresholds-{stage.pk}") or ThresholdsForm(
                initial={
                    "version": stage.version,
                    "expected_hours": stage.expected_hours,
                    "stuck_hours": stage.stuck_hours,
                    "expected_from": stage.expected_from,
                },
                auto_id=f"stage-{stage.pk}-%s",
            )
        rows.append(
            StageRow(
                stage,
                count,
                learned.get(stage.pk),
                stalled,
                measured.get(stage.pk),
                designed.get(stage.pk),
                form,
            )
        )
    context = {
        "journey": journey,
        "period_form": period_form,
        "period_label": dict(PERIODS)[period],
        "window": (start, end),
        "funnel": funnel,
        "funnel_chart": charts.funnel_chart(funnel),
        "rows": rows,
        "position_rules": PositionRule.objects.filter(journey=journey).select_related(
            "stage", "job_state__job", "touchpoint", "survey_touchpoint"
        ),
        "orchestration_rules": OrchestrationRule.objects.filter(stage__journey=journey)
        .select_related("stage", "assignee", "webhook")
        .order_by("stage__position", "pk"),
        "last_run": PositionRun.objects.filter(workspace=request.workspace).first(),
        "can_edit": can_edit,
    }
    if can_edit:
        members = owner_choices(request.workspace)
        touchpoints = list(touchpoints_of(journey))
        context["position_rule_form"] = bound.get("position-rule") or PositionRuleForm(
            places=places, touchpoints=touchpoints, auto_id="position-rule-%s"
        )
        context["orchestration_rule_form"] = bound.get(
            "orchestration-rule"
        ) or OrchestrationRuleForm(
            places=places[:1],
            members=members,
            endpoints=endpoint_choices(request.workspace),
            auto_id="orchestration-rule-%s",
        )
    return context


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def journey_customers(request, journey):
    journey = _journey(request, journey)
    return TemplateResponse(
        request, "metrics/journey_customers.html", page_context(request, journey)
    )


def _back(request, journey: Journey, section: str, done: str):
    messages.success(request, done)
    url = reverse("metrics:journey_customers", args=[request.workspace.slug, journey.pk])
    return redirect(f"{url}#{section}")


def _refused(request, journey: Journey, **bound):
    return TemplateResponse(
        request, "metrics/journey_customers.html", page_context(request, journey, **bound)
    )


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def positions_recompute(request, journey):
    journey = _journey(request, journey)
    try:
        position_run_request(workspace=request.workspace, enqueue=True)
    except PositionsBusy as busy:
        messages.info(request, str(busy))
        return redirect("metrics:journey_customers", request.workspace.slug, journey.pk)
    except BrokerUnavailable as down:
        messages.error(request, str(down))
        return redirect("metrics:journey_customers", request.workspace.slug, journey.pk)
    return _back(request, journey, "stages", "Placing customers on the journeys now.")


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def stage_thresholds(request, stage):
    stage = get_object_or_404(
        Stage.objects.current().select_related("journey__canvas"),
        journey__workspace=request.workspace,
        pk=stage,
    )
    form = ThresholdsForm(request.POST, auto_id=f"stage-{stage.pk}-%s")
    if form.is_valid():
        try:
            journey_services.stage_thresholds_set(
                stage=stage,
                actor=request.user,
                expected_version=form.cleaned_data.pop("version"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _refused(request, stage.journey, **{f"thresholds-{stage.pk}": form})
    return _back(request, stage.journey, f"stage-{stage.pk}", f"Times of “{stage.name}” saved.")


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def position_rule_add(request, journey):
    journey = _journey(request, journey)
    _stages, places = _choices(journey)
    touchpoints = list(touchpoints_of(journey))
    form = PositionRuleForm(
        request.POST, places=places, touchpoints=touchpoints, auto_id="position-rule-%s"
    )
    if form.is_valid():
        data = form.cleaned_data
        by_pk = {t.pk: t for t in touchpoints}
        try:
            position_rule_create(
                journey=journey,
                **resolve_place(journey, data["place"]),
                source=data["source"],
                event_name=data["event_name"],
                property_key=data["property_key"],
                property_value=data["property_value"],
                survey_kind=data["survey_kind"],
                survey_touchpoint=by_pk.get(data["survey_touchpoint"]),
                touchpoint=by_pk.get(data["touchpoint"]),
            )
        except (ValidationError, FormError) as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
    if not form.is_valid():
        return _refused(request, journey, **{"position-rule": form})
    return _back(
        request, journey, "position-rules", "Rule added: the next pass places customers by it."
    )


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def position_rule_remove(request, position_rule):
    rule = get_object_or_404(
        PositionRule.objects.select_related("journey"),
        journey__workspace=request.workspace,
        pk=position_rule,
    )
    rule.delete()
    return _back(request, rule.journey, "position-rules", "Rule removed.")


def _orchestration_fields(journey, data) -> dict:
    return {
        **resolve_place(journey, data["place"]),
        "trigger": data["trigger"],
        "assignee": data["assignee"],
        "email_owner": data["email_owner"],
        "webhook": data["webhook"],
        "nudge": data["nudge"],
        "nudge_subject": data["nudge_subject"],
        "nudge_body": data["nudge_body"],
        "active": data["active"],
    }


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def orchestration_rule_add(request, journey):
    journey = _journey(request, journey)
    _stages, places = _choices(journey)
    form = OrchestrationRuleForm(
        request.POST,
        places=places[:1],
        members=owner_choices(request.workspace),
        endpoints=endpoint_choices(request.workspace),
        auto_id="orchestration-rule-%s",
    )
    if form.is_valid():
        try:
            alert_services.orchestration_rule_create(
                workspace=request.workspace,
                actor=request.user,
                **_orchestration_fields(journey, form.cleaned_data),
            )
        except (ValidationError, FormError) as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _refused(request, journey, **{"orchestration-rule": form})
    return _back(request, journey, "orchestration-rules", "Rule added.")


def _orchestration_rule(request, pk) -> OrchestrationRule:
    return get_object_or_404(
        OrchestrationRule.objects.select_related("stage__journey"),
        workspace=request.workspace,
        stage__isnull=False,
        pk=pk,
    )


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def orchestration_rule_change(request, rule):
    rule = _orchestration_rule(request, rule)
    journey = rule.stage.journey
    data = request.POST
    try:
        alert_services.orchestration_rule_change(
            rule=rule,
            expected_version=int(data.get("version") or 0),
            trigger=rule.trigger,
            assignee=rule.assignee_id,
            email_owner=rule.email_owner,
            webhook=rule.webhook_id,
            nudge=rule.nudge,
            nudge_subject=rule.nudge_subject,
            nudge_body=rule.nudge_body,
            active=data.get("active") == "on",
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(
            reverse("metrics:journey_customers", args=[request.workspace.slug, journey.pk])
            + "#orchestration-rules"
        )
    state = "on" if data.get("active") == "on" else "paused"
    return _back(request, journey, "orchestration-rules", f"Rule {state}.")


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def orchestration_rule_remove(request, rule):
    rule = _orchestration_rule(request, rule)
    journey = rule.stage.journey
    alert_services.orchestration_rule_remove(rule=rule)
    return _back(request, journey, "orchestration-rules", "Rule removed, with its alerts.")


def funnels_pack_html(workspace) -> str:
    """The "Journey funnels" section of a canvas pack: each journey that places customers."""
    journeys = Journey.objects.filter(workspace=workspace, position_rules__isnull=False)
    items = []
    for journey in journeys.distinct().select_related("canvas__persona").order_by("canvas__title"):
        funnel = journey_funnel(journey)
        counts = stage_counts(journey)
        items.append(
            {
                "journey": journey,
                "chart": charts.funnel_chart(funnel),
                "now": [{"stage": s.stage, "count": counts.get(s.stage.pk)} for s in funnel],
            }
        )
    context = {"workspace": workspace, "journeys": items, "generated_at": timezone.now()}
    return render_to_string("metrics/funnels_pack.html", context)
