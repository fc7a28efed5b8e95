"""A facilitator works through the inbox in a real browser: assigns a stalled customer to
herself, resolves another with a note, and opens a customer's history."""

import pytest
from playwright.sync_api import expect

from engage.roles import Role
from metrics.services import alerts as services
from metrics.services.position_runs import position_run
from tests.e2e.test_metrics_dashboard import logged_in_page
from tests.engage.factories import MembershipFactory
from tests.metrics.conftest import at, customer_with, onboarding  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workspace():
    return MembershipFactory(role=Role.OWNER).workspace


def test_assigning_and_resolving_in_the_inbox(
    browser,
    live_server,
    workspace,
    onboarding,  # noqa: F811 - the fixture imported above
    artifact_path,
):
    fay = MembershipFactory(
        workspace=workspace, role=Role.FACILITATOR, user__name="Fay Facilitator"
    ).user
    services.orchestration_rule_create(
        workspace=workspace, actor=fay, stage=onboarding.signup, trigger="behind"
    )
    for name in ("ada", "bob"):
        customer_with(workspace, name, ("Signed up", 0), ("Opened app", 0.5))
    position_run(workspace=workspace, now=at(50))
    context, page, errors = logged_in_page(browser, live_server, fay)
    page.goto(f"/w/{workspace.slug}/metrics/inbox/")
    expect(page.locator(".cx-alert")).to_have_count(2)
    page.screenshot(path=artifact_path("inbox.png"), full_page=True)

    ada = page.locator(".cx-alert", has_text="ada")
    ada.get_by_label("Assign ada to").select_option(label="Fay Facilitator")
    ada.get_by_role("button", name="Assign").click()
    expect(page.locator(".cx-alert", has_text="ada")).to_contain_text("Assigned.")

    bob = page.locator(".cx-alert", has_text="bob")
    bob.get_by_text("Resolve…").click()
    bob.get_by_label("What was done").fill("Called Bob: the invite went to spam.")
    bob.get_by_role("button", name="Resolve", exact=True).click()
    resolved = page.locator(".cx-alert", has_text="bob")
    expect(resolved).to_contain_text("Resolved by Fay Facilitator")
    expect(resolved).to_contain_text("Called Bob: the invite went to spam.")

    page.goto(f"/w/{workspace.slug}/metrics/inbox/?status=open&assignee=me")
    expect(page.locator(".cx-alert")).to_have_count(1)
    page.get_by_role("link", name="ada").click()
    expect(page.locator(".cx-timeline")).to_contain_text("Reached Sign up of Onboarding")
    page.get_by_label("Channel").select_option(label="Web")
    expect(page.locator("#timeline")).to_contain_text("Nothing on this channel.")
    page.screenshot(path=artifact_path("customer.png"), full_page=True)
    assert not errors, errors
    context.close()
