"""The digital journey map in a real browser: the target form over htmx, and how it looks."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from engage.roles import Role
from tests.conftest import ARTIFACTS
from tests.engage.factories import MembershipFactory
from tests.journeys.factories import DataNeedFactory, journey_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_setting_the_target_redraws_the_mix(page, live_server):
    membership = MembershipFactory(role=Role.FACILITATOR)
    journey = journey_with(
        ["web", "email", "event"],
        ["in_app", "phone", "sales_rep", "chat"],
        ["in_person", "phone"],
        [],
        canvas__workspace=membership.workspace,
        canvas__title="Payroll onboarding",
    )
    for stage, name in zip(
        journey.stages.all(), ["Discover", "Evaluate", "Buy", "Use"], strict=True
    ):
        stage.name = name
        stage.save()
    first = journey.stages.first().touchpoints.first()
    DataNeedFactory(touchpoint=first, source="")
    log_in(page, live_server, membership.user)
    page.goto(f"/w/{journey.workspace.slug}/journeys/{journey.pk}/digital/")
    headline = page.locator(".mix-headline")
    expect(headline).to_contain_text("44.4 % digital")
    expect(headline).to_contain_text("no target set")
    page.get_by_label("Target digital type").select_option("digital_first")
    page.get_by_role("button", name="Set target").click()
    expect(headline).to_contain_text("target Digital First: 2 more digital touchpoints needed")
    expect(page.get_by_role("status")).to_contain_text("Target saved")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "journey-digital-mix.png", full_page=True)
    page.get_by_text("The figures as tables").click()
    expect(page.get_by_role("table").first).to_be_visible()
