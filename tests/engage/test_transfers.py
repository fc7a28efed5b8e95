"""Export from the settings page and import from the import page: small imports at once,
everything else in a real worker, followed by polling; only whoever asked sees it."""

import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from canvases import services as canvas_services
from engage.models import Membership, Transfer, Workspace
from engage.portability import workspace_export
from engage.roles import Role
from engage.services import transfers
from tests.conftest import wait_for
from tests.engage.factories import MembershipFactory, PersonaFactory


def small_workspace(workspace, owner):
    """A persona, a canvas with notes and history, and a second member."""
    persona = PersonaFactory(workspace=workspace, name="Dana")
    canvas = canvas_services.canvas_create(
        workspace=workspace, type_slug="empathy_map", persona=persona, created_by=owner
    )
    for text in ("Wants a dashboard", "Fears audits"):
        canvas_services.note_create(canvas=canvas, area="say", text=text, author=owner)
    MembershipFactory(workspace=workspace, role=Role.VIEWER)
    return canvas


def export_file(workspace, name="export.zip") -> SimpleUploadedFile:
    target = io.BytesIO()
    workspace_export(workspace=workspace, target=target)
    return SimpleUploadedFile(name, target.getvalue(), content_type="application/zip")


@pytest.mark.django_db(transaction=True)
def test_an_owner_exports_in_the_worker_and_downloads_the_file(
    client, celery_worker, worker_media_root, settings, workspace, owner
):
    settings.MEDIA_ROOT = worker_media_root  # the worker writes the file there
    small_workspace(workspace, owner)
    client.force_login(owner)
    page = client.get(reverse("workspace_settings", args=[workspace.slug]))
    assert b"Export this workspace" in page.content
    url = reverse("workspace_export", args=[workspace.slug])
    started = client.post(url, HTTP_HX_REQUEST="true")
    assert started.status_code == 200 and b'hx-trigger="every 1s"' in started.content
    export = wait_for(
        lambda: Transfer.objects.filter(workspace=workspace, status="done").first(), timeout=60
    )
    assert export.filename.startswith(f"{workspace.slug}-") and export.size > 0
    listing = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in listing and export.filename in listing
    download = client.get(reverse("workspace_export_download", args=[workspace.slug, export.pk]))
    assert download["Content-Type"] == "application/zip"
    assert download["Cache-Control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        assert b"Wants a dashboard" in archive.read("data/canvases.note.jsonl")


@pytest.mark.django_db(transaction=True)
def test_a_large_import_runs_in_the_worker_and_the_page_follows_it(
    client, celery_worker, worker_media_root, settings, workspace, owner, other_user
):
    settings.MEDIA_ROOT = worker_media_root  # the worker reads the upload there
    settings.WORKSPACE_IMPORT_BACKGROUND_BYTES = 0
    small_workspace(workspace, owner)
    client.force_login(other_user)
    response = client.post(
        reverse("workspace_import"), {"file": export_file(workspace), "name": "From the worker"}
    )
    transfer = Transfer.objects.get(kind="import", requested_by=other_user)
    assert response.url == reverse("workspace_import_progress", args=[transfer.pk])
    progress = reverse("workspace_import_progress", args=[transfer.pk])
    wait_for(lambda: Transfer.objects.get(pk=transfer.pk).status == "done", timeout=60)
    partial = client.get(progress, HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in partial and "Workspace “From the worker” created" in partial
    imported = Workspace.objects.get(name="From the worker")
    assert Membership.objects.get(workspace=imported, user=other_user).role == Role.OWNER
    transfer.refresh_from_db()
    assert not transfer.file, "the upload is not kept once read"


def test_a_small_import_is_read_at_once(client, workspace, owner, other_user):
    small_workspace(workspace, owner)
    viewer = workspace.memberships.get(role=Role.VIEWER).user
    client.force_login(other_user)
    page = client.get(reverse("workspace_import"))
    assert page.status_code == 200 and b'type="file"' in page.content
    response = client.post(reverse("workspace_import"), {"file": export_file(workspace)})
    page = client.get(response.url).content.decode()
    imported = Workspace.objects.exclude(pk=workspace.pk).get(name=workspace.name)
    assert f"Workspace “{workspace.name}” created" in page
    assert imported.get_absolute_url() in page
    roles = dict(imported.memberships.values_list("user", "role"))
    assert roles == {other_user.pk: Role.OWNER, owner.pk: Role.OWNER, viewer.pk: Role.VIEWER}
    assert client.get(imported.get_absolute_url()).status_code == 200


def test_a_wrong_file_is_refused_with_the_reason_and_nothing_is_stored(
    client, settings, other_user
):
    client.force_login(other_user)
    upload = SimpleUploadedFile("notes.zip", b"hello", content_type="application/zip")
    response = client.post(reverse("workspace_import"), {"file": upload})
    page = client.get(response.url).content.decode()
    assert "The file was refused; nothing was imported." in page
    assert "This is not a ZIP file, or it is damaged" in page
    assert not Workspace.objects.exists()
    settings.WORKSPACE_IMPORT_MAX_BYTES = 3
    upload = SimpleUploadedFile("big.zip", b"hello", content_type="application/zip")
    page = client.post(reverse("workspace_import"), {"file": upload})
    assert "files up to 0 MB can be imported here" in page.content.decode()
    assert Transfer.objects.count() == 1


def test_only_whoever_imported_sees_the_import(client, workspace, owner, other_user, outsider):
    client.force_login(other_user)
    response = client.post(reverse("workspace_import"), {"file": export_file(workspace)})
    client.force_login(outsider)
    assert client.get(response.url).status_code == 404
    assert b"export.zip" not in client.get(reverse("workspace_import")).content


def test_progress_comes_from_the_cache_while_a_transfer_runs(workspace, owner):
    transfer = Transfer.objects.create(kind="export", workspace=workspace, status="running")
    cache.set(transfers.progress_key(transfer.pk), (2000, 9000, "canvases.note"))
    assert transfers.transfer_progress(transfer) == (2000, 9000, "canvases.note")
    transfer.status = "done"
    assert transfers.transfer_progress(transfer) == (0, 0, "")


def test_a_workspace_keeps_its_three_latest_exports(workspace, owner):
    for _ in range(4):
        export = transfers.export_request(workspace=workspace, actor=owner)
        transfers.transfer_execute(export)
    exports = Transfer.objects.filter(workspace=workspace, kind="export")
    assert exports.count() == 3 and all(export.file for export in exports)
