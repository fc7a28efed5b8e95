"""Writes for the inbox and its rules: assigning and resolving alerts, orchestration rules
per stage, and the workspace's contact policy. Edits carry the version they started from."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from engage.models import Membership, User, Workspace
from journeys.models import JobState, Stage
from metrics.models import Alert, ContactPolicy, OrchestrationRule, WebhookEndpoint
from metrics.nudging import zone


def _member(workspace: Workspace, user: User | int | None) -> User | None:
    if user is None:
        return None
    pk = user.pk if isinstance(user, User) else user
    found = Membership.objects.filter(workspace=workspace, user_id=pk).select_related("user")
    if not found:
        raise ValidationError("Choose a member of this workspace.")
    return found[0].user


def _locked(alert: Alert, expected_version: int) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.version != expected_version:
        who = alert.assignee.display_name if alert.assignee_id else "nobody"
        state = "resolved" if alert.status == Alert.Status.RESOLVED else f"assigned to {who}"
        raise ValidationError(
            f"Not saved: someone changed this alert meanwhile; it is now {state}. "
            "Look again and act if it is still needed."
        )
    return alert


@transaction.atomic
def alert_assign(*, alert: Alert, assignee: User | int | None, expected_version: int) -> Alert:
    alert = _locked(alert, expected_version)
    alert.assignee = _member(alert.workspace, assignee)
    alert.version += 1
    alert.save(update_fields=["assignee", "version"])
    return alert


@transaction.atomic
def alert_resolve(*, alert: Alert, actor: User, note: str, expected_version: int) -> Alert:
    alert = _locked(alert, expected_version)
    if alert.status == Alert.Status.RESOLVED:
        raise ValidationError("This alert is resolved already.")
    note = (note or "").strip()
    if not note:
        raise ValidationError("Say what was done, so the team knows: resolve with a note.")
    alert.status, alert.note = Alert.Status.RESOLVED, note
    alert.resolved_at, alert.resolved_by = timezone.now(), actor
    alert.version += 1
    alert.save(update_fields=["status", "note", "resolved_at", "resolved_by", "version"])
    return alert


# --- Rules ------------------------------------------------------------------------------


def _place(workspace: Workspace, stage, job_state) -> tuple[Stage | None, JobState | None]:
    if (stage is None) == (job_state is None):
        raise ValidationError("Choose a stage or a job state (one of them).")
    if stage is not None and stage.journey.workspace_id != workspace.pk:
        raise ValidationError("That stage is not in this workspace.")
    if job_state is not None and job_state.job.workspace_id != workspace.pk:
        raise ValidationError("That job state is not in this workspace.")
    return stage, job_state


def _endpoint(workspace: Workspace, webhook) -> WebhookEndpoint | None:
    if webhook is None:
        return None
    pk = webhook.pk if isinstance(webhook, WebhookEndpoint) else webhook
    found = WebhookEndpoint.objects.filter(workspace=workspace, pk=pk).first()
    if found is None:
        raise ValidationError("That webhook endpoint is not in this workspace.")
    return found


def _check_nudge(nudge: bool, subject: str, body: str) -> None:
    if nudge and not (subject.strip() and body.strip()):
        raise ValidationError("A nudge needs a subject and a message.")


@transaction.atomic
def orchestration_rule_create(
    *,
    workspace: Workspace,
    actor: User,
    stage: Stage | None = None,
    job_state: JobState | None = None,
    trigger: str = "stuck",
    assignee=None,
    email_owner: bool = False,
    webhook=None,
    nudge: bool = False,
    nudge_subject: str = "",
    nudge_body: str = "",
    active: bool = True,
) -> OrchestrationRule:
    stage, job_state = _place(workspace, stage, job_state)
    _check_nudge(nudge, nudge_subject, nudge_body)
    rule = OrchestrationRule(
        workspace=workspace,
        stage=stage,
        job_state=job_state,
        trigger=trigger,
        assignee=_member(workspace, assignee),
        email_owner=email_owner,
        webhook=_endpoint(workspace, webhook),
        nudge=nudge,
        nudge_subject=nudge_subject.strip(),
        nudge_body=nudge_body.strip(),
        active=active,
        created_by=actor,
    )
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def orchestration_rule_change(
    *,
    rule: OrchestrationRule,
    expected_version: int,
    trigger: str,
    assignee=None,
    email_owner: bool = False,
    webhook=None,
    nudge: bool = False,
    nudge_subject: str = "",
    nudge_body: str = "",
    active: bool = True,
) -> OrchestrationRule:
    rule = OrchestrationRule.objects.select_for_update().get(pk=rule.pk)
    if rule.version != expected_version:
        raise ValidationError(
            "Not saved: someone changed this rule while you were editing it. "
            "Look at it again and make your change if it is still needed."
        )
    _check_nudge(nudge, nudge_subject, nudge_body)
    rule.trigger, rule.assignee = trigger, _member(rule.workspace, assignee)
    rule.email_owner, rule.nudge, rule.active = email_owner, nudge, active
    rule.webhook = _endpoint(rule.workspace, webhook)
    rule.nudge_subject, rule.nudge_body = nudge_subject.strip(), nudge_body.strip()
    rule.version += 1
    rule.full_clean()
    rule.save()
    return rule


def orchestration_rule_remove(*, rule: OrchestrationRule) -> None:
    rule.delete()  # its alerts go with it


@transaction.atomic
def contact_policy_set(
    *,
    workspace: Workspace,
    quiet_from: dt.time,
    quiet_until: dt.time,
    timezone_name: str,
    max_nudges: int,
    per_days: int,
) -> ContactPolicy:
    if zone(timezone_name, "").key != timezone_name:
        raise ValidationError(f"“{timezone_name}” is not a time zone such as Europe/Berlin.")
    policy, _ = ContactPolicy.objects.select_for_update().get_or_create(workspace=workspace)
    policy.quiet_from, policy.quiet_until, policy.timezone = quiet_from, quiet_until, timezone_name
    policy.max_nudges, policy.per_days = max_nudges, per_days
    policy.full_clean()
    policy.save()
    return policy
