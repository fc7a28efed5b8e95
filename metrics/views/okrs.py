"""The OKR page: objectives with their key results, each measured, scored and drawn.

Every action posts to its own URL. htmx requests get the board region back (with the
failing form bound and its errors, so nothing typed is lost); without JavaScript a
success redirects to the page and a failure renders the page with the form.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from canvases.pdf import pdf_download, render_document
from engage.access import workspace_access
from engage.roles import Capability
from metrics.models import KeyResult, Objective
from metrics.okrs import okr_board
from metrics.services import okrs as services
from metrics.views.okr_forms import KeyResultForm, ObjectiveForm, owner_choices, slice_choices

PDF_STYLES = ("css/print.css", "css/metrics.css", "css/okrs.css")


def _objective(request, pk) -> Objective:
    return get_object_or_404(Objective, workspace=request.workspace, pk=pk)


def _key_result(request, pk) -> KeyResult:
    return get_object_or_404(
        KeyResult.objects.select_related("objective", "measure"),
        objective__workspace=request.workspace,
        pk=pk,
    )


class Forms:
    """Builds the page's forms with the owner and slice choices read once per request; a
    form the request bound (to show its errors) takes the place of the fresh one."""

    def __init__(self, workspace, bound_id: str = "", data=None):
        self.owners, self.slices = owner_choices(workspace), slice_choices(workspace)
        self.bound_id, self.data = bound_id, data
        self.bound = None

    def make(self, form_id: str, initial: dict | None = None):
        form_class = KeyResultForm if form_id.startswith("key-result") else ObjectiveForm
        choices = (
            {"slices": self.slices} if form_class is KeyResultForm else {"owners": self.owners}
        )
        if form_id == self.bound_id:
            if self.bound is None:
                self.bound = form_class(self.data, auto_id=f"{form_id}-%s", **choices)
            return self.bound
        return form_class(initial=initial, auto_id=f"{form_id}-%s", **choices)


def _with_forms(objectives, forms: Forms) -> None:
    for view in objectives:
        objective = view.objective
        view.edit_form = forms.make(
            f"objective-{objective.pk}",
            {
                "title": objective.title,
                "description": objective.description,
                "owner": objective.owner_id,
                "version": objective.version,
            },
        )
        view.add_form = forms.make(f"key-result-add-{objective.pk}")
        for kr_view in view.key_results:
            kr, measure = kr_view.key_result, kr_view.key_result.measure
            kr_view.edit_form = forms.make(
                f"key-result-{kr.pk}",
                {
                    "title": kr.title,
                    "metric": measure.metric,
                    "narrow_to": f"{measure.dimension}:{measure.key}" if measure.dimension else "",
                    "window_days": measure.window_days,
                    "baseline": kr.baseline,
                    "target": kr.target,
                    "start": kr.start,
                    "due": kr.due,
                    "version": kr.version,
                },
            )


def board_context(request, forms: Forms | None = None) -> dict:
    objectives = okr_board(request.workspace)
    can_edit = request.membership.can(Capability.EDIT)
    context = {"objectives": objectives, "can_edit": can_edit, "today": timezone.localdate()}
    if can_edit:
        forms = forms or Forms(request.workspace)
        _with_forms(objectives, forms)
        context["objective_form"] = forms.make("objective-add")
    return context


def _respond(request, *, done: str = "", forms: Forms | None = None):
    """After an action: the board (htmx), else a redirect; with `forms`, its bound form's errors."""
    refused = forms is not None
    if not refused and not request.htmx:
        messages.success(request, done)
        return redirect("metrics:okrs", request.workspace.slug)
    context = board_context(request, forms) | {"done": done, "refused": refused}
    if request.htmx:
        return TemplateResponse(request, "metrics/okrs.html#board", context)
    return TemplateResponse(request, "metrics/okrs.html", context)


def _bind(request, form_id: str) -> tuple[Forms, object]:
    forms = Forms(request.workspace, form_id, request.POST)
    return forms, forms.make(form_id)


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def okr_index(request):
    return TemplateResponse(request, "metrics/okrs.html", board_context(request))


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def objective_add(request):
    forms, form = _bind(request, "objective-add")
    if not form.is_valid():
        return _respond(request, forms=forms)
    data = form.cleaned_data
    services.objective_create(
        workspace=request.workspace,
        actor=request.user,
        title=data["title"],
        description=data["description"],
        owner=data["owner"],
    )
    return _respond(request, done=f"Objective “{data['title']}” added.")


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def objective_change(request, objective):
    objective = _objective(request, objective)
    forms, form = _bind(request, f"objective-{objective.pk}")
    if not form.is_valid():
        return _respond(request, forms=forms)
    data = form.cleaned_data
    try:
        services.objective_change(
            objective=objective,
            expected_version=data["version"] or 0,
            title=data["title"],
            description=data["description"],
            owner=data["owner"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _respond(request, forms=forms)
    return _respond(request, done="Objective saved.")


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def objective_remove(request, objective):
    objective = _objective(request, objective)
    services.objective_remove(objective=objective)
    return _respond(request, done=f"Objective “{objective.title}” removed.")


def _key_result_fields(request, data) -> dict:
    measure = services.measure_for(
        workspace=request.workspace,
        metric=data["metric"],
        dimension=data["dimension"],
        key=data["key"],
        window_days=data["window_days"],
    )
    fields = ("title", "baseline", "target", "start", "due")
    return {"measure": measure} | {name: data[name] for name in fields}


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def key_result_add(request, objective):
    objective = _objective(request, objective)
    forms, form = _bind(request, f"key-result-add-{objective.pk}")
    if not form.is_valid():
        return _respond(request, forms=forms)
    try:
        services.key_result_create(
            objective=objective, **_key_result_fields(request, form.cleaned_data)
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _respond(request, forms=forms)
    return _respond(request, done=f"Key result “{form.cleaned_data['title']}” added.")


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def key_result_change(request, key_result):
    key_result = _key_result(request, key_result)
    forms, form = _bind(request, f"key-result-{key_result.pk}")
    if form.is_valid() and form.cleaned_data["baseline"] is None:
        form.add_error("baseline", "Give the baseline the result is measured from.")
    if not form.is_valid():
        return _respond(request, forms=forms)
    try:
        services.key_result_change(
            key_result=key_result,
            expected_version=form.cleaned_data["version"] or 0,
            **_key_result_fields(request, form.cleaned_data),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _respond(request, forms=forms)
    return _respond(request, done="Key result saved.")


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def key_result_remove(request, key_result):
    key_result = _key_result(request, key_result)
    services.key_result_remove(key_result=key_result)
    return _respond(request, done=f"Key result “{key_result.title}” removed.")


def okr_print_context(workspace) -> dict:
    return {
        "workspace": workspace,
        "objectives": okr_board(workspace),
        "generated_at": timezone.now(),
        "is_print": True,
    }


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def okr_pdf(request):
    html = render_to_string("metrics/okrs_pdf.html", okr_print_context(request.workspace))
    filename = f"{slugify(request.workspace.name) or 'workspace'}-okrs.pdf"
    return pdf_download(render_document(html, PDF_STYLES).write_pdf(), filename)


def pack_section_html(workspace) -> str:
    """The "Objectives and key results" section of a canvas pack."""
    return render_to_string("metrics/okrs_pack.html", okr_print_context(workspace))
