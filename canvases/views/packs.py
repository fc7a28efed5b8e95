from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from canvases import selectors, services
from canvases.forms import PackRequestForm
from canvases.models import CanvasPack
from engage.access import workspace_access
from engage.broker import BrokerUnavailable
from engage.roles import Capability


def get_pack(request, pk) -> CanvasPack:
    return get_object_or_404(CanvasPack.objects.in_workspace(request.workspace), pk=pk)


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.VIEW, post=Capability.VIEW)
def pack_list(request):
    workspace = request.workspace
    latest = list(selectors.latest_versions(workspace))
    form = PackRequestForm(
        request.POST or None, workspace=workspace, initial={"canvases": [c.pk for c in latest]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pack_request(
                workspace=workspace,
                requested_by=request.user,
                canvases=form.cleaned_data["canvases"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except BrokerUnavailable as down:
            form.add_error(None, str(down))
        else:
            return redirect("canvases:pack_list", workspace=workspace.slug)
    chosen = {str(pk) for pk in form["canvases"].value() or []}
    groups = [
        (persona, list(canvases))
        for persona, canvases in groupby(latest, key=lambda canvas: canvas.persona)
    ]
    context = {
        "packs": selectors.packs_for_workspace(workspace),
        "form": form,
        "groups": groups,
        "chosen": chosen,
    }
    return TemplateResponse(request, "canvases/packs/list.html", context)


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def pack_progress(request, pack):
    pack = get_pack(request, pack)
    if not request.htmx:
        return redirect("canvases:pack_list", workspace=request.workspace.slug)
    return TemplateResponse(request, "canvases/packs/list.html#pack", {"pack": pack})


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def pack_download(request, pack):
    pack = get_pack(request, pack)
    if pack.status != CanvasPack.Status.DONE or not pack.file:
        raise Http404("This pack is not ready.")
    response = FileResponse(
        pack.file.open("rb"),
        as_attachment=True,
        filename=f"{pack.title}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["POST"])
@workspace_access(get=Capability.MANAGE, post=Capability.MANAGE)
def pack_delete(request, pack):
    services.pack_delete(pack=get_pack(request, pack))
    return redirect("canvases:pack_list", workspace=request.workspace.slug)


@require_http_methods(["POST"])
@workspace_access(get=Capability.VIEW, post=Capability.VIEW)
def pack_retry(request, pack):
    pack = get_pack(request, pack)
    try:
        services.pack_retry(pack=pack)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    except BrokerUnavailable as down:
        messages.error(request, str(down))
    if request.htmx:
        return TemplateResponse(request, "canvases/packs/list.html#pack", {"pack": pack})
    return redirect("canvases:pack_list", workspace=request.workspace.slug)
