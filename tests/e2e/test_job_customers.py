"""A facilitator goes from a job's state machine to the customers doing the job, reads who
is stuck in which state, and changes a state's expected times, in a real browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from engage.roles import Role
from tests.e2e.test_metrics_dashboard import logged_in_page
from tests.engage.factories import MembershipFactory
from tests.metrics.conftest import onboarding  # noqa: F401 - a fixture
from tests.metrics.test_job_customers import job, placed  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workspace():
    return MembershipFactory(role=Role.OWNER).workspace


def test_from_the_machine_to_the_customers_doing_the_job(
    browser,
    live_server,
    workspace,
    placed,  # noqa: F811 - the fixture imported above
    artifact_path,
):
    fay = MembershipFactory(
        workspace=workspace, role=Role.FACILITATOR, user__name="Fay Facilitator"
    ).user
    context, page, errors = logged_in_page(browser, live_server, fay)
    page.goto(reverse("journeys:job_machine", args=[workspace.slug, placed.pk]))
    presence = page.locator(".machine-presence")
    expect(presence).to_contain_text("Invited 2 here now · 2 stuck")
    page.screenshot(path=artifact_path("job-machine-customers.png"), full_page=True)

    page.get_by_role("link", name="Customers doing this job").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roll out payroll")
    invited = page.locator(f"#state-{placed.invited.pk}")
    expect(invited).to_contain_text("2 here now")
    expect(invited.get_by_role("link", name="ann")).to_be_visible()
    page.screenshot(path=artifact_path("job-customers.png"), full_page=True)

    invited.get_by_text("Expected times").click()
    invited.get_by_label("Expected (hours)").fill("36")
    invited.get_by_role("button", name="Save times").click()
    expect(page.locator("#messages")).to_contain_text("Times of “Invited” saved")
    expect(page.locator(f"#state-{placed.invited.pk} .cx-times dd").first).to_have_text("36 h")
    assert not errors, errors
    context.close()
