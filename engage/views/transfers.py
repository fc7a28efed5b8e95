"""Whole-workspace export (owners, from the settings page) and import (anyone signed in,
from the workspace list): a Transfer each, which the page follows while it runs."""

from django.apps import apps
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from engage.access import login_required, workspace_access
from engage.broker import BrokerUnavailable
from engage.forms import WorkspaceImportForm
from engage.models import Transfer
from engage.portability import ArchiveRefused
from engage.roles import Capability
from engage.services import transfers

SETTINGS = "engage/workspaces/settings.html"
IMPORT = "engage/workspaces/import.html"


def transfer_view(transfer: Transfer) -> dict:
    done, total, step = transfers.transfer_progress(transfer)
    left_out = [
        (apps.get_model(label)._meta.verbose_name_plural, count)
        for label, count in transfer.result.get("left_out", {}).items()
    ]
    return {"transfer": transfer, "done": done, "total": total, "step": step, "left_out": left_out}


def exports_context(workspace) -> dict:
    exports = Transfer.objects.filter(workspace=workspace, kind=Transfer.Kind.EXPORT)
    views = [transfer_view(transfer) for transfer in exports.select_related("requested_by")[:5]]
    return {"exports": views, "exports_busy": any(v["transfer"].is_busy for v in views)}


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.MANAGE, post=Capability.MANAGE)
def workspace_export(request):
    """POST: start an export. GET: the list of exports, which the settings page polls."""
    refused = ""
    if request.method == "POST":
        try:
            transfers.export_request(workspace=request.workspace, actor=request.user)
        except BrokerUnavailable as down:
            refused = str(down)
    if not request.htmx:
        if refused:
            messages.error(request, refused)
        return redirect("workspace_settings", workspace=request.workspace.slug)
    context = {**exports_context(request.workspace), "export_refused": refused}
    response = TemplateResponse(request, f"{SETTINGS}#exports", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET"])
@workspace_access(get=Capability.MANAGE)
def workspace_export_download(request, export):
    export = get_object_or_404(
        Transfer,
        pk=export,
        workspace=request.workspace,
        kind=Transfer.Kind.EXPORT,
        status=Transfer.Status.DONE,
    )
    if not export.file:
        raise Http404("This export's file is gone: export again.")
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def workspace_import(request):
    form = WorkspaceImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = transfers.import_request(
                upload=form.cleaned_data["file"],
                actor=request.user,
                name=form.cleaned_data["name"],
            )
        except ArchiveRefused as refused:
            form.add_error("file", f"{refused} Nothing was imported.")
        except BrokerUnavailable as down:
            form.add_error("file", str(down))
        else:
            return redirect("workspace_import_progress", transfer=transfer.pk)
    return TemplateResponse(request, IMPORT, _import_page(request, form))


@require_http_methods(["GET"])
@login_required
def workspace_import_progress(request, transfer):
    """One import's outcome; while it runs, the page polls this for its progress."""
    transfer = get_object_or_404(
        Transfer, pk=transfer, kind=Transfer.Kind.IMPORT, requested_by=request.user
    )
    if request.htmx and not request.htmx.boosted:
        response = TemplateResponse(
            request, f"{IMPORT}#result", {"result": transfer_view(transfer)}
        )
    else:
        context = _import_page(request, WorkspaceImportForm(), result=transfer_view(transfer))
        response = TemplateResponse(request, IMPORT, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _import_page(request, form, **context) -> dict:
    mine = Transfer.objects.filter(kind=Transfer.Kind.IMPORT, requested_by=request.user)
    return {"form": form, "imports": mine.select_related("workspace")[:10], **context}
