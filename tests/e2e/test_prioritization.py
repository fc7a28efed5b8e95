"""The JTBD filter and prioritization board in a real browser: scoring inline, deciding."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from canvases import services, types
from canvases.models import FieldValue, PriorityItem, ScoreSource
from engage.roles import Role
from tests.canvases.factories import CanvasFactory
from tests.engage.factories import JobFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def boards():
    lead = MembershipFactory(role=Role.FACILITATOR, user__name="Fay Facilitator")
    workspace = lead.workspace
    job = JobFactory(workspace=workspace, verb="get", object="a working login", context="")
    filter_canvas = CanvasFactory(
        workspace=workspace, type=types.JTBD_FILTER.slug, title="Which jobs to serve"
    )
    row = services.filter_row_add(
        canvas=filter_canvas,
        job=job,
        actor=lead.user,
        scores={"importance": 3, "satisfaction": 2},
    )
    board = CanvasFactory(
        workspace=workspace, type=types.JTBD_PRIORITIZATION.slug, title="Onboarding priorities"
    )
    FieldValue.objects.create(canvas=board, field="source", value=ScoreSource.FILTER)
    item = services.item_add(canvas=board, job=job, actor=lead.user)
    for canvas in (filter_canvas, board):
        cache.delete_many([services.revision_cache_key(canvas.pk), f"canvas:{canvas.pk}:presence"])
    return {
        "workspace": workspace,
        "filter": filter_canvas,
        "board": board,
        "row": row,
        "item": item,
    }


def point(page) -> tuple[str, str]:
    circle = page.locator('[data-plot] [data-rank="1"] circle')
    return circle.get_attribute("cx"), circle.get_attribute("cy")


def test_a_reviewer_records_a_decision(boards, open_canvas, artifact_path):
    reviewer = MembershipFactory(
        workspace=boards["workspace"], role=Role.REVIEWER, user__name="Rita Reviewer"
    ).user
    page = open_canvas(reviewer, boards["board"])
    row = page.locator(f"#item-{boards['item'].pk}")
    expect(row).to_contain_text("Awaiting decision")

    row.get_by_label("Defer").check()
    row.get_by_label(re.compile("Comment on the decision")).fill("After the pilot, in March")
    row.get_by_role("button", name="Record decision").click()

    expect(row.locator(".decision-badge")).to_have_text("Defer")
    expect(row).to_contain_text("by Rita Reviewer")
    expect(row).to_contain_text("After the pilot, in March")
    expect(page.locator(".prio-ranked")).to_contain_text("Defer")
    item = PriorityItem.objects.get(pk=boards["item"].pk)
    assert (item.decision, item.decided_by) == ("defer", reviewer)
    page.screenshot(path=artifact_path("prioritization.png"), full_page=True)


def test_a_participant_edits_a_filter_score_inline_and_the_plot_moves(boards, open_canvas):
    participant = MembershipFactory(
        workspace=boards["workspace"], role=Role.PARTICIPANT, user__name="Pat Participant"
    ).user
    plot = open_canvas(participant, boards["board"])
    # importance 3 → 5, satisfaction 2 → 2.5: x = 44 + 30·5, y = 14 + 300 − 30·2.5
    assert point(plot) == ("194.0", "239.0")

    table = open_canvas(participant, boards["filter"])
    importance = table.get_by_label("Importance of “get a working login”, 1 to 5")
    importance.focus()
    with table.expect_response(re.compile(r"/rows/\d+/$")) as saved:
        importance.select_option("5")
    assert saved.value.ok
    expect(table.get_by_label("Importance of “get a working login”, 1 to 5")).to_have_value("5")
    table.keyboard.press("Tab")
    expect(table.get_by_label("Noticeable of “get a working login”, 1 to 5")).to_be_focused()

    plot.reload()
    # importance 5 → 10: x = 44 + 300
    assert point(plot) == ("344.0", "239.0")
    expect(plot.locator(".prio-ranked")).to_contain_text("17.5 · Extremely under-served")
