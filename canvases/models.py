from django.conf import settings
from django.db import models
from django.urls import reverse

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

    @property
    def canvas_type(self) -> types.CanvasType:
        return types.get(self.type)


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
