"""Where each customer stands on the workspace's journeys and job state machines: the rows
the positions pass (metrics/services/positions.py) derives from the position rules and
the records, replaced whole on every run — the path (first arrival at each stage or
state, and when the customer moved on), the current positions with their health, the
durations customers took, and the interactions each touchpoint had — and the runs.
"""

from django.db import models
from django.db.models import Q

from engage.models import Job, Workspace
from journeys.models import JobState, Journey, Stage, Touchpoint
from metrics.models.data import Customer
from metrics.models.rules import STAGE_TARGET, STATE_TARGET


class Health(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    BEHIND = "behind", "Behind"
    STUCK = "stuck", "Stuck"
    UNKNOWN = "unknown", "Unknown"


def derived_from(model, **options) -> models.ForeignKey:
    """A reference from a row the positions pass rebuilds whole on every run.

    Deleting the row it names deletes this one (Django cascades), but the database checks
    no constraint: the pass inserts hundreds of thousands of such rows at once, and
    checking each reference (a locking read per row and reference) cost more than the
    whole rest of the pass. The pass only writes references it has just read.
    """
    return models.ForeignKey(
        model, on_delete=models.CASCADE, related_name="+", db_constraint=False, **options
    )


class Step(models.Model):
    """Where a customer is, or was: a stage of a journey, or a state of a job."""

    workspace = derived_from(Workspace)
    customer = derived_from(Customer)
    # Looked up through the composite indexes of the concrete models, which lead with them.
    journey = derived_from(Journey, null=True, db_index=False)
    stage = derived_from(Stage, null=True, db_index=False)
    job = derived_from(Job, null=True, db_index=False)
    job_state = derived_from(JobState, null=True, db_index=False)
    entered_at = models.DateTimeField(help_text="The first record marking arrival here.")

    class Meta:
        abstract = True

    @property
    def place(self) -> Stage | JobState:
        return self.stage or self.job_state


class PathStep(Step):
    """A customer's first arrival at a stage (or job state), and when they moved on: the
    next first arrival on the same journey (or job); empty while they are still here."""

    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(STAGE_TARGET, journey__isnull=False, job__isnull=True)
                | Q(STATE_TARGET, journey__isnull=True, job__isnull=False),
                name="path_step_one_place",
            ),
        ]
        indexes = [
            models.Index(fields=["journey", "stage", "entered_at"]),
            models.Index(fields=["job", "job_state", "entered_at"]),
        ]

    def __str__(self):
        return f"{self.customer_id} at {self.place} from {self.entered_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> float | None:
        """How long the stay lasted; None while it goes on."""
        if self.left_at is None:
            return None
        return (self.left_at - self.entered_at).total_seconds() / 3600


class Position(Step):
    """Where a customer is now on one journey (or job): their latest first arrival, with
    its health against the place's thresholds as of the pass's clock.

    `health_since` is when the health became what it is (arrival for on track and
    unknown, arrival + the threshold for behind and stuck); a run finding the same health
    keeps the previous run's moment, so it identifies one spell of being behind or stuck.
    """

    health = models.CharField(max_length=8, choices=Health.choices)
    health_since = models.DateTimeField()
    last_activity_at = models.DateTimeField(
        null=True, blank=True, help_text="The customer's latest event, answer or purchase."
    )
    computed_at = models.DateTimeField(help_text="The pass's clock when it ran.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(STAGE_TARGET, journey__isnull=False, job__isnull=True)
                | Q(STATE_TARGET, journey__isnull=True, job__isnull=False),
                name="position_one_place",
            ),
            models.UniqueConstraint(
                fields=["customer", "journey"],
                condition=Q(journey__isnull=False),
                name="one_position_per_journey",
            ),
            models.UniqueConstraint(
                fields=["customer", "job"],
                condition=Q(job__isnull=False),
                name="one_position_per_job",
            ),
        ]
        indexes = [
            models.Index(fields=["journey", "stage", "health"]),
            models.Index(fields=["job", "job_state", "health"]),
        ]

    def __str__(self):
        return f"{self.customer_id} at {self.place}: {self.get_health_display()}"


class LearnedDuration(models.Model):
    """What customers took at one stage (or job state): the completed stays (entered →
    left) counted, their median and 75th percentile in hours (empty with none), and the
    thresholds the last pass applied from them and the place's settings."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    stage = models.OneToOneField(
        Stage, null=True, on_delete=models.CASCADE, related_name="learned_duration"
    )
    job_state = models.OneToOneField(
        JobState, null=True, on_delete=models.CASCADE, related_name="learned_duration"
    )
    n = models.PositiveIntegerField(help_text="Completed stays.")
    median_hours = models.FloatField(null=True)
    p75_hours = models.FloatField(null=True)
    expected_hours = models.FloatField(null=True, help_text="Applied: behind after this long.")
    stuck_hours = models.FloatField(null=True, help_text="Applied: stuck after this long.")
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=STAGE_TARGET | STATE_TARGET, name="learned_duration_one_place"
            ),
        ]

    def __str__(self):
        return f"{self.stage or self.job_state}: median {self.median_hours} h (n = {self.n})"


class TouchpointDay(models.Model):
    """Records that matched a touchpoint's rules on one day (UTC)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    interactions = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["touchpoint", "day"], name="touchpoint_day_once")
        ]

    def __str__(self):
        return f"{self.touchpoint_id} {self.day}: {self.interactions}"


class PositionRun(models.Model):
    """One positions pass over a workspace; one may be busy per workspace at a time."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    as_of = models.DateTimeField(null=True, blank=True, help_text="The clock the pass ran with.")
    positions = models.PositiveIntegerField(default=0)
    behind = models.PositiveIntegerField(default=0)
    stuck = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace"],
                condition=Q(status__in=["queued", "running"]),
                name="one_busy_position_run_per_workspace",
            )
        ]

    def __str__(self):
        return f"{self.workspace} {self.get_status_display()}"
