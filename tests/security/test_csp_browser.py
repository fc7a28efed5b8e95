"""Every full page of a workspace, opened in Chromium under the production policy, breaks
no Content-Security-Policy rule: nothing the pages need is blocked, so the policy can stay
strict (a violation shows as a `securitypolicyviolation` event and a console error)."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.test_metrics_dashboard import logged_in_page
from tests.engage.test_access import PATTERNS, WORKSPACE_URLS, url_for, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


def full_pages(built) -> list[str]:
    """The URLs of every workspace page a viewer may GET that answer a whole HTML page."""
    owner = Client()
    owner.force_login(built["owner"].user)
    urls = []
    for name, params in PATTERNS:
        if name not in WORKSPACE_URLS or WORKSPACE_URLS[name][0] is None:
            continue
        url = url_for(name, params, built["sample"])
        response = owner.get(url)
        html = response["Content-Type"].startswith("text/html") and not response.streaming
        if response.status_code == 200 and html and b"<html" in response.content[:400]:
            urls.append(url)
    return urls


def test_no_page_breaks_the_content_security_policy(browser, live_server, world):  # noqa: F811
    urls = full_pages(world)
    assert len(urls) > 30, urls  # boards, maps, metrics, settings…

    context, page, errors = logged_in_page(browser, live_server, world["owner"].user)
    context.add_init_script(WATCH_VIOLATIONS)
    violations = {}
    for url in urls:
        page.goto(url)
        # Lazy panels (hx-trigger="load") arrive just after; the board's poll is not waited for.
        page.wait_for_function("!document.querySelector('.htmx-request')")
        found = page.evaluate("window.__violations")
        if found:
            violations[url] = found
    context.close()

    assert not violations, violations
    assert not [error for error in errors if "Content Security Policy" in error], errors


def test_a_live_board_edit_breaks_no_rule(browser, live_server, world):  # noqa: F811
    """htmx swaps (a note added, the live poll's out-of-band areas) stay inside the policy."""
    context, page, errors = logged_in_page(browser, live_server, world["owner"].user)
    context.add_init_script(WATCH_VIOLATIONS)
    canvas_url = url_for("canvases:board", ["workspace", "canvas"], world["sample"])
    page.goto(canvas_url)
    add = page.locator("#add-goal")
    add.fill("Stay inside the policy")
    add.press("Enter")
    expect(page.locator("#notes-goal")).to_contain_text("Stay inside the policy")
    page.wait_for_timeout(1800)  # one live poll

    assert page.evaluate("window.__violations") == []
    context.close()
    assert not errors, errors
