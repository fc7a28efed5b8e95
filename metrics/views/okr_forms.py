"""Forms of the OKR page: an objective, and a key result with the measure it binds."""

from django import forms
from django.utils import timezone

from journeys.models import Touchpoint
from metrics.catalogue import METRICS, metric_choices
from metrics.okrs import window_label

WINDOWS = [(days, window_label(days).capitalize()) for days in (30, 90, 180, 365, 0)]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ObjectiveForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Why it matters."
    )
    owner = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, owners: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "— nobody yet —"), *owners]


def owner_choices(workspace) -> list[tuple[int, str]]:
    """The members who may own an objective, read once for every form on the page."""
    members = workspace.memberships.select_related("user").order_by("user__name", "user__email")
    return [(m.user_id, m.user.display_name) for m in members]


def slice_choices(workspace) -> list:
    """The survey slices a measure may narrow to, grouped, as "<dimension>:<pk>": read once
    for every form on the page."""
    touchpoints = Touchpoint.objects.filter(
        stage__journey__workspace=workspace, stage__removed_at=None
    ).select_related("stage__journey__canvas")
    return [
        ("", "Everyone"),
        ("Segments", [(f"segment:{s.pk}", s.name) for s in workspace.segments.order_by("name")]),
        ("Personas", [(f"persona:{p.pk}", p.name) for p in workspace.personas.order_by("name")]),
        (
            "Touchpoints",
            [
                (f"touchpoint:{t.pk}", f"{t.name} ({t.stage.journey.canvas.title}, {t.stage.name})")
                for t in touchpoints
            ],
        ),
    ]


class KeyResultForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="What changes, e.g. “Onboarding NPS up”.")
    metric = forms.ChoiceField(choices=metric_choices)
    narrow_to = forms.ChoiceField(
        required=False, help_text="Survey measures only: NPS, CSAT and effort."
    )
    window_days = forms.TypedChoiceField(
        label="Measured over", choices=WINDOWS, coerce=int, initial=90
    )
    baseline = forms.FloatField(
        required=False, help_text="Empty: today's measured value.", widget=forms.NumberInput
    )
    target = forms.FloatField()
    start = forms.DateField(initial=timezone.localdate, widget=DATE)
    due = forms.DateField(widget=DATE)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, slices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["narrow_to"].choices = slices
        for name in ("baseline", "target"):
            self.fields[name].widget.attrs["step"] = "any"

    def clean(self):
        data = super().clean()
        dimension, _, key = (data.get("narrow_to") or "").partition(":")
        data["dimension"], data["key"] = dimension, key
        metric = METRICS.get(data.get("metric"))
        if metric and dimension and not metric.sliced:
            self.add_error(
                "narrow_to",
                f"{metric.title} is measured for everyone; only survey measures narrow.",
            )
        if data.get("start") and data.get("due") and data["due"] <= data["start"]:
            self.add_error("due", "The due date must come after the start.")
        baseline, target = data.get("baseline"), data.get("target")
        if baseline is not None and target is not None and baseline == target:
            self.add_error("target", "The target must differ from the baseline.")
        return data
