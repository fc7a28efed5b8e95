"""The dashboard's filters (GET parameters): a period, and a segment or a persona."""

import datetime as dt

from django import forms
from django.http import QueryDict

PERIODS = [
    ("30", "Last 30 days"),
    ("90", "Last 90 days"),
    ("365", "Last 365 days"),
    ("all", "All time"),
    ("range", "From – to"),
]
SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})
FIELDS = ("period", "start", "end", "segment", "persona")


class DashboardFilters(forms.Form):
    period = forms.ChoiceField(choices=PERIODS, required=False, initial="all", widget=SELECT)
    start = forms.DateField(label="From", required=False, widget=DATE)
    end = forms.DateField(label="To", required=False, widget=DATE)
    segment = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="All segments", widget=SELECT
    )
    persona = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="All personas", widget=SELECT
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = workspace.segments.order_by("name")
        self.fields["persona"].queryset = workspace.personas.order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("segment") and data.get("persona"):
            raise forms.ValidationError("Choose a segment or a persona, not both at once.")
        start, end = data.get("start"), data.get("end")
        if data.get("period") == "range":
            if not (start or end):
                raise forms.ValidationError("Give a first day, a last day, or both.")
            if start and end and start > end:
                raise forms.ValidationError("The first day comes after the last day.")
        return data


def window(period: str, start, end, today: dt.date):
    """(start, end, previous) for a period: previous is the (start, end) of the period of
    the same length just before, or None when there is none to compare with."""
    if period in ("30", "90", "365"):
        days = int(period)
        start, end = today - dt.timedelta(days=days - 1), today
    elif period != "range" or not (start or end):
        return None, None, None
    if start and end:
        length = (end - start).days + 1
        previous_end = start - dt.timedelta(days=1)
        return start, end, (previous_end - dt.timedelta(days=length - 1), previous_end)
    return start, end, None


def query_string(data) -> str:
    """The filters of `data` (a QueryDict, or a query string) again, known parameters only."""
    kept = QueryDict(data, mutable=True) if isinstance(data, str) else data.copy()
    for name in list(kept):
        if name not in FIELDS:
            del kept[name]
    return kept.urlencode()
