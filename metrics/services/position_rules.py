"""Writing position rules: which records mark a customer's arrival where."""

from django.db import transaction

from journeys.models import JobState, Journey, Stage, Touchpoint
from metrics.models import PositionRule


@transaction.atomic
def position_rule_create(
    *,
    journey: Journey,
    stage: Stage | None = None,
    job_state: JobState | None = None,
    source: str = PositionRule.Source.EVENT,
    event_name: str = "",
    property_key: str = "",
    property_value: str = "",
    survey_kind: str = "",
    survey_touchpoint: Touchpoint | None = None,
    touchpoint: Touchpoint | None = None,
) -> PositionRule:
    """A rule marking arrival at `stage` (of the journey) or `job_state` (of the workspace);
    ValidationError, with a message per field, for a rule that can't be, or exists already."""
    rule = PositionRule(
        journey=journey,
        stage=stage,
        job_state=job_state,
        source=source,
        event_name=(event_name or "").strip(),
        property_key=(property_key or "").strip(),
        property_value=property_value or "",
        survey_kind=survey_kind or "",
        survey_touchpoint=survey_touchpoint,
        touchpoint=touchpoint,
    )
    rule.full_clean()
    rule.save()
    return rule
