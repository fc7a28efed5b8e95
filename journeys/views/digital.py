"""The digital journey map: a journey's digital mix against its target, with its gaps.

One page (its POST sets the target type), its PDF; htmx posts get the mix region back.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from canvases.pdf import pdf_download, render_document
from engage.access import workspace_access
from engage.roles import Capability
from journeys import mix as mixes
from journeys.digital import DigitalType
from journeys.models import Journey
from journeys.services import journey_set_target

PDF_STYLES = ("css/print.css", "css/journeys-mix.css")


class TargetForm(forms.Form):
    target_type = forms.ChoiceField(
        label="Target digital type",
        choices=[("", "No target"), *((t.value, t.label) for t in DigitalType)],
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


def get_journey(request, pk) -> Journey:
    journeys = Journey.objects.filter(workspace=request.workspace)
    return get_object_or_404(
        journeys.select_related("canvas__persona", "canvas__job", "canvas__workspace"), pk=pk
    )


def mix_context(journey: Journey) -> dict:
    return {
        "journey": journey,
        "board_url": journey.canvas.get_absolute_url(),
        **mixes.charts(mixes.journey_mix(journey)),
    }


def _target_form(journey: Journey, data=None) -> TargetForm:
    return TargetForm(
        data, initial={"target_type": journey.target_type, "version": journey.version}
    )


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.VIEW, post=Capability.EDIT)
def digital_mix(request, journey):
    journey = get_journey(request, journey)
    form, done, error = _target_form(journey, request.POST or None), "", ""
    if request.method == "POST" and form.is_valid():
        try:
            journey = journey_set_target(
                journey=journey,
                target_type=form.cleaned_data["target_type"],
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
        except ValidationError as refused:
            # Show the journey as it is now, so choosing again starts from its version.
            error, journey = refused.messages[0], get_journey(request, journey.pk)
            form = _target_form(journey)
        else:
            done = "Target saved. Undo on the journey board takes it back."
            if not request.htmx:
                messages.success(request, done)
                return redirect("journeys:digital_mix", request.workspace.slug, journey.pk)
            form = _target_form(journey)
    context = {
        **mix_context(journey),
        "form": form,
        "done": done,
        "error": error,
        "can_edit": request.membership.can(Capability.EDIT),
    }
    partial = "#mix" if request.htmx and not request.htmx.boosted else ""
    response = TemplateResponse(request, f"journeys/digital/mix.html{partial}", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def digital_mix_pdf(request, journey):
    journey = get_journey(request, journey)
    context = {**mix_context(journey), "generated_at": timezone.now(), "is_print": True}
    html = render_to_string("journeys/digital/pdf.html", context)
    filename = f"{slugify(journey.canvas.title) or 'journey'}-digital-mix.pdf"
    return pdf_download(render_document(html, PDF_STYLES).write_pdf(), filename)
