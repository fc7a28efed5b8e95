from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property

from canvases import types
from engage.models import Job, Persona, Workspace
from engage.models.scoping import WorkspaceScopedQuerySet


class Canvas(models.Model):
    """One filled-in sheet of a canvas type, linked into the persona → job chain."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="canvases")
    type = models.CharField(max_length=60, choices=types.type_choices)
    title = models.CharField(max_length=160)
    persona = models.ForeignKey(
        Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="canvases"
    )
    job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="canvases"
    )
    header = models.JSONField(
        default=dict, blank=True, help_text="Values of the type's header fields."
    )
    facilitator = models.CharField("performed by", max_length=160, blank=True)
    session_date = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    is_locked = models.BooleanField(default=False, help_text="Read-only for all but facilitators.")
    is_private = models.BooleanField(
        default=False, help_text="Participants' new notes stay hidden until revealed."
    )
    timer_ends_at = models.DateTimeField(
        null=True, blank=True, help_text="A running countdown ends then."
    )
    timer_paused_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seconds left on a paused countdown."
    )
    revision = models.PositiveBigIntegerField(
        default=0, help_text="Bumped by every change; live boards compare it."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["workspace", "type"])]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self):
        return reverse(
            "canvases:board", kwargs={"workspace": self.workspace.slug, "canvas": self.pk}
        )

    @cached_property
    def canvas_type(self) -> types.CanvasType:
        """The type's definition; a type shaped by its rows (a journey's stages) reshaped for this canvas."""
        canvas_type = types.get(self.type)
        return canvas_type.shape(self) if canvas_type.shape else canvas_type

    @cached_property
    def row_cache(self) -> dict:
        """Rows an app loads once per rendering of this canvas, shared by its panels."""
        return {}

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.__dict__.pop("canvas_type", None)
        self.__dict__.pop("row_cache", None)


class NoteColour(models.TextChoices):
    YELLOW = "yellow", "Yellow"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"
    PINK = "pink", "Pink"
    ORANGE = "orange", "Orange"
    PURPLE = "purple", "Purple"


class Note(models.Model):
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="notes")
    area = models.CharField(max_length=60)
    text = models.TextField(max_length=2000)
    colour = models.CharField(max_length=10, choices=NoteColour.choices, default=NoteColour.YELLOW)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveIntegerField(default=0, help_text="Order within the area.")
    score = models.SmallIntegerField(
        null=True, blank=True, help_text="Strength or score where the area uses one."
    )
    is_deleted = models.BooleanField(default=False)
    is_hidden = models.BooleanField(
        default=False, help_text="Written in private mode, not yet revealed."
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Compared on save so no edit is silently lost."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area", "position", "id"]
        indexes = [models.Index(fields=["canvas", "area", "position"])]

    def __str__(self):
        return self.text[:60]


class FieldValue(models.Model):
    """The value of one field of a field area (or a header field) of a canvas."""

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="field_values")
    field = models.CharField(max_length=60)
    value = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["canvas", "field"], name="one_value_per_canvas_field")
        ]

    def __str__(self):
        return f"{self.field} = {self.value[:40]}"


class VotingRound(models.Model):
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="voting_rounds")
    votes_per_person = models.PositiveSmallIntegerField(default=3)
    is_anonymous = models.BooleanField(
        default=True, help_text="Counts stay hidden until the round ends."
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["canvas"],
                condition=models.Q(ended_at=None),
                name="one_open_round_per_canvas",
            )
        ]

    def __str__(self):
        return f"Vote on {self.canvas} ({self.votes_per_person} each)"


class Vote(models.Model):
    round = models.ForeignKey(VotingRound, on_delete=models.CASCADE, related_name="votes")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["round", "voter"])]

    def __str__(self):
        return f"{self.voter} → {self.note}"


class CanvasEvent(models.Model):
    """Everything that happened to a canvas: the source of history, undo and the live feed."""

    class Kind(models.TextChoices):
        CANVAS_CREATED = "canvas_created", "created the canvas"
        CANVAS_UPDATED = "canvas_updated", "changed the canvas details"
        NOTE_CREATED = "note_created", "added a note"
        NOTE_EDITED = "note_edited", "edited a note"
        NOTE_MOVED = "note_moved", "moved a note"
        NOTE_DELETED = "note_deleted", "deleted a note"
        NOTE_RESTORED = "note_restored", "restored a note"
        NOTES_REVEALED = "notes_revealed", "revealed private notes"
        VOTE_CAST = "vote_cast", "voted"
        VOTE_REMOVED = "vote_removed", "took back a vote"
        ROUND_STARTED = "round_started", "started a voting round"
        ROUND_ENDED = "round_ended", "ended the voting round"
        FIELD_CHANGED = "field_changed", "changed a field"
        LOCKED = "locked", "locked the canvas"
        UNLOCKED = "unlocked", "unlocked the canvas"
        TIMER = "timer", "changed the timer"
        ROW_ADDED = "row_added", "added a job to the filter"
        ROW_CHANGED = "row_changed", "changed a filter score"
        ROW_REMOVED = "row_removed", "removed a job from the filter"
        ITEM_ADDED = "item_added", "added a prioritization item"
        ITEM_CHANGED = "item_changed", "changed a prioritization item"
        ITEM_REMOVED = "item_removed", "removed a prioritization item"
        DECISION = "decision", "recorded a decision"
        SURVEY_IMPORTED = "survey_imported", "imported survey answers"
        NODE_ADDED = "node_added", "added a node"
        NODE_CHANGED = "node_changed", "changed a node"
        NODE_REMOVED = "node_removed", "removed a node"
        LINK_ADDED = "link_added", "linked two nodes"
        LINK_REMOVED = "link_removed", "removed a link"
        JOURNEY_CHANGED = "journey_changed", "changed the journey"
        STAGE_ADDED = "stage_added", "added a stage"
        STAGE_CHANGED = "stage_changed", "changed a stage"
        STAGE_MOVED = "stage_moved", "moved a stage"
        STAGE_REMOVED = "stage_removed", "removed a stage"
        TOUCHPOINT_ADDED = "touchpoint_added", "added a touchpoint"
        TOUCHPOINT_CHANGED = "touchpoint_changed", "changed a touchpoint"
        TOUCHPOINT_REMOVED = "touchpoint_removed", "removed a touchpoint"
        DIMENSION_ADDED = "dimension_added", "added a dimension"
        DIMENSION_CHANGED = "dimension_changed", "renamed a dimension"
        DIMENSION_REMOVED = "dimension_removed", "removed a dimension"
        PARTY_ADDED = "party_added", "added a party"
        PARTY_CHANGED = "party_changed", "changed a party"
        PARTY_MOVED = "party_moved", "moved a party"
        PARTY_REMOVED = "party_removed", "removed a party"

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="events")
    timer_ends_at = models.DateTimeField(
        null=True, blank=True, help_text="A running countdown ends then."
    )
    timer_paused_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seconds left on a paused countdown."
    )
    revision = models.PositiveBigIntegerField(help_text="The canvas revision this event produced.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.ForeignKey(
        Note, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    field = models.CharField(max_length=60, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    undoes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="undone_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-revision"]
        indexes = [
            models.Index(fields=["canvas", "revision"]),
            models.Index(fields=["canvas", "actor", "revision"]),
        ]

    def __str__(self):
        return f"{self.actor} {self.get_kind_display()} (r{self.revision})"


class CanvasPack(models.Model):
    """Several canvases printed into one PDF by a Celery task; the page polls its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="packs")
    title = models.CharField(max_length=160)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    canvases = models.ManyToManyField(Canvas, related_name="packs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="packs/", blank=True)
    size = models.PositiveBigIntegerField(default=0, help_text="Bytes of the finished PDF.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    touched_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of work on it; a long silence means stuck."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)


class CanvasPackPart(models.Model):
    """One canvas (or registered section) of a pack, rendered to its own PDF by one task.

    Parts render in parallel on however many workers there are; the pack is joined
    from them once the last one is in, and they are deleted then.
    """

    pack = models.ForeignKey(CanvasPack, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveIntegerField()
    canvas = models.ForeignKey(Canvas, null=True, blank=True, on_delete=models.CASCADE)
    section = models.SlugField(blank=True, help_text="A registered pack section, if not a canvas.")
    file = models.FileField(upload_to="packs/parts/", blank=True)
    pages = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["pack", "position"], name="pack_part_position"),
            models.CheckConstraint(
                condition=models.Q(canvas__isnull=True) ^ models.Q(section=""),
                name="pack_part_canvas_or_section",
            ),
        ]

    def __str__(self):
        return f"{self.pack_id}/{self.position}"


