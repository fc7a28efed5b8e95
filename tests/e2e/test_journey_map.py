"""A journey map in real browsers: touchpoints change the digital share live; new stages reshape both screens."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from canvases import services as canvas_services
from engage.roles import Role
from journeys import services
from journeys.models import Touchpoint
from tests.e2e.conftest import LIVE
from tests.engage.factories import MembershipFactory, PersonaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team():
    lead = MembershipFactory(role=Role.FACILITATOR, user__name="Fay Facilitator")
    participant = MembershipFactory(
        workspace=lead.workspace, role=Role.PARTICIPANT, user__name="Pat Participant"
    ).user
    persona = PersonaFactory(workspace=lead.workspace, name="Priya Nair")
    journey = services.journey_create(
        workspace=lead.workspace,
        persona=persona,
        scenario="Rolling out to the first cohort",
        preset="lifecycle",
        actor=lead.user,
    )
    canvas = journey.canvas
    cache.delete_many(
        [canvas_services.revision_cache_key(canvas.pk), f"canvas:{canvas.pk}:presence"]
    )
    return SimpleNamespace(facilitator=lead.user, participant=participant, journey=journey)


def add_touchpoint(page, stage, name, channel):
    page.get_by_label(f"New touchpoint in {stage}").fill(name)
    page.locator(f"#tp-channel-{stage_pk(page, stage)}").select_option(label=channel)
    page.get_by_role("button", name=f"Add the touchpoint to {stage}").click()


def stage_pk(page, stage):
    return (
        page.get_by_label(f"New touchpoint in {stage}").get_attribute("id").removeprefix("tp-add-")
    )


def test_a_touchpoint_added_changes_the_digital_share_on_both_screens(
    team, open_canvas, artifact_path
):
    pat = open_canvas(team.participant, team.journey.canvas)
    fay = open_canvas(team.facilitator, team.journey.canvas)
    expect(pat.locator(".jm-summary")).to_contain_text("no touchpoints yet")

    add_touchpoint(pat, "Onboard", "Welcome email", "Email")
    share = pat.locator("[data-digital-share]")
    expect(share).to_have_text("100 %")
    expect(pat.locator(".jm-summary .mix-badge")).to_have_text("Digital First")
    expect(pat.get_by_label("New touchpoint in Onboard")).to_have_value("")

    add_touchpoint(pat, "Adopt", "Kick-off call", "Phone")
    expect(share).to_have_text("50 %")
    expect(pat.locator(".jm-summary .mix-badge")).to_have_text("Digital Hybrid")
    expect(pat.locator(".tp-name", has_text="Kick-off call")).to_be_visible()
    expect(fay.locator("[data-digital-share]")).to_have_text("50 %", timeout=LIVE)
    assert Touchpoint.objects.filter(is_digital=True).count() == 1

    # The facilitator adds a stage: the grid changes, and the participant's board reloads with it.
    fay.get_by_label("Name of a new stage").fill("Champion")
    fay.get_by_label("Name of a new stage").press("Enter")
    expect(fay.locator(".jm-stage-name", has_text="Champion")).to_be_visible()
    expect(pat.locator(".jm-stage-name", has_text="Champion")).to_be_visible(timeout=LIVE + 3000)
    expect(pat.get_by_label("New touchpoint in Champion")).to_be_visible()
    expect(pat.locator("[data-digital-share]")).to_have_text("50 %")

    screenshot = artifact_path("journey-map.png")
    screenshot.unlink(missing_ok=True)
    pat.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 10_000


def test_the_emotion_curve_follows_the_select(team, open_canvas):
    pat = open_canvas(team.participant, team.journey.canvas)
    pat.get_by_label("Emotion at Renew").select_option(label="−2 Very negative")
    expect(pat.locator(".jm-curve-svg text", has_text="−2")).to_have_count(1)
    expect(pat.get_by_label("Emotion at Renew")).to_have_value("-2")
