from django import forms

from canvases.models import BdnColumn


class NodeAddForm(forms.Form):
    column = forms.ChoiceField(choices=BdnColumn.choices)
    label = forms.CharField(max_length=200)


class NodeChangeForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    label = forms.CharField(max_length=200)
    owner = forms.CharField(max_length=120, required=False)
    measure = forms.CharField(max_length=200, required=False)
    stakeholder = forms.CharField(max_length=120, required=False)
    job = forms.IntegerField(required=False)
    metric = forms.CharField(max_length=60, required=False)


class LinkAddForm(forms.Form):
    target = forms.IntegerField()


def first_error(form: forms.Form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label or field.capitalize() if field != "__all__" else ""
        return f"{label}: {errors[0]}" if label else errors[0]
    return "Check the form."
