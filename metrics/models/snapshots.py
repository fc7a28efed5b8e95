"""What the computation leaves for pages to read: snapshots, runs, customer values."""

from django.conf import settings
from django.db import models

from engage.models import Workspace
from metrics.models.data import Customer


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
        STAGE = "stage", "Journey stage"

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
