from django import forms

from engage.models import Job, Persona
from journeys.digital import DigitalType
from journeys.models import Channel, DataNeed, Emotion, Function, Touchpoint
from journeys.services import PRESET_CHOICES


class JourneyCreateForm(forms.Form):
    persona = forms.ModelChoiceField(queryset=Persona.objects.none())
    scenario = forms.CharField(
        max_length=300, help_text="The situation the journey follows, e.g. “first payroll run”."
    )
    title = forms.CharField(
        max_length=160, required=False, help_text="Leave empty for “persona: scenario”."
    )
    job = forms.ModelChoiceField(
        queryset=Job.objects.none(), required=False, help_text="The job the journey serves."
    )
    preset = forms.ChoiceField(
        label="Start with the stages", choices=PRESET_CHOICES, initial="purchase",
        widget=forms.RadioSelect,
    )  # fmt: skip
    target_type = forms.ChoiceField(
        label="Target digital type",
        choices=[("", "Not set yet"), *((t.value, t.label) for t in DigitalType)],
        required=False,
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = Persona.objects.in_workspace(workspace)
        self.fields["job"].queryset = Job.objects.in_workspace(workspace)


class JourneyChangeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=160)
    scenario = forms.CharField(max_length=300)


class StageAddForm(forms.Form):
    name = forms.CharField(max_length=80)


class StageChangeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(max_length=80)
    goals = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    expected_duration = forms.CharField(label="Time", max_length=80, required=False)
    expected_hours = forms.IntegerField(
        label="Expected time in hours", min_value=0, required=False,
        help_text="Used later to tell when a customer is taking too long here.",
    )  # fmt: skip


class StageMoveForm(forms.Form):
    position = forms.IntegerField(min_value=0)


class EmotionForm(forms.Form):
    emotion = forms.TypedChoiceField(
        choices=[("", "Not set"), *Emotion.choices], coerce=int, empty_value=None, required=False
    )


class TouchpointForm(forms.Form):
    name = forms.CharField(max_length=120)
    channel = forms.ChoiceField(choices=Channel.choices)
    digital = forms.ChoiceField(
        choices=[("auto", "As the channel says"), ("yes", "Digital"), ("no", "Not digital")],
        required=False,
    )
    owner = forms.ChoiceField(choices=[("", "—"), *Function.choices], required=False)
    value_sign = forms.ChoiceField(choices=Touchpoint.Value.choices, required=False)
    value = forms.CharField(max_length=240, required=False)
    pains = forms.CharField(max_length=240, required=False)
    expected_duration = forms.CharField(max_length=80, required=False)

    def details(self) -> dict:
        data = dict(self.cleaned_data)
        digital = data.pop("digital") or "auto"
        data["is_digital"] = None if digital == "auto" else digital == "yes"
        return data


class TouchpointChangeForm(TouchpointForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class DataNeedForm(forms.Form):
    kind = forms.ChoiceField(choices=DataNeed.Kind.choices)
    item = forms.CharField(max_length=120)
    source = forms.CharField(max_length=160, required=False)
