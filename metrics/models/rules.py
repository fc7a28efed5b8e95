"""Position rules: which records (an event, a survey answer, a purchase) mark a customer's
arrival at a stage of a journey or at a job state. The positions pass
(metrics/services/positions.py) derives everything else from them and the records."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from journeys.models import JobState, Journey, Stage, Touchpoint
from metrics.models.data import SurveyKind

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
                violation_error_message="This journey has this rule already.",
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
        errors = self._record_errors()
        if self.journey_id is not None:
            errors |= self._place_errors()
        if errors:
            raise ValidationError(errors)

    def _place_errors(self) -> dict:
        errors = {}
        if (self.stage_id is None) == (self.job_state_id is None):
            errors["stage"] = "Choose a stage or a job state (one of them)."
        elif self.stage_id and self.stage.journey_id != self.journey_id:
            errors["stage"] = "Choose a stage of this journey."
        elif self.job_state_id and self.job_state.job.workspace_id != self.journey.workspace_id:
            errors["job_state"] = "Choose a state of one of this workspace's jobs."
        for field in ("touchpoint", "survey_touchpoint"):
            touchpoint = getattr(self, field)
            if touchpoint is not None and touchpoint.stage.journey_id != self.journey_id:
                errors[field] = "Choose a touchpoint of this journey."
        return errors

    def _record_errors(self) -> dict:
        errors = {}
        if self.source == self.Source.EVENT:
            if not self.event_name.strip():
                errors["event_name"] = "Name the event that marks arrival."
            if '"' in self.property_key:
                errors["property_key"] = "A property name can't contain double quotes."
            elif self.property_value and not self.property_key:
                errors["property_key"] = "Name the property the value is compared with."
        elif self.event_name or self.property_key or self.property_value:
            errors["event_name"] = "Only event rules name an event or a property."
        if self.source != self.Source.SURVEY and (self.survey_kind or self.survey_touchpoint_id):
            errors["survey_kind"] = "Only survey rules choose a kind or a touchpoint."
        return errors
