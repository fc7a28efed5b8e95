from django import forms

from journeys.models import Ring


class PartyAddForm(forms.Form):
    name = forms.CharField(max_length=80)
    note = forms.CharField(max_length=240, required=False)
    ring = forms.ChoiceField(choices=Ring.choices)
    dimension = forms.IntegerField()


class PartyChangeForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    name = forms.CharField(max_length=80)
    note = forms.CharField(max_length=240, required=False)


class PartyMoveForm(forms.Form):
    version = forms.IntegerField(min_value=1, required=False)
    ring = forms.ChoiceField(choices=Ring.choices)
    dimension = forms.IntegerField()


class DimensionAddForm(forms.Form):
    name = forms.CharField(max_length=60)


class DimensionRenameForm(forms.Form):
    name = forms.CharField(max_length=60)
    original = forms.CharField(max_length=60)
