"""What happens when a customer stalls: rules per stage, the alerts they raise in the
workspace inbox, and every decision to nudge a customer or not, with its reason.

The orchestration pass (metrics/services/orchestration.py) runs after each positions
pass: it raises one open alert per customer × stage × rule, resolves alerts of customers
who moved on, and decides nudges under the workspace's contact policy.
"""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from engage.models import Workspace
from engage.models.scoping import WorkspaceScopedQuerySet
from journeys.models import JobState, Stage
from metrics.models.data import Customer
from metrics.models.webhooks import WebhookEndpoint

ONE_PLACE = Q(stage__isnull=False, job_state__isnull=True) | Q(
    stage__isnull=True, job_state__isnull=False
)


class Trigger(models.TextChoices):
    BEHIND = "behind", "Behind or stuck"
    STUCK = "stuck", "Stuck"


class OrchestrationRule(models.Model):
    """At one stage (or job state): when a customer is behind or stuck there, an alert in
    the workspace inbox (always: it is the record of the stall), and as chosen an email to
    the account owner, a webhook event and a nudge to the customer."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.CASCADE, related_name="orchestration_rules"
    )
    job_state = models.ForeignKey(
        JobState,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="orchestration_rules",
    )
    trigger = models.CharField(max_length=6, choices=Trigger.choices, default=Trigger.STUCK)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The member new alerts are assigned to.",
    )
    email_owner = models.BooleanField(
        "email the account owner",
        default=False,
        help_text="The customer's account owner (their “account_owner” trait), else the assignee.",
    )
    webhook = models.ForeignKey(
        WebhookEndpoint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Tell another system: a signed “customers.stalled” event with the new alerts.",
    )
    nudge = models.BooleanField(
        "nudge the customer",
        default=False,
        help_text="An email to the customer: only with their consent, never in quiet hours, "
        "never more often than the contact policy allows, never once they move on.",
    )
    nudge_subject = models.CharField(max_length=160, blank=True)
    nudge_body = models.TextField(
        blank=True, help_text="Plain text; {name}, {stage} and {journey} are filled in."
    )
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=ONE_PLACE, name="rule_one_place")]

    def __str__(self):
        return f"{self.get_trigger_display()} at {self.place}"

    @property
    def place(self) -> Stage | JobState:
        return self.stage or self.job_state

    @property
    def healths(self) -> tuple[str, ...]:
        """The position healths that fire it."""
        return ("stuck",) if self.trigger == Trigger.STUCK else ("behind", "stuck")


class Alert(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(OrchestrationRule, on_delete=models.CASCADE, related_name="alerts")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="alerts")
    stage = models.ForeignKey(Stage, null=True, on_delete=models.CASCADE, related_name="+")
    job_state = models.ForeignKey(JobState, null=True, on_delete=models.CASCADE, related_name="+")
    health = models.CharField(max_length=8, help_text="Behind or stuck, when it was raised.")
    spell_since = models.DateTimeField(help_text="When that health began: one alert a spell.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when Engage resolved it: the customer moved on.",
    )
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=ONE_PLACE, name="alert_one_place"),
            models.UniqueConstraint(
                fields=["rule", "customer"],
                condition=Q(status="open"),
                name="one_open_alert_per_rule_and_customer",
            ),
            models.UniqueConstraint(
                fields=["rule", "customer", "spell_since"], name="one_alert_per_spell"
            ),
        ]
        indexes = [models.Index(fields=["workspace", "status", "created_at"])]

    def __str__(self):
        return f"{self.customer_id} {self.health} at {self.stage or self.job_state}"

    @property
    def place(self) -> Stage | JobState:
        return self.stage or self.job_state


class NudgeDecision(models.Model):
    """Whether an alert's customer was nudged, and if not, why: every decision is kept."""

    class Reason(models.TextChoices):
        SENT = "sent", "Nudged"
        NO_CONSENT = "no_consent", "Did not consent to be contacted"
        NO_EMAIL = "no_email", "No email address"
        QUIET_HOURS = "quiet_hours", "Quiet hours where they are"
        TOO_SOON = "too_soon", "Nudged recently: the policy allows no more yet"
        PROGRESSING = "progressing", "Active since they stalled: progressing"
        MOVED_ON = "moved_on", "Moved on before the nudge"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="nudge_decisions")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    sent = models.BooleanField()
    reason = models.CharField(max_length=12, choices=Reason.choices)
    detail = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["customer", "sent", "decided_at"])]

    def __str__(self):
        return f"{self.customer_id}: {self.reason}"


class ContactPolicy(models.Model):
    """How Engage may contact a workspace's customers: never in their quiet hours, and at
    most `max_nudges` nudges in any `per_days` days."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="contact_policy"
    )
    quiet_from = models.TimeField(default=dt.time(20, 0))
    quiet_until = models.TimeField(default=dt.time(8, 0))
    timezone = models.CharField(
        max_length=60,
        default="UTC",
        help_text="Where customers are, unless their “timezone” trait says otherwise.",
    )
    max_nudges = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    per_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )

    def __str__(self):
        return f"{self.workspace}: quiet {self.quiet_from}–{self.quiet_until}"