# --- Structured canvases: the JTBD filter, the prioritization board, the BDN ---------


class JobKind(models.TextChoices):
    FUNCTIONAL = "functional", "Functional"
    SOCIAL = "social", "Social"
    EMOTIONAL = "emotional", "Emotional"


def _one_to_five(*names):
    return [
        models.CheckConstraint(
            condition=models.Q(**{f"{name}__isnull": True})
            | models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
            name=f"%(class)s_{name}_1_to_5",
        )
        for name in names
    ]


FILTER_SCORES = ("satisfaction", "importance", "noticeable", "valuable", "priority")


class FilterRow(models.Model):
    """One job on a JTBD filter canvas, with its tag and five 1–5 scores."""

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="filter_rows")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="filter_rows")
    kind = models.CharField(max_length=12, choices=JobKind.choices, default=JobKind.FUNCTIONAL)
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True)
    importance = models.PositiveSmallIntegerField(null=True, blank=True)
    noticeable = models.PositiveSmallIntegerField(null=True, blank=True)
    valuable = models.PositiveSmallIntegerField(null=True, blank=True)
    priority = models.PositiveSmallIntegerField("overall priority", null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["canvas", "job"], name="one_filter_row_per_job"),
            *_one_to_five(*FILTER_SCORES),
        ]

    def __str__(self):
        return f"{self.job} on {self.canvas}"


