"""An owner exports a workspace from its settings in a real browser, downloads the file
and makes a new workspace from it on the import page."""

import pytest
from playwright.sync_api import expect

from engage.models import Workspace
from tests.e2e.test_metrics_dashboard import logged_in_page
from tests.engage.test_transfers import small_workspace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_exporting_downloading_and_importing_a_workspace(
    browser, live_server, celery_worker, worker_media_root, settings, artifact_path, tmp_path,
    workspace, owner,
):  # fmt: skip
    settings.MEDIA_ROOT = worker_media_root  # the worker writes the export there
    small_workspace(workspace, owner)
    context, page, errors = logged_in_page(browser, live_server, owner)
    page.goto(f"/w/{workspace.slug}/settings/")
    page.get_by_role("button", name="Export").click()
    download_link = page.locator("#exports a[href$='/download/']").first
    expect(download_link).to_be_visible(timeout=60_000)  # the list polls until it is done
    page.screenshot(path=artifact_path("export-settings.png"), full_page=True)
    with page.expect_download() as download:
        download_link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith(workspace.slug) and saved.suffix == ".zip"

    page.goto("/import/")
    page.locator("input[type=file]").set_input_files(saved)
    page.get_by_label("Name of the new workspace").fill("Copy of the workshop")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Workspace “Copy of the workshop” created")).to_be_visible()
    page.screenshot(path=artifact_path("import-done.png"), full_page=True)
    page.get_by_role("link", name="Open it").click()
    copy = Workspace.objects.get(name="Copy of the workshop")
    expect(page).to_have_url(f"{live_server.url}{copy.get_absolute_url()}")
    assert copy.personas.filter(name="Dana").exists()
    assert not errors, errors
    context.close()
