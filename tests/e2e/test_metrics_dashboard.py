"""An facilitator opens the metrics dashboard, presses Recompute now, watches the bar finish
and the cards fill, on a real Celery worker."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from engage.roles import Role
from tests.engage.factories import MembershipFactory
from tests.metrics.test_dashboard import feed_recent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in_page(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1440, "height": 900})
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
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return context, page, errors


def test_recompute_now_shows_progress_then_the_cards(
    browser, live_server, celery_worker, artifact_path
):
    facilitator = MembershipFactory(role=Role.FACILITATOR, user__name="Fay Facilitator")
    workspace = facilitator.workspace
    feed_recent(workspace)
    context, page, errors = logged_in_page(browser, live_server, facilitator.user)
    page.goto(f"/w/{workspace.slug}/metrics/")
    expect(page.locator("#metrics-dashboard")).to_contain_text("not computed yet")

    page.get_by_role("button", name="Recompute now").click()
    bar = page.get_by_role("progressbar", name="Metrics computation")
    expect(bar).to_be_visible()
    seen = []
    for _ in range(300):  # 60 s at most
        if not bar.count():
            break
        seen.append(int(bar.get_attribute("value") or 0))
        page.wait_for_timeout(200)
    expect(bar).to_have_count(0, timeout=60_000)
    assert seen == sorted(seen), f"progress only moves forward: {seen}"
    expect(page.locator("#metrics-run")).to_contain_text("Last computed at")
    nps = page.locator("#card-nps")
    expect(nps).to_contain_text("n = 4")
    expect(nps.locator(".metric-value")).to_have_text("+50")
    expect(page.locator("#card-digital")).to_contain_text("2 interaction events")
    page.screenshot(path=artifact_path("metrics-dashboard.png"), full_page=True)

    page.get_by_label("Period").select_option("30")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(
        f"{live_server.url}/w/{workspace.slug}/metrics/?period=30&start=&end=&segment=&persona="
    )
    expect(page.locator("#metrics-dashboard")).to_contain_text("Last 30 days")
    context.close()
    assert not errors, f"JavaScript errors in the browser: {errors}"
