"""Objectives and key results set on the engagement measures, and the measures they bind.

A Measure is a metric with its filters (a slice and a window of days). Key results and
benefits of a benefits network bind to one; each recompute records the measure's value
of the day as a MeasureReading, so the value over time is kept and pages read one row
per measure instead of recomputing it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from engage.models import Workspace
from engage.models.scoping import WorkspaceScopedQuerySet


def metric_choices() -> list[tuple[str, str]]:
    """The catalogue's metrics; imported at use because the catalogue reads these models."""
    from metrics.catalogue import metric_choices

    return metric_choices()


class Measure(models.Model):
    class Slice(models.TextChoices):
        EVERYONE = "", "Everyone"
        SEGMENT = "segment", "Segment"
        PERSONA = "persona", "Persona"
        TOUCHPOINT = "touchpoint", "Touchpoint"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="measures")
    metric = models.CharField(max_length=40, choices=metric_choices)
    # The slice as snapshots name it; a removed persona leaves the measure reading no data
    # rather than silently measuring everyone.
    dimension = models.CharField(max_length=10, choices=Slice.choices, blank=True)
    key = models.CharField(max_length=40, blank=True, help_text="The slice's id.")
    window_days = models.PositiveSmallIntegerField(
        default=90, help_text="The trailing days measured; 0 for the whole history."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["metric", "dimension", "key", "window_days"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "metric", "dimension", "key", "window_days"],
                name="one_measure_per_filter",
            ),
            models.CheckConstraint(
                condition=models.Q(dimension="", key="")
                | (~models.Q(dimension="") & ~models.Q(key="")),
                name="measure_slice_has_a_key",
            ),
        ]

    def __str__(self):
        return f"{self.get_metric_display()} {self.dimension}={self.key} {self.window_days}d"


class MeasureReading(models.Model):
    """A measure's value on one day, as the last recompute of that day found it."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="readings")
    day = models.DateField()
    value = models.FloatField(null=True, blank=True)
    n = models.PositiveIntegerField(null=True, blank=True)
    taken_at = models.DateTimeField()

    class Meta:
        ordering = ["measure", "day"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "day"], name="one_reading_per_day")
        ]

    def __str__(self):
        return f"{self.measure_id} {self.day}: {self.value}"


class Objective(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The member accountable for it.",
    )
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class KeyResult(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(max_length=200)
    # RESTRICT: a measure a key result reads is kept, unless its workspace goes too.
    measure = models.ForeignKey(Measure, on_delete=models.RESTRICT, related_name="key_results")
    baseline = models.FloatField(help_text="The measured value at the start.")
    target = models.FloatField()
    start = models.DateField(default=timezone.localdate)
    due = models.DateField()
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(target=models.F("baseline")), name="key_result_moves"
            ),
            models.CheckConstraint(
                condition=models.Q(due__gt=models.F("start")), name="key_result_due_after_start"
            ),
        ]

    def __str__(self):
        return self.title
