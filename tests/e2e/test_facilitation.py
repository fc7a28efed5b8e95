"""A facilitator runs a timer and a dot vote; a participant follows on their own screen."""

import re

import pytest
from playwright.sync_api import expect

from canvases.models import Vote
from tests.canvases.factories import NoteFactory
from tests.e2e.conftest import LIVE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
