"""A newcomer follows an invitation link, signs up, joins and adds personas."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from engage.roles import Role
from engage.selectors import invitation_signed_token
from tests.engage.factories import InvitationFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def invite_path():
    owner = MembershipFactory(
        role=Role.OWNER,
        workspace__name="Harbour rollout",
        workspace__slug="harbour-rollout",
        user__name="Olivia Owner",
    )
    invitation = InvitationFactory(
        workspace=owner.workspace, role=Role.FACILITATOR, created_by=owner.user
    )
    return reverse("invitation_accept", kwargs={"token": invitation_signed_token(invitation)})


def test_invitee_signs_up_joins_and_adds_personas(page, invite_path, artifact_path):
    response = page.goto(invite_path)
    csp = response.header_value("content-security-policy") or ""
    script_src = re.search(r"script-src([^;]*)", csp)
    assert script_src, f"no script-src in CSP: {csp!r}"
    assert "'unsafe-inline'" not in script_src.group(1)
    assert page.evaluate("typeof htmx") == "object"

    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    expect(page.get_by_role("heading", level=1)).to_have_text("Join “Harbour rollout”")
    expect(page.locator("main")).to_contain_text("Olivia Owner invites you to join as facilitator")

    page.get_by_role("link", name="Sign up and join").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    page.get_by_label("Name").fill("Nadia Newcomer")
    page.get_by_label("Email").fill("nadia@example.com")
    page.get_by_label("Password").fill("violet-harbour-sunrise-42")
    page.get_by_role("button", name="Sign up").click()

    expect(page).to_have_url(re.compile(re.escape(invite_path) + "$"))
    page.get_by_role("button", name="Join as Nadia Newcomer").click()
    expect(page).to_have_url(re.compile(r"/w/harbour-rollout/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour rollout")
    expect(page.get_by_role("status")).to_contain_text("Welcome to Harbour rollout.")
    expect(page.locator(".sidebar-role")).to_have_text("You are facilitator")

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Personas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personas")
    section = page.locator("#persona-section")
    expect(section).to_contain_text("No personas yet")

    # Quick add from the keyboard: type, pick a role, press Enter; htmx swaps the list in place.
    page.evaluate("window.beforeQuickAdd = true")
    page.get_by_placeholder("e.g. Priya, the new IT admin").fill("Sam the site manager")
    page.get_by_label("BTABoK role").select_option(label="User")
    page.get_by_placeholder("e.g. Priya, the new IT admin").press("Enter")
    expect(section.locator(".persona-card-mini")).to_have_count(1)
    expect(section).to_contain_text("Sam the site manager")
    assert page.evaluate("window.beforeQuickAdd") is True, "quick add reloaded the page"
    expect(page.get_by_placeholder("e.g. Priya, the new IT admin")).to_have_value("")

    page.get_by_role("link", name="New persona").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New persona")
    page.get_by_label("Name").fill("Grace Ward")
    page.get_by_label("BTABoK role").select_option(label="Economic buyer")
    page.get_by_label("Short description").fill("Finance director who signs off the budget.")
    page.get_by_label("Age", exact=True).fill("52")
    page.get_by_role("button", name="Create persona").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Grace Ward")

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Personas").click()
    cards = page.locator("#persona-section .persona-card-mini")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("Grace Ward")
    expect(cards.nth(0)).to_contain_text("Economic buyer")
    expect(cards.nth(1)).to_contain_text("Sam the site manager")
    expect(cards.nth(1)).to_contain_text("User")

    page.get_by_role("link", name="Overview").click()
    expect(page.locator(".persona-strip li")).to_have_count(2)
    screenshot = artifact_path("workspace-home.png")
    screenshot.unlink(missing_ok=True)
    page.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 10_000
