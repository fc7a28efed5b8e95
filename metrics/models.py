"""The data engagement is measured from: customers, survey answers, purchases,
interaction events and social mentions, fed in by CSV or the Segment-compatible API.

Every row belongs to one workspace. Rows carry a natural key so that feeding the same
data twice stores it once: an id, a message id, or the columns that identify it.
"""

from django.conf import settings
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


class DataImport(models.Model):
    """One CSV file fed in: checked whole first, then stored whole, or refused with its errors."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        CHECKING = "checking", "Checking"
        STORING = "storing", "Storing"
        DONE = "done", "Imported"
        REFUSED = "refused", "Refused"
        FAILED = "failed", "Failed"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(max_length=12)
    file = models.FileField(upload_to="imports/", blank=True)
    filename = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0, help_text="Rows already stored before.")
    errors = models.JSONField(default=list, blank=True, help_text="[[row, reason], …]")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"


class WriteKey(models.Model):
    """A secret an integration sends events with (Segment's "write key"); kept as a digest."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="write_keys")
    name = models.CharField(max_length=80, help_text="Where it is used, e.g. “web app”.")
    prefix = models.CharField(
        max_length=12, help_text="The key's first characters, to tell keys apart."
    )
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the key.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Snapshot(models.Model):
    """Aggregates of one kind of data for one period and one slice, as the computation left
    them; pages and commands read these, never the raw rows.

    Additive aggregates (answer histograms, event and mention counts) are kept per day, so
    any range of days sums to exact figures; measures that are not additive (distinct
    customers, retention, cohorts) are kept per week or month.
    """

    class Period(models.TextChoices):
        DAY = "day", "Day"
        WEEK = "week", "Week"
        MONTH = "month", "Month"
        ALL = "all", "Whole history"

    class Dimension(models.TextChoices):
        ALL = "", "Everyone"
        SEGMENT = "segment", "Segment"
        PERSONA = "persona", "Persona"
        TOUCHPOINT = "touchpoint", "Touchpoint"
        CHANNEL = "channel", "Channel"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="snapshots")
    source = models.CharField(max_length=20, help_text="surveys, events, mentions, activity …")
    period = models.CharField(max_length=5, choices=Period.choices)
    start = models.DateField(help_text="First day of the period.")
    dimension = models.CharField(max_length=10, choices=Dimension.choices, blank=True)
    key = models.CharField(max_length=120, blank=True, help_text="The slice: a pk or a channel.")
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "source", "period", "start", "dimension", "key"],
                name="one_snapshot_per_slice",
            )
        ]
        indexes = [models.Index(fields=["workspace", "source", "period", "dimension", "start"])]

    def __str__(self):
        return f"{self.source} {self.period} {self.start} {self.dimension}={self.key}"


class MetricsRun(models.Model):
    """One recompute of a workspace's snapshots, with the progress a page polls."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="metric_runs")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=80, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_busy_metrics_run_per_workspace",
            )
        ]

    def __str__(self):
        return f"{self.workspace} {self.get_status_display()}"


class CustomerValue(models.Model):
    """What the probabilistic model expects of one customer, as of the last computation."""

    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="value")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    purchases = models.PositiveIntegerField()
    expected_purchases_12m = models.FloatField()
    probability_alive = models.FloatField()
    expected_spend = models.FloatField(null=True, blank=True)
    clv_12m = models.FloatField(null=True, blank=True)
    computed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.customer}: {self.clv_12m}"


class MetricsSettings(models.Model):
    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="metrics_settings"
    )
    default_margin = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=0.25,
        help_text="Profit as a share of the amount, for purchases that give no profit.",
    )

    def __str__(self):
        return f"{self.workspace}: margin {self.default_margin}"
