"""A facilitator runs a timer and a dot vote; a participant follows on their own screen."""

import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from canvases import services, types
from canvases.models import Vote
from engage.roles import Role
from tests.canvases.factories import CanvasFactory, NoteFactory
from tests.engage.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIVE = 2000  # ms: a change must reach the other screen within this (the board polls every 1.5 s)


@pytest.fixture
def team():
    lead = MembershipFactory(role=Role.FACILITATOR, user__name="Fay Facilitator")
    facilitator, workspace = lead.user, lead.workspace
    participant = MembershipFactory(
        workspace=workspace, role=Role.PARTICIPANT, user__name="Pat Participant"
    ).user
    canvas = CanvasFactory(
        workspace=workspace,
        type=types.JTBD_FORCES.slug,
        title="Switching to self-service reporting",
        created_by=facilitator,
    )
    # The shared cache outlives test databases, and ids repeat from one run to the next.
    cache.delete_many([services.revision_cache_key(canvas.pk), f"canvas:{canvas.pk}:presence"])
    return SimpleNamespace(facilitator=facilitator, participant=participant, canvas=canvas)


@pytest.fixture
def open_board(browser, live_server, team):
    """open_board(user) → a page of its own browser context, logged in, showing the board."""
    contexts, errors = [], []

    def open_as(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1440, "height": 900}
        )
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{user}: {error}"))
        page.on(
            "console",
            lambda msg: errors.append(f"{user}: {msg.text}") if msg.type == "error" else None,
        )
        page.goto(team.canvas.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text(team.canvas.title)
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors in the browser: {errors}"


def seconds(mmss: str) -> int:
    minutes, secs = mmss.split(":")
    return int(minutes) * 60 + int(secs)


def vote_button(page, note):
    return page.locator(f"#note-{note.pk}").get_by_role("button", name="Vote for this note")


def test_a_timer_and_a_dot_vote_reach_the_participant(team, open_board, artifact_path):
    theirs = NoteFactory(
        canvas=team.canvas,
        area="push",
        text="Month-end reports take two days",
        author=team.participant,
    )
    mine = NoteFactory(
        canvas=team.canvas,
        area="pull",
        text="Dashboards update themselves",
        author=team.facilitator,
    )
    fay = open_board(team.facilitator)
    pat = open_board(team.participant)
    expect(pat.locator("#board-bar")).to_contain_text("No timer running")
    expect(pat.locator("#board-bar")).to_contain_text("No vote open")

    # A five-minute countdown, ticking on the participant's screen.
    fay.get_by_label("Minutes").fill("5")
    fay.get_by_role("button", name="Start timer").click()
    countdown = pat.get_by_role("timer", name="Time left")
    expect(countdown).to_have_text(re.compile(r"^04:5\d$"), timeout=LIVE)
    before = seconds(countdown.inner_text())
    pat.wait_for_timeout(1100)
    assert seconds(countdown.inner_text()) < before

    # Dot voting, two votes each: both of the participant's dots go on their own note.
    fay.get_by_label("Votes per person").fill("2")
    fay.get_by_role("button", name="Start dot voting").click()
    expect(vote_button(pat, theirs)).to_be_visible(timeout=LIVE)
    bar = pat.locator("#board-bar")
    expect(bar).to_contain_text("2 of 2 votes left")
    for left in (1, 0):
        vote_button(pat, theirs).click()
        expect(bar).to_contain_text(f"{left} of 2 votes left")
    expect(pat.locator(f"#note-{theirs.pk} .my-dot")).to_have_count(2)
    expect(vote_button(pat, theirs)).to_be_disabled()
    # A vote can be taken back and given again.
    pat.locator(f"#note-{theirs.pk}").get_by_role("button", name="Take back a vote").click()
    expect(bar).to_contain_text("1 of 2 votes left")
    vote_button(pat, theirs).click()
    expect(bar).to_contain_text("0 of 2 votes left")
    # Counts stay hidden until the end.
    expect(pat.locator(".note .vote-total")).to_have_count(0)

    screenshot = artifact_path("board-voting.png")
    screenshot.unlink(missing_ok=True)
    pat.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 10_000

    vote_button(fay, mine).click()
    expect(fay.locator("#board-bar")).to_contain_text("1 of 2 votes left")
    fay.get_by_role("button", name="End vote and rank").click()

    for page in (fay, pat):
        results = page.locator("#vote-results")
        expect(results.get_by_role("heading")).to_have_text("Result of the last vote", timeout=LIVE)
        expect(results.locator("li")).to_have_text(
            ["2 Month-end reports take two days", "1 Dashboards update themselves"]
        )
    expect(vote_button(pat, theirs)).to_have_count(0)
    expect(bar).to_contain_text("No vote open")
    assert sorted(Vote.objects.values_list("note", "voter")) == sorted(
        [(theirs.pk, team.participant.pk)] * 2 + [(mine.pk, team.facilitator.pk)]
    )
