"""The machine page's actions, one small form each; ids are checked against the job in the view
and the services, never trusted from the form."""

from django import forms

from journeys.models import TransitionKind


class StateAddForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)


class StateForm(forms.Form):
    state = forms.IntegerField()


class StateRenameForm(StateForm):
    name = forms.CharField(max_length=200, required=False)
    version = forms.IntegerField()


class StateStageForm(StateForm):
    stage = forms.IntegerField(required=False)


class TransitionFields(forms.Form):
    kind = forms.ChoiceField(choices=TransitionKind.choices)
    label = forms.CharField(max_length=400, required=False)
    target = forms.IntegerField(required=False)  # empty: the transition ends the job
    spawns = forms.IntegerField(required=False)


class TransitionAddForm(TransitionFields):
    source = forms.IntegerField()


class TransitionForm(forms.Form):
    transition = forms.IntegerField()


class TransitionChangeForm(TransitionFields, TransitionForm):
    version = forms.IntegerField()


def first_error(form: forms.Form) -> str:
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label or name.replace("_", " ") if field else name
        return f"{str(label).capitalize()}: {errors[0]}"
    return "Something in the form is missing."
