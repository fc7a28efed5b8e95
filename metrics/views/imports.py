"""CSV upload of metrics data: a preview of the first rows with the column mapping, then
the import through the same services as `manage.py import_data`.

Between the two steps the upload waits in a private file with a random name (under
MEDIA_ROOT, which the app never serves), named by a signed token bound to the workspace
and the kind. Why not a DataImport row: a preview is not an import, so the history,
the worker and everything reading DataImport stay as they are, and the second step hands
the file to `data_import_request` exactly like a direct upload (size limit, background
queue and all). Previews left behind are swept after a day.
"""

import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.core import signing
from django.core.files import File
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from engage.access import workspace_access
from engage.broker import BrokerUnavailable
from engage.roles import Capability
from metrics.imports.kinds import KINDS
from metrics.imports.reader import peek, suggest_columns
from metrics.models import DataImport
from metrics.services.imports import SHOWN_ERRORS, FileRefused, data_import_request

PENDING = "imports-pending"
PENDING_MAX_AGE = 24 * 3600
PREVIEW_ROWS = 10
SHOWN_FIRST = 10  # refused rows listed before "and K more"
IGNORE, TRAIT = "", "__trait__"
BUSY = {DataImport.Status.QUEUED, DataImport.Status.CHECKING, DataImport.Status.STORING}

EXAMPLES = {
    "customers": "customer_id,segment,persona,email,consent,created,plan\n"
    "c-1001,,,ana@example.com,yes,2026-01-15,pro\n"
    "c-1002,,,,no,2026-02-03T10:00:00Z,free\n",
    "surveys": "customer_id,kind,score,answered_at,comment,touchpoint,channel\n"
    "c-1001,nps,9,2026-03-01T09:30:00Z,Quick and friendly,,web\n"
    'c-1002,csat,4,2026-03-02,"Slow, but fine",,email\n'
    "c-1001,ces,2,2026-03-03T14:00:00+01:00,,,\n",
    "purchases": "customer_id,purchased_at,amount,profit\n"
    "c-1001,2026-01-20,120.50,30.00\n"
    "c-1002,2026-02-11T16:45:00Z,80,\n",
    "events": "customer_id,event,timestamp,channel,message_id,properties\n"
    "c-1001,Signed in,2026-03-01T09:00:00Z,web,evt-0001,\n"
    'c-1002,Opened email,2026-03-01T10:00:00Z,email,evt-0002,"{""campaign"": ""spring""}"\n',
    "mentions": "platform,posted_at,sentiment,reach,author,url,text\n"
    "x,2026-03-04T08:00:00Z,positive,1200,@ana,https://example.com/posts/1,Set up in five minutes\n"
    "linkedin,2026-03-05,negative,300,Sam Lee,,The export keeps timing out\n",
}


def column_choices(kind, name: str) -> list[tuple[str, str]]:
    """What a file column may be mapped to: the kind's columns, nothing, or a trait."""
    choices = [(column, column) for column in kind.columns]
    if kind.extra_columns_are_traits and name.strip().lower() not in kind.columns:
        choices.append((TRAIT, "trait (kept on the customer)"))
    return [*choices, (IGNORE, "— ignore —")]


def mapping_from(kind, header: list[str], chosen: list[str]) -> tuple[dict[str, str], list[str]]:
    """The `columns` mapping for the import service from the choices made per column, or
    what is wrong with them (each required column once, no kind column twice)."""
    columns, problems, used = {}, [], {}
    for name, choice in zip(header, chosen, strict=True):
        allowed = {value for value, _label in column_choices(kind, name)}
        if choice not in allowed:
            problems.append(f"“{name}” can't be mapped to “{choice}”.")
            continue
        target = name.strip().lower() if choice == TRAIT else choice
        if target and target in used:
            problems.append(f"“{used[target]}” and “{name}” are both mapped to {target}.")
        used.setdefault(target, name)
        columns[name] = target
    missing = [column for column in kind.required if column not in used]
    if missing:
        problems.append(f"Choose the file's column for {', '.join(missing)}: this kind needs it.")
    return columns, problems


def result_context(data_import: DataImport, *, with_errors: bool = True) -> dict:
    """What the page says about one import: progress, counts, or its refused rows."""
    errors = [
        f"row {line}: {reason}" if line else reason
        for line, reason in (data_import.errors if with_errors else ())
    ]
    return {
        "import": data_import,
        "kind": KINDS.get(data_import.kind),
        "busy": data_import.status in BUSY,
        "errors": errors[:SHOWN_FIRST],
        "more_errors": errors[SHOWN_FIRST:],
        "errors_cut": len(errors) >= SHOWN_ERRORS,
    }


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds", choices=[(slug, kind.title) for slug, kind in KINDS.items()]
    )
    file = forms.FileField(
        label="CSV file", widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"})
    )


def _pending_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / PENDING


def _keep(upload) -> str:
    """Store the upload until the import step; return its random name."""
    directory = _pending_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stale = time.time() - PENDING_MAX_AGE
    for old in directory.iterdir():
        if old.stat().st_mtime < stale:
            old.unlink(missing_ok=True)
    name = secrets.token_hex(16)
    with open(directory / name, "wb") as kept:
        for chunk in upload.chunks():
            kept.write(chunk)
    return name


