"""Journeys (a journey map canvas and its stages and touchpoints), job state machines,
and the parties of an ecosystem map.

A journey map *is* a canvas (its notes, history, votes and live updates come from the
canvas engine); Journey holds what a journey adds to it. Stage rows of notes live in
the canvas under areas named after the stage's `key`, so copying a canvas as a new
version keeps every note in its stage.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from canvases.models import Canvas
from engage.models import Job, Workspace
from engage.models.scoping import WorkspaceScopedQuerySet
from journeys.digital import DigitalType
from journeys.stalls import ExpectedFrom

JOURNEY_MAP_TYPE = "customer_journey_map"  # the canvas type of a journey's map


class Journey(models.Model):
    """What a customer journey map adds to its canvas: the scenario and the target mix.

    Workspace, persona, optional job and title are the canvas's own.
    """

    canvas = models.OneToOneField(Canvas, on_delete=models.CASCADE, related_name="journey")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="journeys")
    scenario = models.CharField(
        max_length=300, help_text="The situation the journey follows, e.g. “first payroll run”."
    )
    target_type = models.CharField(
        "target digital type",
        max_length=20,
        choices=[(t.value, t.label) for t in DigitalType],
        blank=True,
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["canvas__title"]

    def __str__(self):
        return self.canvas.title


class StallThresholds(models.Model):
    """How long customers are expected to spend here, for telling who is behind or stuck
    (the rule: journeys/stalls.py)."""

    expected_hours = models.PositiveIntegerField(
        null=True, blank=True, help_text="The expected time in hours, for measuring stalls."
    )
    stuck_hours = models.PositiveIntegerField(
        null=True, blank=True, help_text="Stuck after this many hours; blank: twice the expected."
    )
    expected_from = models.CharField(
        "expected time from",
        max_length=6,
        choices=[(source.value, source.label) for source in ExpectedFrom],
        default=ExpectedFrom.HAND.value,
        help_text="The hours set by hand, or what customers took here before.",
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        both = None not in (self.expected_hours, self.stuck_hours)
        if both and self.stuck_hours < self.expected_hours:
            raise ValidationError(
                {"stuck_hours": "The stuck time can't be shorter than the expected time."}
            )


def stuck_after_expected(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(expected_hours__isnull=True)
        | models.Q(stuck_hours__isnull=True)
        | models.Q(stuck_hours__gte=models.F("expected_hours")),
        name=f"{prefix}_stuck_after_expected",
    )


class Emotion(models.IntegerChoices):
    VERY_NEGATIVE = -2, "Very negative"
    NEGATIVE = -1, "Negative"
    NEUTRAL = 0, "Neutral"
    POSITIVE = 1, "Positive"
    VERY_POSITIVE = 2, "Very positive"


class StageQuerySet(models.QuerySet):
    def current(self):
        """Stages on the map now; a removed stage stays (with its notes) so undo can bring it back."""
        return self.filter(removed_at=None)


class Stage(StallThresholds):
    """One column of a journey map, in order."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="stages")
    key = models.SlugField(
        max_length=20, help_text="Names the stage's note areas; kept across versions."
    )
    name = models.CharField(max_length=80)
    position = models.PositiveIntegerField(default=0)
    emotion = models.SmallIntegerField(
        choices=Emotion.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(-2), MaxValueValidator(2)],
    )
    goals = models.TextField("goals and expectations", blank=True)
    expected_duration = models.CharField(
        "time",
        max_length=80,
        blank=True,
        help_text="How long customers spend here, e.g. “2 weeks”.",
    )
    version = models.PositiveIntegerField(default=1)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = StageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "key"], name="stage_key_unique"),
            models.CheckConstraint(
                condition=models.Q(emotion__isnull=True)
                | models.Q(emotion__gte=-2, emotion__lte=2),
                name="stage_emotion_range",
            ),
            stuck_after_expected("stage"),
        ]

    def __str__(self):
        return self.name

    def area(self, row: str) -> str:
        """The canvas area holding this stage's notes of one row (doing, thinking…)."""
        return f"{self.key}-{row}"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    IN_APP = "in_app", "In-app"
    WEB = "web", "Web"
    MOBILE_APP = "mobile_app", "Mobile app"
    CHAT = "chat", "Chat"
    PHONE = "phone", "Phone"
    EVENT = "event", "Event"
    IN_PERSON = "in_person", "In person"
    SALES_REP = "sales_rep", "Sales rep"
    PARTNER = "partner", "Partner"
    SOCIAL = "social", "Social"
    OTHER = "other", "Other"


