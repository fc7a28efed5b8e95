"""A manager asks for a PDF pack, watches it being made by the worker, and downloads it."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from engage.roles import Role
from tests.canvases.test_packs import three_canvases
from tests.engage.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_pack_is_requested_watched_and_downloaded(
    browser, live_server, celery_worker, worker_media_root, settings, tmp_path
):
    settings.MEDIA_ROOT = worker_media_root
    viewer = MembershipFactory(role=Role.VIEWER, user__name="Mia Manager")
    owner = MembershipFactory(workspace=viewer.workspace, role=Role.OWNER).user
    three_canvases(viewer.workspace, owner)
    client = Client()
    client.force_login(viewer.user)
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"/w/{viewer.workspace.slug}/canvases/packs/")
    page.get_by_label("Title").fill("Board pack")
    page.get_by_role("button", name="Make the pack").click()

    bar = page.get_by_role("progressbar", name="Progress of Board pack")
    seen = []
    download_link = page.get_by_role("link", name="Download PDF")
    for _ in range(300):  # 60 s at most: the worker renders three canvases
        if download_link.count():
            break
        if bar.count():
            seen.append(int(bar.get_attribute("value") or 0))
        page.wait_for_timeout(200)
    expect(download_link).to_be_visible()
    assert seen, "the progress bar was shown while the pack was made"
    assert seen == sorted(seen), f"progress only moves forward: {seen}"
    expect(page.locator("#main")).to_contain_text("3 canvases")

    with page.expect_download() as download:
        download_link.click()
    path = tmp_path / "pack.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename.endswith(".pdf")
    context.close()
