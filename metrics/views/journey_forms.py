"""Forms of a journey's Customers page: the period of its funnel, a stage's expected times,
a position rule (which record marks arrival where) and an orchestration rule."""

from django import forms

from journeys.models import JobState, Stage, Touchpoint
from journeys.stalls import ExpectedFrom
from metrics.models import PositionRule, SurveyKind, Trigger, WebhookEndpoint
from metrics.views.filters import DATE, PERIODS, SELECT

NUMBER = forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": 0})


class PeriodForm(forms.Form):
    period = forms.ChoiceField(choices=PERIODS, required=False, initial="all", widget=SELECT)
    start = forms.DateField(label="From", required=False, widget=DATE)
    end = forms.DateField(label="To", required=False, widget=DATE)


class ThresholdsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    expected_hours = forms.IntegerField(
        label="Expected (hours)", min_value=0, max_value=100_000, required=False, widget=NUMBER
    )
    stuck_hours = forms.IntegerField(
        label="Stuck after (hours)", min_value=0, max_value=100_000, required=False, widget=NUMBER
    )
    expected_from = forms.ChoiceField(
        label="Expected time from",
        choices=[(source.value, source.label) for source in ExpectedFrom],
        widget=SELECT,
    )


def place_choices(stages, states) -> list:
    """The stages of the journey, then the states of each of the workspace's jobs."""
    groups = [("Stages of this journey", [(f"stage:{s.pk}", s.name) for s in stages])]
    by_job = {}
    for state in states:
        by_job.setdefault(state.job, []).append((f"state:{state.pk}", state.name))
    groups += [(f"States of “{job.statement}”", rows) for job, rows in by_job.items()]
    return groups


def resolve_place(journey, value: str) -> dict:
    """{"stage": …} or {"job_state": …} for a place choice; ValidationError when unknown."""
    kind, _, pk = (value or "").partition(":")
    if kind == "stage" and pk.isdigit():
        found = Stage.objects.current().filter(journey=journey, pk=pk).first()
        if found:
            return {"stage": found}
    if kind == "state" and pk.isdigit():
        found = JobState.objects.filter(job__workspace=journey.workspace_id, pk=pk).first()
        if found:
            return {"job_state": found}
    raise forms.ValidationError("Choose a stage of this journey or a state of one of its jobs.")


class PositionRuleForm(forms.Form):
    source = forms.ChoiceField(
        label="Marked by", choices=PositionRule.Source.choices, widget=SELECT
    )
    event_name = forms.CharField(label="Event", max_length=200, required=False)
    property_key = forms.CharField(label="where property", max_length=120, required=False)
    property_value = forms.CharField(label="equals", max_length=200, required=False)
    survey_kind = forms.ChoiceField(
        label="Answer kind",
        choices=[("", "Any kind"), *SurveyKind.choices],
        required=False,
        widget=SELECT,
    )
    survey_touchpoint = forms.TypedChoiceField(
        label="about touchpoint", coerce=int, empty_value=None, required=False, widget=SELECT
    )
    place = forms.ChoiceField(label="Marks arrival at", widget=SELECT)
    touchpoint = forms.TypedChoiceField(
        label="Counts as an interaction of",
        coerce=int,
        empty_value=None,
        required=False,
        widget=SELECT,
    )

    def __init__(self, *args, places, touchpoints, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = places
        options = [(t.pk, f"{t.name} ({t.stage.name})") for t in touchpoints]
        self.fields["touchpoint"].choices = [("", "No touchpoint"), *options]
        self.fields["survey_touchpoint"].choices = [("", "Any touchpoint"), *options]
        for name in ("event_name", "property_key", "property_value"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"


class OrchestrationRuleForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    place = forms.ChoiceField(label="At", widget=SELECT)
    trigger = forms.ChoiceField(label="When a customer is", choices=Trigger.choices, widget=SELECT)
    assignee = forms.TypedChoiceField(
        label="Assign alerts to", coerce=int, empty_value=None, required=False, widget=SELECT
    )
    email_owner = forms.BooleanField(label="Email the account owner", required=False)
    webhook = forms.TypedChoiceField(
        label="Send a webhook event to", coerce=int, empty_value=None, required=False, widget=SELECT
    )
    nudge = forms.BooleanField(label="Nudge the customer by email", required=False)
    nudge_subject = forms.CharField(label="Subject", max_length=160, required=False)
    nudge_body = forms.CharField(
        label="Message",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Plain text; {name}, {stage} and {journey} are filled in.",
    )
    active = forms.BooleanField(label="Active", required=False, initial=True)

    def __init__(self, *args, places, members, endpoints, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = places
        self.fields["assignee"].choices = [("", "Nobody"), *members]
        self.fields["webhook"].choices = [("", "No webhook"), *endpoints]

    def clean(self):
        data = super().clean()
        if data.get("nudge") and not (data.get("nudge_subject") and data.get("nudge_body")):
            self.add_error("nudge_body", "A nudge needs a subject and a message.")
        return data


def touchpoints_of(journey):
    return Touchpoint.objects.filter(stage__journey=journey, stage__removed_at=None).select_related(
        "stage"
    )


def endpoint_choices(workspace) -> list[tuple[int, str]]:
    """The active webhook endpoints an orchestration rule may send its events to."""
    rows = WebhookEndpoint.objects.filter(workspace=workspace, is_active=True).order_by("name")
    return list(rows.values_list("pk", "name"))
