"""The workspace inbox: alerts raised when customers stall, to assign and resolve with a
note, and the contact policy nudges follow.

Assigning and resolving answer htmx with the alert's row (or the row's errors); without
JavaScript they redirect back to the inbox with its filters.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from engage.access import workspace_access
from engage.models import Job
from engage.roles import Capability
from journeys.models import Journey
from metrics.models import Alert, ContactPolicy, Health
from metrics.selectors.alerts import InboxFilters, inbox_alerts, inbox_counts
from metrics.services import alerts as services

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})


class FilterForm(forms.Form):
    status = forms.ChoiceField(choices=Alert.Status.choices, required=False)
    journey = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, widget=SELECT)
    job = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, widget=SELECT)
    health = forms.ChoiceField(
        choices=[("", "Behind or stuck"), (Health.BEHIND, "Behind"), (Health.STUCK, "Stuck")],
        required=False,
        widget=SELECT,
    )
    assignee = forms.ChoiceField(required=False, widget=SELECT)

    def __init__(self, *args, journeys, jobs, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["journey"].choices = [("", "All journeys"), *journeys]
        self.fields["job"].choices = [("", "All jobs"), *jobs]
        self.fields["assignee"].choices = [
            ("", "Anyone"),
            ("me", "Me"),
            ("nobody", "Nobody yet"),
            *((str(pk), name) for pk, name in members),
        ]


class PolicyForm(forms.ModelForm):
    class Meta:
        model = ContactPolicy
        fields = ["quiet_from", "quiet_until", "timezone", "max_nudges", "per_days"]
        widgets = {"quiet_from": TIME, "quiet_until": TIME}
        labels = {"max_nudges": "At most … nudges", "per_days": "in any … days"}


def _members(workspace) -> list[tuple[int, str]]:
    rows = workspace.memberships.select_related("user").order_by("user__name", "user__email")
    return [(m.user_id, m.user.display_name) for m in rows]


def _journeys(workspace) -> list[tuple[int, str]]:
    return list(
        Journey.objects.filter(workspace=workspace)
        .order_by("canvas__title")
        .values_list("pk", "canvas__title")
    )


def _jobs(workspace) -> list[tuple[int, str]]:
    """The jobs whose states customers can be in: those with a state machine."""
    jobs = Job.objects.in_workspace(workspace).filter(states__isnull=False).distinct()
    return [(job.pk, job.statement) for job in jobs.order_by("verb", "object", "pk")]


def inbox_context(request) -> dict:
    workspace = request.workspace
    members = _members(workspace)
    form = FilterForm(
        request.GET or None, journeys=_journeys(workspace), jobs=_jobs(workspace), members=members
    )
    data = form.cleaned_data if form.is_valid() else {}
    filters = InboxFilters(
        status=data.get("status") or Alert.Status.OPEN,
        journey=data.get("journey"),
        job=data.get("job"),
        health=data.get("health") or "",
        assignee=data.get("assignee") or "",
    )
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filters": form,
        "chosen": filters,
        "page": inbox_alerts(workspace, request.user, filters, page=request.GET.get("page", 1)),
        "counts": inbox_counts(workspace, request.user),
        "members": members,
        "query": query.urlencode(),
        "can_act": request.membership.can(Capability.PARTICIPATE),
        "can_manage": request.membership.can(Capability.MANAGE),
        "policy": ContactPolicy.objects.filter(workspace=workspace).first() or ContactPolicy(),
    }


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def inbox(request):
    context = inbox_context(request)
    if context["can_manage"]:
        context["policy_form"] = PolicyForm(instance=context["policy"])
    partial = "#alerts" if request.htmx and not request.htmx.boosted else ""
    response = TemplateResponse(request, f"metrics/inbox.html{partial}", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _alert(request, pk) -> Alert:
    return get_object_or_404(
        Alert.objects.select_related(
            "customer", "assignee", "rule", "stage__journey__canvas", "job_state__job"
        ),
        workspace=request.workspace,
        pk=pk,
    )


def _after_action(request, alert: Alert, *, error: str = "", done: str = ""):
    if request.htmx:
        alert.refresh_from_db()
        context = {
            "alert": alert,
            "members": _members(request.workspace),
            "can_act": True,
            "error": error,
            "done": done,
        }
        return TemplateResponse(request, "metrics/inbox.html#alert", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    url = reverse("metrics:inbox", args=[request.workspace.slug])
    query = request.POST.get("query", "")
    return redirect(f"{url}?{query}#alert-{alert.pk}" if query else f"{url}#alert-{alert.pk}")


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def alert_assign(request, alert):
    alert = _alert(request, alert)
    choice = request.POST.get("assignee", "")
    try:
        services.alert_assign(
            alert=alert,
            assignee=int(choice) if choice.isdigit() else None,
            expected_version=_version(request),
        )
    except ValidationError as error:
        return _after_action(request, alert, error=error.messages[0])
    return _after_action(request, alert, done="Assigned.")


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def alert_resolve(request, alert):
    alert = _alert(request, alert)
    try:
        services.alert_resolve(
            alert=alert,
            actor=request.user,
            note=request.POST.get("note", ""),
            expected_version=_version(request),
        )
    except ValidationError as error:
        return _after_action(request, alert, error=error.messages[0])
    return _after_action(request, alert, done="Resolved.")


@require_http_methods(["POST"])
@workspace_access(get=Capability.MANAGE, post=Capability.MANAGE)
def contact_policy(request):
    policy = ContactPolicy.objects.filter(workspace=request.workspace).first() or ContactPolicy()
    form = PolicyForm(request.POST, instance=policy)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_policy_set(
                workspace=request.workspace,
                quiet_from=data["quiet_from"] or dt.time(0),
                quiet_until=data["quiet_until"] or dt.time(0),
                timezone_name=data["timezone"].strip(),
                max_nudges=data["max_nudges"],
                per_days=data["per_days"],
            )
        except ValidationError as error:
            form.add_error("timezone", error)
    if form.is_valid():
        messages.success(request, "Contact policy saved.")
        return redirect("metrics:inbox", request.workspace.slug)
    context = inbox_context(request) | {"policy_form": form}
    return TemplateResponse(request, "metrics/inbox.html", context)