def _salt(workspace) -> str:
    return f"metrics.imports.pending:{workspace.pk}"


def _pending(request) -> tuple[dict, Path] | None:
    try:
        payload = signing.loads(
            request.POST.get("token", ""), salt=_salt(request.workspace), max_age=PENDING_MAX_AGE
        )
    except signing.BadSignature:
        return None
    path = _pending_dir() / payload["file"]
    return (payload, path) if payload.get("kind") in KINDS and path.is_file() else None


def _preview_context(payload: dict, token: str, header, rows, chosen, problems=()) -> dict:
    kind = KINDS[payload["kind"]]
    width = max(len(header), *(len(row) for row in rows))
    return {
        "preview": {
            "token": token,
            "kind": kind,
            "filename": payload["name"],
            "columns": [
                {
                    "index": i,
                    "name": name,
                    "chosen": chosen[i],
                    "choices": column_choices(kind, name),
                }
                for i, name in enumerate(header)
            ],
            "rows": [row + [""] * (width - len(row)) for row in rows],
            "problems": list(problems),
        }
    }


def _preview(request, form: UploadForm):
    """Step 1: keep the file, show its first rows and the mapping guessed from its header."""
    upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
    try:
        if upload.size > settings.METRICS_IMPORT_MAX_BYTES:
            # The service refuses it, saying why, before anything is stored.
            data_import = data_import_request(
                workspace=request.workspace, kind=kind, upload=upload, actor=request.user
            )
            return redirect("metrics:import_progress", request.workspace.slug, data_import.pk)
        header, rows = peek(upload, PREVIEW_ROWS)
    except FileRefused as refused:
        form.add_error("file", str(refused))
        return {}
    spec = KINDS[kind]
    suggested = suggest_columns(header, spec.columns)
    chosen = [
        column
        or (TRAIT if spec.extra_columns_are_traits and name.lower() not in spec.columns else IGNORE)
        for name, column in zip(header, suggested, strict=True)
    ]
    payload = {"file": _keep(upload), "kind": kind, "name": upload.name[:200]}
    token = signing.dumps(payload, salt=_salt(request.workspace))
    return _preview_context(payload, token, header, rows, chosen)


def _import(request):
    """Step 2: the kept file with the chosen mapping, through the import service."""
    pending = _pending(request)
    if pending is None:
        return {"expired": True}
    payload, path = pending
    with open(path, "rb") as kept:
        header, rows = peek(kept, PREVIEW_ROWS)
        chosen = [request.POST.get(f"col-{index}", IGNORE) for index in range(len(header))]
        columns, problems = mapping_from(KINDS[payload["kind"]], header, chosen)
        if problems:
            return _preview_context(payload, request.POST["token"], header, rows, chosen, problems)
        try:
            data_import = data_import_request(
                workspace=request.workspace,
                kind=payload["kind"],
                upload=File(kept, name=payload["name"]),
                actor=request.user,
                columns=columns,
            )
        except FileRefused as refused:  # e.g. the size limit was lowered in between
            data_import = None
            outcome = {"refused": str(refused)}
        except BrokerUnavailable as down:  # the file stays kept: the same form imports it later
            token = request.POST["token"]
            return _preview_context(payload, token, header, rows, chosen, [str(down)])
    path.unlink(missing_ok=True)
    if data_import is None:
        return outcome
    return redirect("metrics:import_progress", request.workspace.slug, data_import.pk)


def _page(request, **context) -> TemplateResponse:
    workspace = request.workspace
    context = {
        "form": UploadForm(),
        "kinds": list(KINDS.values()),
        "history": [
            result_context(data_import, with_errors=False)
            for data_import in DataImport.objects.in_workspace(workspace)
            .select_related("requested_by")
            .defer("errors")[:30]
        ],
        "can_upload": request.membership.can(Capability.EDIT),
        **context,
    }
    return TemplateResponse(request, "metrics/imports/index.html", context)


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.VIEW, post=Capability.EDIT)
def import_index(request):
    if request.method == "GET":
        return _page(request)
    if "token" in request.POST:
        outcome = _import(request)
        form = UploadForm()
    else:
        form = UploadForm(request.POST, request.FILES)
        outcome = _preview(request, form) if form.is_valid() else {}
    if isinstance(outcome, HttpResponse):
        return outcome
    return _page(request, form=form, **outcome)


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def import_progress(request, data_import):
    """One import's result; while it runs, the page polls this for the progress bar."""
    data_import = get_object_or_404(
        DataImport.objects.in_workspace(request.workspace).select_related("requested_by"),
        pk=data_import,
    )
    result = result_context(data_import)
    if request.htmx and not request.htmx.boosted:
        response = TemplateResponse(
            request, "metrics/imports/index.html#result", {"result": result}
        )
    else:
        # The next file is often of the same kind.
        form = UploadForm(initial={"kind": data_import.kind})
        response = _page(request, result=result, form=form)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def import_example(request):
    """A small file of the kind asked for (?kind=…) that imports as it is."""
    kind = request.GET.get("kind")
    if kind is None:
        return redirect("metrics:imports", request.workspace.slug)
    if kind not in EXAMPLES:
        raise Http404("No such kind of file.")
    response = HttpResponse(EXAMPLES[kind], content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="engage-{kind}-example.csv"'
    return response
