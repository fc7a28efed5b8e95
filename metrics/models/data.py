"""The data engagement is measured from: customers, survey answers, purchases,
interaction events and social mentions, fed in by CSV or the Segment-compatible API.

Every row belongs to one workspace. Rows carry a natural key so that feeding the same
data twice stores it once: an id, a message id, or the columns that identify it.
"""

from django.db import models

from engage.models import Persona, Segment, Workspace
from engage.models.scoping import WorkspaceScopedQuerySet
from journeys.models import Channel, Touchpoint


class Customer(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="customers")
    external_id = models.CharField(
        "customer id", max_length=120, help_text="The customer's id in the source system."
    )
    segment = models.ForeignKey(
        Segment, null=True, blank=True, on_delete=models.SET_NULL, related_name="customers"
    )
    persona = models.ForeignKey(
        Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="customers"
    )
    email = models.EmailField(blank=True)
    traits = models.JSONField(default=dict, blank=True, help_text="Profile traits, as sent.")
    consent = models.BooleanField(
        "consents to be contacted", default=False, help_text="Only then may Engage nudge them."
    )
    created_at = models.DateTimeField(help_text="When the customer first appeared.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "external_id"], name="customer_external_id_unique"
            )
        ]

    def __str__(self):
        return self.external_id


class SurveyKind(models.TextChoices):
    NPS = "nps", "Net Promoter (0–10)"
    CSAT = "csat", "Satisfaction (1–5)"
    CES = "ces", "Effort (1–7)"


SCORE_RANGES = {SurveyKind.NPS: (0, 10), SurveyKind.CSAT: (1, 5), SurveyKind.CES: (1, 7)}


class SurveyResponse(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField(max_length=4, choices=SurveyKind.choices)
    score = models.SmallIntegerField()
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField()
    touchpoint = models.ForeignKey(
        Touchpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    channel = models.CharField(max_length=12, choices=Channel.choices, blank=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "kind", "answered_at"], name="one_answer_per_moment"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="nps", score__gte=0, score__lte=10)
                    | models.Q(kind="csat", score__gte=1, score__lte=5)
                    | models.Q(kind="ces", score__gte=1, score__lte=7)
                ),
                name="survey_score_in_range",
            ),
        ]
        indexes = [models.Index(fields=["workspace", "kind", "answered_at"])]

    def __str__(self):
        return f"{self.kind} {self.score}"


class Purchase(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="purchases")
    purchased_at = models.DateTimeField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    profit = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Empty: the workspace's default margin applies.",
    )

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "purchased_at", "amount"], name="one_purchase_per_moment"
            )
        ]
        indexes = [models.Index(fields=["workspace", "purchased_at"])]

    def __str__(self):
        return f"{self.amount} on {self.purchased_at:%Y-%m-%d}"


class InteractionEvent(models.Model):
    """Something a customer did on a channel: a tracked event, a page, a call."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    anonymous_id = models.CharField(max_length=120, blank=True)
    event = models.CharField(max_length=200)
    channel = models.CharField(max_length=12, choices=Channel.choices, blank=True)
    timestamp = models.DateTimeField()
    properties = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=120, help_text="Unique per workspace: dedupes.")

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "message_id"], name="event_message_once"),
            models.CheckConstraint(
                condition=models.Q(customer__isnull=False) | ~models.Q(anonymous_id=""),
                name="event_has_someone",
            ),
        ]
        indexes = [
            models.Index(fields=["workspace", "timestamp"]),
            models.Index(fields=["customer", "timestamp"]),
        ]

    def __str__(self):
        return self.event


class Sentiment(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral"
    NEGATIVE = "negative", "Negative"


class SocialMention(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    platform = models.CharField(max_length=60)
    posted_at = models.DateTimeField()
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices)
    reach = models.PositiveIntegerField(default=0)
    author = models.CharField(max_length=160, blank=True)
    url = models.URLField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    key = models.CharField(
        max_length=64, help_text="The url, or a digest of the row without one: dedupes."
    )

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="mention_once"),
        ]
        indexes = [models.Index(fields=["workspace", "posted_at"])]

    def __str__(self):
        return f"{self.platform} {self.sentiment}"
