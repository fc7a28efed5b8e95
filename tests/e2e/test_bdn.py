"""The benefits dependency network in a real browser: add nodes, link them by keyboard."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from canvases import services, types
from canvases.models import BdnLink
from engage.roles import Role
from tests.canvases.factories import CanvasFactory
from tests.e2e.conftest import LIVE
from tests.engage.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team():
    lead = MembershipFactory(role=Role.FACILITATOR, user__name="Fay Facilitator")
    participant = MembershipFactory(
        workspace=lead.workspace, role=Role.PARTICIPANT, user__name="Pat Participant"
    ).user
    canvas = CanvasFactory(
        workspace=lead.workspace,
        type=types.BENEFITS_DEPENDENCY_NETWORK.slug,
        title="Self-service onboarding",
        created_by=lead.user,
    )
    cache.delete_many([services.revision_cache_key(canvas.pk), f"canvas:{canvas.pk}:presence"])
    return SimpleNamespace(facilitator=lead.user, participant=participant, canvas=canvas)


def test_nodes_added_and_linked_by_keyboard_draw_an_arrow(team, open_board, artifact_path):
    pat = open_board(team.participant)
    fay = open_board(team.facilitator)
    expect(pat.get_by_text("Start from the right")).to_be_visible()

    change = pat.get_by_label("Add a node to Business changes")
    change.fill("New hires book their own kit")
    change.press("Enter")
    expect(pat.locator(".bdn-item-label", has_text="New hires book their own kit")).to_be_visible()
    expect(change).to_be_focused()
    expect(change).to_have_value("")
    benefit = pat.get_by_label("Add a node to Business benefits")
    benefit.fill("Productive in week one")
    benefit.press("Enter")
    expect(pat.locator(".bdn-item-label", has_text="Productive in week one")).to_be_visible()
    expect(pat.locator("path.bdn-arrow")).to_have_count(0)

    menu = pat.get_by_label("Menu for New hires book their own kit")
    menu.focus()
    pat.keyboard.press("Enter")
    target = pat.get_by_label("Leads to")
    expect(target).to_be_visible()
    pat.keyboard.press("Escape")
    expect(target).to_be_hidden()
    expect(menu).to_be_focused()
    pat.keyboard.press("Enter")
    expect(target).to_be_visible()
    pat.keyboard.press("Tab")
    expect(target).to_be_focused()
    expect(target.locator("option")).to_have_text(["Productive in week one"])
    pat.keyboard.press("Tab")
    expect(pat.get_by_role("button", name="Link", exact=True)).to_be_focused()
    pat.keyboard.press("Enter")

    expect(pat.locator("path.bdn-arrow")).to_have_count(1)
    expect(pat.locator("path.bdn-arrow title")).to_have_text(
        "New hires book their own kit → Productive in week one"
    )
    expect(pat.get_by_label("Menu for New hires book their own kit")).to_be_focused()
    expect(fay.locator("path.bdn-arrow")).to_have_count(1, timeout=LIVE)
    assert BdnLink.objects.count() == 1

    screenshot = artifact_path("bdn.png")
    screenshot.unlink(missing_ok=True)
    pat.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 10_000
