"""Outgoing webhooks: the endpoints a workspace sends signed events to, and every delivery
with its attempts, so nothing waits only in a broker (metrics/services/webhooks.py)."""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from engage.models import Workspace
from engage.models.scoping import WorkspaceScopedQuerySet

SHOWN_CHARACTERS = 10  # "whsec_" and 4 more: enough to tell secrets apart, useless to guess one


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RETRYING = "retrying", "Retrying"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookEndpoint(models.Model):
    """A receiver's URL and the secret deliveries to it are signed with. The secret is kept
    because signing needs it, and shown only when it is created or rotated."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    name = models.CharField(max_length=80, help_text="What receives the events, e.g. “CRM”.")
    url = models.URLField("URL", max_length=500)
    secret = models.CharField(max_length=100)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The outcome of the latest attempt, written with it, so the list needs no aggregate.
    last_status = models.CharField(max_length=10, choices=DeliveryStatus.choices, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @property
    def secret_prefix(self) -> str:
        return self.secret[:SHOWN_CHARACTERS]


class WebhookDelivery(models.Model):
    """One event for one endpoint: its payload, where it stands, and its last attempt.

    An attempt claims the row until `claimed_until` (a task's hard time limit), so two
    workers never send it at once, and a worker that dies mid-attempt leaves a claim that
    runs out, after which the beat sweep queues the delivery again.
    """

    Status = DeliveryStatus

    # The endpoint's, kept here too so the workspace's log reads one index, newest first.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    uuid = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text="Receivers dedupe on it."
    )
    event = models.CharField(max_length=100)
    payload = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    attempts_allowed = models.PositiveSmallIntegerField(
        default=1, help_text="The retry schedule's length + 1; “Retry now” allows one more."
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    last_response = models.CharField(
        max_length=500, blank=True, help_text="The start of the last response's body."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            # The log, newest first: all of it, by status, by endpoint (these lead with the
            # foreign keys, which need no index of their own).
            models.Index(fields=["workspace", "-created_at"], name="webhook_delivery_log"),
            models.Index(
                fields=["workspace", "status", "-created_at"], name="webhook_delivery_status"
            ),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_endpoint"),
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_waiting",
                condition=Q(status__in=["pending", "retrying"]),
            ),
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint_id} ({self.get_status_display()})"

    @property
    def is_waiting(self) -> bool:
        return self.status in (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)

    @property
    def can_retry(self) -> bool:
        """“Retry now” applies: failed, or waiting for a retry."""
        return self.status in (DeliveryStatus.FAILED, DeliveryStatus.RETRYING)