class Function(models.TextChoices):
    SALES = "sales", "Sales"
    MARKETING = "marketing", "Marketing"
    CUSTOMER_SUCCESS = "customer_success", "Customer success"
    SUPPORT = "support", "Support"
    PRODUCT = "product", "Product"
    IT = "it", "IT"
    FINANCE = "finance", "Finance"
    PARTNER = "partner", "Partner"


class Touchpoint(models.Model):
    """Where the customer meets the business in a stage."""

    class Value(models.TextChoices):
        POSITIVE = "positive", "Positive"
        NEGATIVE = "negative", "Negative"

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="touchpoints")
    name = models.CharField(max_length=120)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    is_digital = models.BooleanField(
        "digital", help_text="Defaults from the channel; override it where the channel misleads."
    )
    owner = models.CharField("owning function", max_length=20, choices=Function.choices, blank=True)
    value_sign = models.CharField(
        "value", max_length=10, choices=Value.choices, default=Value.POSITIVE
    )
    value = models.CharField("value it delivers", max_length=240, blank=True)
    pains = models.CharField(max_length=240, blank=True)
    expected_duration = models.CharField(max_length=80, blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class DataNeed(models.Model):
    """One item of data a touchpoint needs (data articulation, ../shared/DOMAIN.md §5)."""

    class Kind(models.TextChoices):
        PROFILE = "profile", "Profile"
        ACTIVITY = "activity", "Activity"
        DERIVED = "derived", "Derived"

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="data_needs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    item = models.CharField(max_length=120, help_text="e.g. “job title”, “failed logins”.")
    source = models.CharField(
        "where it lives", max_length=160, blank=True, help_text="e.g. “CRM contact record”."
    )

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self):
        return f"{self.item} ({self.get_kind_display()})"


# --- Job state machines ------------------------------------------------------------


class JobState(StallThresholds):
    """A state a customer's job can be in; one of a job's states is its start."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="states")
    name = models.CharField(max_length=80)
    is_start = models.BooleanField(default=False)
    stage = models.ForeignKey(
        Stage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="job_states",
        help_text="The journey stage a customer in this state is at.",
    )
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["job"], condition=models.Q(is_start=True), name="one_start_state_per_job"
            ),
            models.UniqueConstraint(fields=["job", "name"], name="job_state_name_unique"),
            stuck_after_expected("job_state"),
        ]

    def __str__(self):
        return self.name


class TransitionKind(models.TextChoices):
    INFORMATION = "information", "Information"
    SERVICE = "service", "Service"
    BLOCKER = "blocker", "Blocker"
    CANCEL = "cancel", "Cancel"
    SPAWN = "spawn", "Spawn"
    DONE = "done", "Done"


class JobTransition(models.Model):
    """What moves a job from one state to the next: what the customer needs to move on."""

    source = models.ForeignKey(JobState, on_delete=models.CASCADE, related_name="transitions_out")
    target = models.ForeignKey(
        JobState,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="transitions_in",
        help_text="Empty for a done or cancel that ends the job.",
    )
    kind = models.CharField(max_length=12, choices=TransitionKind.choices)
    label = models.CharField(max_length=160, help_text="What the customer needs to move on.")
    spawns = models.ForeignKey(
        Job,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="spawned_by",
        help_text="The side job a spawn starts.",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["source__position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target__isnull=False)
                | models.Q(kind__in=[TransitionKind.DONE, TransitionKind.CANCEL]),
                name="only_endings_lack_a_target",
            ),
        ]

    def __str__(self):
        return f"{self.source} → {self.target or 'end'} ({self.kind})"


# --- Ecosystem map -----------------------------------------------------------------


class Ring(models.TextChoices):
    """The rings of an ecosystem map, from the centre out."""

    ESSENTIAL = "essential", "Essential"
    VALUED = "valued", "Valued"
    DESIRABLE = "desirable", "Desirable"


class EcosystemDimension(models.Model):
    """A sector around the rim of an ecosystem map: family, work, money, tools…"""

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="dimensions")
    name = models.CharField(max_length=60)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class EcosystemParty(models.Model):
    """A party in the customer's ecosystem, placed on a ring within a dimension."""

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="parties")
    dimension = models.ForeignKey(
        EcosystemDimension, on_delete=models.CASCADE, related_name="parties"
    )
    ring = models.CharField(max_length=10, choices=Ring.choices)
    name = models.CharField(max_length=80)
    note = models.CharField(max_length=240, blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name
