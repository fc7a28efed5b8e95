"""The workspace inbox: alerts filtered, counted and paged in a fixed number of queries."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from metrics.models import Alert

PER_PAGE = 50


@dataclass(frozen=True)
class InboxFilters:
    status: str = Alert.Status.OPEN
    journey: int | None = None
    job: int | None = None  # alerts in the states of this job
    health: str = ""
    assignee: str = ""  # "", "me", "nobody", or a member's pk


def inbox_alerts(workspace, user, filters: InboxFilters, *, page: int = 1) -> Page:
    alerts = Alert.objects.filter(workspace=workspace, status=filters.status).select_related(
        "customer",
        "assignee",
        "resolved_by",
        "rule",
        "stage__journey__canvas",
        "job_state__job",
    )
    if filters.journey:
        alerts = alerts.filter(stage__journey=filters.journey)
    if filters.job:
        alerts = alerts.filter(job_state__job=filters.job)
    if filters.health:
        alerts = alerts.filter(health=filters.health)
    if filters.assignee == "me":
        alerts = alerts.filter(assignee=user)
    elif filters.assignee == "nobody":
        alerts = alerts.filter(assignee=None)
    elif filters.assignee.isdigit():
        alerts = alerts.filter(assignee_id=int(filters.assignee))
    order = ("-created_at", "-pk") if filters.status == Alert.Status.OPEN else ("-resolved_at",)
    return Paginator(alerts.order_by(*order), PER_PAGE).get_page(page)


def inbox_counts(workspace, user) -> dict:
    """Open alerts: all, mine, unassigned, stuck; one query."""
    open_alerts = Q(status=Alert.Status.OPEN)
    return Alert.objects.filter(workspace=workspace).aggregate(
        open=Count("pk", filter=open_alerts),
        mine=Count("pk", filter=open_alerts & Q(assignee=user)),
        nobody=Count("pk", filter=open_alerts & Q(assignee=None)),
        stuck=Count("pk", filter=open_alerts & Q(health="stuck")),
        resolved=Count("pk", filter=Q(status=Alert.Status.RESOLVED)),
    )
