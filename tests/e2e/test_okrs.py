"""A facilitator sets an objective and a key result on the OKR page in a real browser and
sees the key result measured, scored and drawn."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from engage.roles import Role
from metrics.services.recompute import compute_snapshots
from tests.e2e.test_metrics_dashboard import logged_in_page
from tests.engage.factories import MembershipFactory
from tests.metrics.test_dashboard import feed_recent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_setting_an_objective_and_a_key_result(browser, live_server, artifact_path):
    facilitator = MembershipFactory(role=Role.FACILITATOR, user__name="Fay Facilitator")
    workspace = facilitator.workspace
    feed_recent(workspace)  # NPS +50 (n = 4) in the last days
    compute_snapshots(workspace)
    context, page, errors = logged_in_page(browser, live_server, facilitator.user)
    page.goto(f"/w/{workspace.slug}/metrics/okrs/")
    expect(page.get_by_text("No objectives yet")).to_be_visible()

    page.get_by_label("Title").fill("New customers feel at home in their first month")
    page.get_by_label("Description").fill("Onboarding is where renewals are won or lost.")
    page.get_by_label("Owner").select_option(label="Fay Facilitator")
    page.get_by_role("button", name="Add objective").click()
    objective = page.locator(".okr-objective")
    expect(objective).to_contain_text("Owner: Fay Facilitator")

    objective.get_by_text("Add a key result").click()
    form = objective.locator("form").first
    form.get_by_label("Title").fill("Onboarding NPS to +70")
    form.get_by_label("Metric").select_option(label="NPS")
    form.get_by_label("Measured over").select_option(label="Last 30 days")
    form.get_by_label("Baseline").fill("30")
    form.get_by_label("Target").fill("70")
    due = timezone.localdate() + dt.timedelta(days=120)
    form.get_by_label("Due").fill(due.isoformat())
    form.get_by_role("button", name="Add key result").click()

    result = page.locator(".okr-kr")
    expect(result).to_contain_text("Onboarding NPS to +70")
    expect(result.locator(".okr-kr-value")).to_have_text("+50")
    expect(result).to_contain_text("50 %")  # +30 → +70, now +50
    expect(result.locator(".okr-status")).to_have_text("On track")
    expect(page.locator(".okr-objective-percent")).to_have_text("50 %")
    expect(result.locator("svg.okr-chart polyline, svg.okr-chart circle").first).to_be_attached()
    page.screenshot(path=artifact_path("okrs.png"), full_page=True)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.screenshot(path=artifact_path("okrs-laptop.png"), full_page=True)
    assert not errors, errors
    context.close()
