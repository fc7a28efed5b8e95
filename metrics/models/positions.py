"""Where each customer stands on the workspace's journeys and job state machines.

Position rules say which records (an event, a survey answer, a purchase) mark a
customer's arrival at a stage or a job state. The positions pass
(metrics/services/positions.py) derives everything else from the rules and the records,
and replaces it whole on every run: the path (first arrival at each stage or state, and
when the customer moved on), the current positions with their health, the durations
customers took, and the interactions each touchpoint had.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from engage.models import Job, Workspace
from journeys.models import JobState, Journey, Stage, Touchpoint
from metrics.models.data import Customer, SurveyKind

STAGE_TARGET = Q(stage__isnull=False, job_state__isnull=True)
STATE_TARGET = Q(stage__isnull=True, job_state__isnull=False)
NO_EVENT_FIELDS = {"event_name": "", "property_key": ""}
NO_SURVEY_FIELDS = {"survey_kind": "", "survey_touchpoint__isnull": True}
ID = models.BigIntegerField()


class PositionRule(models.Model):
    """Records matching this rule mark arrival at a stage of the journey, or at a job state.

    A state mapped to a stage (`JobState.stage`) marks that stage too. Records matching a
    rule with a touchpoint count as that touchpoint's interactions.
    """

    class Source(models.TextChoices):
        EVENT = "event", "Interaction event"
        SURVEY = "survey", "Survey answer"
        PURCHASE = "purchase", "Purchase"

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="position_rules")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.EVENT)
    event_name = models.CharField(
        max_length=200, blank=True, help_text="The event's name, exactly as it is sent."
    )
    property_key = models.CharField(
        max_length=120, blank=True, help_text="Only events whose property of this name…"
    )
    property_value = models.CharField(
        max_length=200, blank=True, help_text="…equals this, compared as text (true, 42, pro)."
    )
    survey_kind = models.CharField(
        max_length=4, choices=SurveyKind.choices, blank=True, help_text="Blank: any kind."
    )
    survey_touchpoint = models.ForeignKey(
        Touchpoint,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Only answers about this touchpoint.",
    )
    stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.CASCADE, related_name="position_rules"
    )
    job_state = models.ForeignKey(
        JobState, null=True, blank=True, on_delete=models.CASCADE, related_name="position_rules"
    )
    touchpoint = models.ForeignKey(
        Touchpoint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="position_rules",
        help_text="Records matching the rule count as this touchpoint's interactions.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["journey", "id"]
        constraints = [
            models.CheckConstraint(condition=STAGE_TARGET | STATE_TARGET, name="rule_one_target"),
            models.CheckConstraint(
                condition=Q(source="event", event_name__gt="", **NO_SURVEY_FIELDS)
                | Q(source="survey", **NO_EVENT_FIELDS)
                | Q(source="purchase", **NO_EVENT_FIELDS, **NO_SURVEY_FIELDS),
                name="rule_fields_fit_source",
            ),
            models.CheckConstraint(
                condition=~Q(property_key="") | Q(property_value=""),
                name="rule_value_needs_key",
            ),
            # One rule per record condition and target; NULL-free so both databases agree.
            models.UniqueConstraint(
                "journey",
                "source",
                "event_name",
                "property_key",
                "property_value",
                "survey_kind",
                *(
                    Coalesce(field, 0, output_field=ID)
                    for field in ("survey_touchpoint", "stage", "job_state")
                ),
                name="rule_once",
            ),
        ]

    def __str__(self):
        return f"{self.describe()} → {self.stage or self.job_state}"

    def describe(self) -> str:
        """The records it matches, in words."""
        if self.source == self.Source.EVENT:
            condition = f" where {self.property_key} = {self.property_value}"
            return f"“{self.event_name}”{condition if self.property_key else ''}"
        if self.source == self.Source.SURVEY:
            answer = (
                f"a {self.survey_kind.upper()} answer" if self.survey_kind else "a survey answer"
            )
            about = f" about {self.survey_touchpoint}" if self.survey_touchpoint_id else ""
            return answer + about
        return "a purchase"

    def clean(self):
        super().clean()
        errors = {}
        if (self.stage_id is None) == (self.job_state_id is None):
            errors["stage"] = "Choose a stage or a job state (one of them)."
        if self.stage_id and self.stage.journey_id != self.journey_id:
            errors["stage"] = "Choose a stage of this journey."
        if self.job_state_id and self.job_state.job.workspace_id != self.journey.workspace_id:
            errors["job_state"] = "Choose a state of one of this workspace's jobs."
        for field in ("touchpoint", "survey_touchpoint"):
            touchpoint = getattr(self, field)
            if touchpoint is not None and touchpoint.stage.journey_id != self.journey_id:
                errors[field] = "Choose a touchpoint of this journey."
        if self.source == self.Source.EVENT:
            if not self.event_name.strip():
                errors["event_name"] = "Name the event that marks arrival."
            if '"' in self.property_key:
                errors["property_key"] = "A property name can't contain double quotes."
            if self.property_value and not self.property_key:
                errors["property_key"] = "Name the property the value is compared with."
        elif self.event_name or self.property_key or self.property_value:
            errors["event_name"] = "Only event rules name an event or a property."
        if self.source != self.Source.SURVEY and (self.survey_kind or self.survey_touchpoint_id):
            errors["survey_kind"] = "Only survey rules choose a kind or a touchpoint."
        if errors:
            raise ValidationError(errors)


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
        ordering = ["customer", "entered_at", "id"]
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
        ordering = ["customer", "id"]
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
