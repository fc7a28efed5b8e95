"""The ecosystem map in a real browser: drag a party inwards, move one by keyboard, see it live."""

import math
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from canvases import services as canvas_services
from engage.roles import Role
from journeys.ecosystem import layout, services
from journeys.models import EcosystemParty
from tests.e2e.conftest import LIVE
from tests.engage.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team():
    lead = MembershipFactory(role=Role.FACILITATOR, user__name="Fay Facilitator")
    participant = MembershipFactory(
        workspace=lead.workspace, role=Role.PARTICIPANT, user__name="Pat Participant"
    ).user
    canvas = canvas_services.canvas_create(
        workspace=lead.workspace,
        type_slug="ecosystem_map",
        created_by=lead.user,
        title="Dana's ecosystem",
    )
    canvas_services.field_set(
        canvas=canvas, field="subject", value="Dana Okafor", actor=lead.user, facilitating=True
    )
    tools = canvas.dimensions.get(name="Tools & platforms")
    for name, ring in (
        ("Okta", "essential"),
        ("Slack", "valued"),
        ("Laptop supplier", "desirable"),
    ):
        services.party_add(canvas=canvas, name=name, ring=ring, dimension=tools, actor=lead.user)
    cache.delete_many(
        [canvas_services.revision_cache_key(canvas.pk), f"canvas:{canvas.pk}:presence"]
    )
    return SimpleNamespace(
        facilitator=lead.user, participant=participant, canvas=canvas, tools=tools
    )


def screen_point(page, x, y):
    """Where a point of the drawing's coordinates is on the screen."""
    return page.evaluate(
        """([x, y]) => {
            const svg = document.querySelector("svg[data-eco-map]");
            const point = svg.createSVGPoint();
            point.x = x; point.y = y;
            const screen = point.matrixTransform(svg.getScreenCTM());
            return [screen.x, screen.y];
        }""",
        [x, y],
    )


def test_a_party_dragged_from_desirable_to_essential_moves_for_everyone(
    team, open_canvas, artifact_path
):
    party = EcosystemParty.objects.get(name="Laptop supplier")
    pat = open_canvas(team.participant, team.canvas)
    fay = open_canvas(team.facilitator, team.canvas)
    chip = pat.locator(f"#eco-chip-{party.pk}")
    expect(chip).to_have_attribute("data-ring", "desirable")
    expect(fay.locator(f"#eco-chip-{party.pk}")).to_have_attribute("data-ring", "desirable")

    pat.locator("svg[data-eco-map]").scroll_into_view_if_needed()
    box = chip.bounding_box()
    # The middle of the essential ring in the chip's sector (Tools & platforms, the third).
    start, end = layout.sector_angles(6)[2]
    radius = (layout.RING_EDGES[0] + layout.RING_EDGES[1]) / 2 + 15
    angle = math.radians((start + end) / 2)
    x, y = screen_point(
        pat, layout.CX + radius * math.cos(angle), layout.CY + radius * math.sin(angle)
    )
    pat.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    pat.mouse.down()
    pat.mouse.move(x, y, steps=12)
    expect(pat.locator("svg.eco-dragging")).to_have_count(1)
    expect(pat.locator(f".eco-dimension[data-dimension='{team.tools.pk}']")).to_have_class(
        "eco-dimension is-target"
    )
    pat.mouse.up()

    expect(chip).to_have_attribute("data-ring", "essential")
    expect(chip).to_have_attribute("data-version", "2")
    expect(pat.locator(f"#eco-party-{party.pk}")).to_be_visible()
    party.refresh_from_db()
    assert (party.ring, party.dimension_id) == ("essential", team.tools.pk)
    expect(fay.locator(f"#eco-chip-{party.pk}")).to_have_attribute(
        "data-ring", "essential", timeout=LIVE
    )
    pat.reload()
    expect(pat.locator(f"#eco-chip-{party.pk}")).to_have_attribute("data-ring", "essential")

    screenshot = artifact_path("ecosystem.png")
    screenshot.unlink(missing_ok=True)
    pat.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 10_000


def test_a_focused_party_moves_with_the_arrow_keys_and_opens_its_menu(team, open_canvas):
    party = EcosystemParty.objects.get(name="Slack")
    pat = open_canvas(team.participant, team.canvas)
    chip = pat.locator(f"#eco-chip-{party.pk}")
    chip.focus()
    pat.keyboard.press("ArrowUp")
    expect(chip).to_have_attribute("data-ring", "essential")
    expect(chip).to_be_focused()
    pat.keyboard.press("ArrowRight")
    money = team.canvas.dimensions.get(name="Money & finance")
    expect(chip).to_have_attribute("data-dimension", str(money.pk))
    party.refresh_from_db()
    assert (party.ring, party.dimension_id) == ("essential", money.pk)

    pat.keyboard.press("Enter")
    ring = pat.locator(f"#eco-ring-{party.pk}")
    expect(ring).to_be_focused()
    ring.select_option("desirable")
    pat.get_by_role("button", name="Move", exact=True).click()
    expect(chip).to_have_attribute("data-ring", "desirable")
    party.refresh_from_db()
    assert party.ring == "desirable"
