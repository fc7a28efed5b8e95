from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from canvases import selectors, services, types
from canvases.forms import CanvasCreateForm
from canvases.pdf import pdf_download, render_canvas_pdf
from engage.access import workspace_access
from engage.roles import Capability

from .common import facilitating, get_canvas


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.VIEW, post=Capability.EDIT)
def canvas_list(request):
    workspace = request.workspace
    initial = (
        {"type": request.GET.get("type")}
        if request.GET.get("type") in dict(types.creatable_choices())
        else None
    )
    form = CanvasCreateForm(request.POST or None, initial=initial, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            canvas = services.canvas_create(
                workspace=workspace,
                type_slug=data["type"],
                created_by=request.user,
                title=data["title"],
                persona=data["persona"],
                job=data["job"],
                facilitator=data["facilitator"],
                session_date=data["session_date"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(canvas)
    context = {
        "canvases": selectors.canvases_for_workspace(workspace),
        "form": form,
        "families": types.families(),
    }
    return TemplateResponse(request, "canvases/list.html", context)


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def canvas_copy(request, canvas):
    copy = services.canvas_copy(canvas=get_canvas(request, canvas), actor=request.user)
    return redirect(copy)


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def canvas_history(request, canvas):
    canvas = get_canvas(request, canvas)
    context = {
        "canvas": canvas,
        "events": selectors.history(canvas, limit=200),
        "deleted": selectors.deleted_notes(canvas),
        "versions": selectors.versions_of(canvas),
        "can_write": request.membership.can(Capability.PARTICIPATE)
        and (not canvas.is_locked or facilitating(request)),
    }
    return TemplateResponse(request, "canvases/history.html", context)


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def canvas_pdf(request, canvas):
    canvas = get_canvas(request, canvas)
    filename = f"{slugify(canvas.title) or 'canvas'}-v{canvas.version}.pdf"
    return pdf_download(render_canvas_pdf(canvas), filename)
