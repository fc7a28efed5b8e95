from django import forms

from canvases import types
from canvases.models import Canvas, NoteColour
from engage.models import Job, Persona


class CanvasCreateForm(forms.Form):
    type = forms.ChoiceField(label="Canvas", choices=types.creatable_choices)
    title = forms.CharField(
        max_length=160, required=False, help_text="Leave empty to name it after its persona or job."
    )
    persona = forms.ModelChoiceField(queryset=Persona.objects.none(), required=False)
    job = forms.ModelChoiceField(queryset=Job.objects.none(), required=False)
    facilitator = forms.CharField(label="Performed by", max_length=160, required=False)
    session_date = forms.DateField(
        label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = Persona.objects.in_workspace(workspace)
        self.fields["job"].queryset = Job.objects.in_workspace(workspace)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("type") == types.PERSONA_CARD.slug and not cleaned.get("persona"):
            self.add_error("persona", "A persona card belongs to one persona: pick it.")
        return cleaned


class NoteAddForm(forms.Form):
    area = forms.CharField(max_length=60)
    text = forms.CharField(max_length=2000)
    score = forms.IntegerField(required=False)


class NoteEditForm(forms.Form):
    text = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    colour = forms.ChoiceField(choices=NoteColour.choices, required=False)
    score = forms.IntegerField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
    original = forms.CharField(
        max_length=2000, required=False, widget=forms.HiddenInput, strip=False
    )


class NoteMoveForm(forms.Form):
    area = forms.CharField(max_length=60)
    position = forms.IntegerField(min_value=0, required=False)


class FieldForm(forms.Form):
    value = forms.CharField(max_length=5000, required=False)
    original = forms.CharField(max_length=5000, required=False)


class PackRequestForm(forms.Form):
    title = forms.CharField(
        max_length=160, required=False, help_text="Leave empty to name it after the workspace."
    )
    canvases = forms.ModelMultipleChoiceField(
        queryset=Canvas.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["canvases"].queryset = Canvas.objects.in_workspace(workspace)
