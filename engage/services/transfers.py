"""Exports and imports asked for from the pages: a Transfer row each, run by a task (or at
once, for an upload small enough), its progress kept in the cache for the page to poll
(the rows being stored are inside a transaction no other connection sees into).
"""

import tempfile
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from engage.broker import require_broker
from engage.models import Transfer, User, Workspace
from engage.portability import ArchiveRefused, workspace_export, workspace_import

EXPORTS_KEPT = 3  # per workspace; older files are deleted when a new one is done


def progress_key(transfer_id: int) -> str:
    return f"transfer:{transfer_id}:progress"


def transfer_progress(transfer: Transfer) -> tuple[int, int, str]:
    """(rows done, rows in all, the model being read or written) as last reported."""
    if transfer.is_busy:
        reported = cache.get(progress_key(transfer.pk))
        if reported:
            return tuple(reported)
    return transfer.rows_done, transfer.rows_total, ""


def export_request(*, workspace: Workspace, actor: User) -> Transfer:
    """Queue an export of `workspace`; the task writes the file the page then offers.
    BrokerUnavailable (nothing stored) when the job queue can't be reached."""
    from engage.tasks import run_transfer  # tasks call services: import at use

    require_broker()
    stamp = timezone.now().strftime("%Y-%m-%d-%H%M")
    transfer = Transfer.objects.create(
        kind=Transfer.Kind.EXPORT,
        workspace=workspace,
        requested_by=actor,
        filename=f"{workspace.slug}-{stamp}.zip",
    )
    transaction.on_commit(lambda: run_transfer.delay(transfer.pk))
    return transfer


def import_request(*, upload, actor: User, name: str = "") -> Transfer:
    """A new workspace from an uploaded export file, owned by `actor`: small files are read
    now, larger ones (WORKSPACE_IMPORT_BACKGROUND_BYTES and up) by a task."""
    from engage.tasks import run_transfer

    limit = settings.WORKSPACE_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise ArchiveRefused(
            f"The file is {upload.size / 2**20:.1f} MB; files up to {limit / 2**20:.0f} MB can "
            "be imported here. Use manage.py import_workspace for larger ones."
        )
    transfer = Transfer(
        kind=Transfer.Kind.IMPORT,
        requested_by=actor,
        name=name.strip()[:120],
        filename=upload.name[:200],
        size=upload.size,
    )
    if upload.size < settings.WORKSPACE_IMPORT_BACKGROUND_BYTES:
        transfer.save()
        return transfer_execute(transfer, source=upload)
    require_broker()  # before the file is stored: nothing is left behind when it can't start
    transfer.file.save(f"{uuid.uuid4().hex}.zip", upload, save=True)
    transaction.on_commit(lambda: run_transfer.delay(transfer.pk))
    return transfer


def transfer_execute(transfer: Transfer, *, source=None) -> Transfer:
    """Run a queued transfer once (a second call, or a second worker, finds it taken)."""
    rows = Transfer.objects.filter(pk=transfer.pk)
    if not rows.filter(status=Transfer.Status.QUEUED).update(status=Transfer.Status.RUNNING):
        transfer.refresh_from_db()
        return transfer

    def progress(done, total, step):
        cache.set(progress_key(transfer.pk), (done, total, step), timeout=3600)

    outcome = {}
    try:
        if transfer.kind == Transfer.Kind.EXPORT:
            outcome = _export(transfer, progress)
        else:
            outcome = _import(transfer, source, progress)
    except ArchiveRefused as refused:
        outcome = {"status": Transfer.Status.REFUSED, "error": str(refused)}
    except Exception as error:
        outcome = {"status": Transfer.Status.FAILED, "error": str(error)[:2000]}
        raise
    finally:
        if transfer.kind == Transfer.Kind.IMPORT and transfer.file:
            transfer.file.delete(save=False)  # the upload is read: it is not kept
            outcome["file"] = ""
        cache.delete(progress_key(transfer.pk))
        rows.update(**outcome, finished_at=timezone.now())
    transfer.refresh_from_db()
    if transfer.kind == Transfer.Kind.EXPORT and transfer.status == Transfer.Status.DONE:
        _drop_old_exports(transfer.workspace)
    return transfer


def _export(transfer: Transfer, progress) -> dict:
    with tempfile.TemporaryFile() as target:
        manifest = workspace_export(workspace=transfer.workspace, target=target, progress=progress)
        size = target.tell()
        target.seek(0)
        transfer.file.save(f"{uuid.uuid4().hex}.zip", File(target), save=False)
    rows = sum(entry["rows"] for entry in manifest["models"])
    return {
        "status": Transfer.Status.DONE,
        "file": transfer.file.name,
        "size": size,
        "rows_done": rows,
        "rows_total": rows,
        "result": {"rows": {entry["model"]: entry["rows"] for entry in manifest["models"]}},
    }


def _import(transfer: Transfer, source, progress) -> dict:
    if transfer.requested_by is None:
        raise ArchiveRefused("Whoever uploaded this file no longer has an account here.")
    if source is None:
        with transfer.file.open("rb") as stored:
            return _import(transfer, stored, progress)
    result = workspace_import(
        source=source, owner=transfer.requested_by, name=transfer.name, progress=progress
    )
    rows = sum(result.rows.values()) + 1  # and the workspace
    return {
        "status": Transfer.Status.DONE,
        "workspace": result.workspace,
        "rows_done": rows,
        "rows_total": rows,
        "result": {
            "rows": result.rows,
            "left_out": result.left_out,
            "strangers": result.strangers,
            "notes": result.notes,
        },
    }


def _drop_old_exports(workspace: Workspace) -> None:
    done = Transfer.objects.filter(
        workspace=workspace, kind=Transfer.Kind.EXPORT, status=Transfer.Status.DONE
    )
    for old in done.order_by("-created_at", "-id")[EXPORTS_KEPT:]:
        old.file.delete(save=False)
        old.delete()