class Outcome(models.Model):
    """A desired outcome of a job: direction + metric + object + context."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="outcomes")
    job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes"
    )
    statement = models.CharField(
        max_length=300, help_text="The whole outcome as one sentence; survey files match it."
    )
    direction = models.CharField(max_length=20, blank=True, help_text="minimise / increase …")
    metric = models.CharField(max_length=100, blank=True, help_text="the time, the likelihood …")
    object = models.CharField(max_length=150, blank=True)
    context = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["statement"]
        constraints = [
            models.UniqueConstraint(
                "workspace", models.functions.Lower("statement"), name="outcome_statement_unique"
            )
        ]

    def __str__(self):
        return self.statement


class ScoreSource(models.TextChoices):
    DIRECT = "direct", "Entered directly"
    FILTER = "filter", "From the JTBD filter"
    SURVEY = "survey", "From survey answers"


class Decision(models.TextChoices):
    ACCEPT = "accept", "Accept"
    DEFER = "defer", "Defer"
    REJECT = "reject", "Reject"


class PriorityItem(models.Model):
    """A job or a desired outcome on a prioritization board, and the decision about it."""

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="priority_items")
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.CASCADE, related_name="priority_items"
    )
    importance = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True, help_text="0–10, entered directly."
    )
    satisfaction = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True, help_text="0–10, entered directly."
    )
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(job__isnull=True) ^ models.Q(outcome__isnull=True),
                name="priority_item_job_or_outcome",
            ),
            models.UniqueConstraint(
                fields=["canvas", "job"],
                name="priority_item_job_once",
                condition=models.Q(job__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["canvas", "outcome"],
                name="priority_item_outcome_once",
                condition=models.Q(outcome__isnull=False),
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__isnull": True})
                    | models.Q(**{f"{name}__gte": 0, f"{name}__lte": 10}),
                    name=f"priority_item_{name}_0_to_10",
                )
                for name in ("importance", "satisfaction")
            ],
        ]

    def __str__(self):
        return str(self.outcome or self.job)


class SurveyAnswer(models.Model):
    """One respondent's 1–5 ratings of one outcome, imported from a CSV file."""

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="survey_answers")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="survey_answers")
    respondent = models.CharField(max_length=100)
    importance = models.PositiveSmallIntegerField()
    satisfaction = models.PositiveSmallIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["canvas", "outcome", "respondent"], name="one_answer_per_respondent"
            ),
            *_one_to_five("importance", "satisfaction"),
        ]

    def __str__(self):
        return f"{self.respondent}: {self.outcome}"


class BdnColumn(models.TextChoices):
    """The six columns of a benefits dependency network, left to right."""

    ENABLERS = "enablers", "Digital enablers"
    ENABLING_CHANGES = "enabling_changes", "Enabling changes"
    BUSINESS_CHANGES = "business_changes", "Business changes"
    BENEFITS = "benefits", "Business benefits"
    OBJECTIVES = "objectives", "Investment objectives"
    DRIVERS = "drivers", "Drivers"

    @property
    def order(self) -> int:
        """0 for enablers … 5 for drivers: links go from a lower to a higher order."""
        return list(BdnColumn).index(self)


class BdnNode(models.Model):
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="bdn_nodes")
    column = models.CharField(max_length=20, choices=BdnColumn.choices)
    label = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    # Benefits only:
    owner = models.CharField(max_length=120, blank=True)
    measure = models.CharField(max_length=200, blank=True)
    stakeholder = models.CharField("stakeholder who gains", max_length=120, blank=True)
    job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="bdn_benefits"
    )
    metric_id = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text="The metric bound to the measure (metrics sits above canvases).",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.label


class BdnLink(models.Model):
    """An arrow from a node to a node in a later column."""

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="bdn_links")
    source = models.ForeignKey(BdnNode, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(BdnNode, on_delete=models.CASCADE, related_name="links_in")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="one_link_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="no_link_to_itself"
            ),
        ]

    def __str__(self):
        return f"{self.source} → {self.target}"
