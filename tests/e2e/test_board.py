"""Two people on one live board: a facilitator and a participant, each in their own browser."""

import re

import pytest
from playwright.sync_api import expect

from canvases import services
from canvases.models import FieldValue, Note
from tests.canvases.factories import NoteFactory
from tests.e2e.conftest import LIVE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def note_in(page, area, text):
    return page.locator(f"#notes-{area} .note", has_text=text)


def test_a_note_added_by_one_person_appears_for_the_other(team, open_board, artifact_path):
    NoteFactory(canvas=team.canvas, area="pull", text="Dashboards update themselves", score=4)
    NoteFactory(canvas=team.canvas, area="habit", text="Everyone knows the spreadsheet", score=5)
    NoteFactory(canvas=team.canvas, area="anxiety", text="Will the numbers match?", score=2)
    FieldValue.objects.create(
        canvas=team.canvas, field="concept", value="Reports build themselves from live data."
    )
    fay = open_board(team.facilitator)
    pat = open_board(team.participant)
    fay.evaluate("window.sameDocument = true")

    expect(fay.locator("#board-live .presence li")).to_have_count(2, timeout=LIVE + 1000)
    expect(pat.locator("#board-live .presence li")).to_have_count(2)
    add = pat.get_by_label("Add a note to Push of the situation")
    add.fill("Month-end reports take two days")
    add.press("Enter")

    expect(note_in(pat, "push", "Month-end reports take two days")).to_be_visible()
    expect(add).to_have_value("")
    expect(add).to_be_focused()
    expect(note_in(fay, "push", "Month-end reports take two days")).to_be_visible(timeout=LIVE)
    assert fay.evaluate("window.sameDocument") is True, "the facilitator's page was reloaded"
    expect(note_in(fay, "push", "Month-end reports take two days")).to_contain_text("3")
    assert Note.objects.get(text="Month-end reports take two days").author == team.participant

    screenshot = artifact_path("board.png")
    screenshot.unlink(missing_ok=True)
    fay.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 10_000


def test_dragging_a_note_moves_it_to_another_area(team, open_board):
    note = NoteFactory(canvas=team.canvas, area="push", text="Reports are always late")
    pat = open_board(team.participant)

    with pat.expect_response(re.compile(rf"/notes/{note.pk}/move/$")) as moved:
        pat.locator(f"#note-{note.pk}").drag_to(pat.locator("#notes-habit"))
    assert moved.value.ok
    pat.reload()

    expect(note_in(pat, "habit", "Reports are always late")).to_be_visible()
    expect(note_in(pat, "push", "Reports are always late")).to_have_count(0)
    note.refresh_from_db()
    assert note.area == "habit"


def test_a_note_moves_with_the_keyboard(team, open_board):
    note = NoteFactory(canvas=team.canvas, area="push", text="Copying numbers by hand")
    fay = open_board(team.facilitator)
    pat = open_board(team.participant)

    pat.locator(f"#note-{note.pk} .note-menu-btn").focus()
    pat.keyboard.press("Enter")
    expect(pat.get_by_role("menu", name="Note actions")).to_be_visible()
    for _ in range(12):
        if pat.evaluate("document.activeElement.id") == "note-move-target":
            break
        pat.keyboard.press("Tab")
    expect(pat.get_by_label("Move to…")).to_be_focused()
    pat.keyboard.type("Anx")

    expect(note_in(pat, "anxiety", "Copying numbers by hand")).to_be_visible()
    expect(pat.get_by_role("menu", name="Note actions")).to_have_count(0)
    expect(note_in(fay, "anxiety", "Copying numbers by hand")).to_be_visible(timeout=LIVE)
    note.refresh_from_db()
    assert note.area == "anxiety"


def test_a_concurrent_edit_shows_both_texts_and_keeps_the_chosen_one(team, open_board):
    note = NoteFactory(canvas=team.canvas, area="push", text="Reports take two days")
    fay = open_board(team.facilitator)
    pat = open_board(team.participant)
    for page in (fay, pat):
        page.locator(f"#note-{note.pk} .note-text").dblclick()
        expect(page.locator(f"#note-{note.pk} textarea")).to_be_focused()

    fay.locator(f"#note-{note.pk} textarea").fill("Reports take three days")
    fay.keyboard.press("Enter")
    expect(fay.locator(f"#note-{note.pk}")).to_contain_text("Reports take three days")
    pat.locator(f"#note-{note.pk} textarea").fill("Reports take a whole week")
    pat.keyboard.press("Enter")

    conflict = pat.locator(".note-conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Theirs (saved)Reports take three days")
    expect(conflict).to_contain_text("Yours (not saved)Reports take a whole week")
    conflict.get_by_role("button", name="Keep mine").click()

    expect(pat.locator(f"#note-{note.pk}")).to_contain_text("Reports take a whole week")
    expect(pat.locator(".note-conflict")).to_have_count(0)
    expect(fay.locator(f"#note-{note.pk}")).to_contain_text(
        "Reports take a whole week", timeout=LIVE
    )
    note.refresh_from_db()
    assert (note.text, note.version) == ("Reports take a whole week", 3)


def test_undo_brings_back_a_deleted_note(team, open_board):
    note = NoteFactory(
        canvas=team.canvas,
        area="habit",
        text="We have always done it this way",
        author=team.participant,
    )
    pat = open_board(team.participant)

    pat.locator(f"#note-{note.pk} .note-menu-btn").click()
    pat.get_by_role("menuitem", name="Delete").click()
    expect(pat.locator(f"#note-{note.pk}")).to_have_count(0)
    pat.get_by_role("button", name="Undo my last change").click()

    expect(pat.get_by_role("status")).to_contain_text("Undone: you deleted a note.")
    expect(note_in(pat, "habit", "We have always done it this way")).to_be_visible()
    note.refresh_from_db()
    assert not note.is_deleted


def test_others_changes_arrive_while_editing_and_the_edited_note_waits(team, open_board):
    note = NoteFactory(canvas=team.canvas, area="pull", text="One place for every number")
    fay = open_board(team.facilitator)
    pat = open_board(team.participant)
    fay.locator(f"#note-{note.pk} .note-text").dblclick()
    editor = fay.locator(f"#note-{note.pk} textarea")
    editor.press("End")
    editor.type(" and chart")

    add = pat.get_by_label("Add a note to Pull of the new way")
    add.fill("No more emailing spreadsheets")
    add.press("Enter")
    services.note_edit(
        note=Note.objects.get(pk=note.pk),
        actor=team.participant,
        expected_version=note.version,
        text="One place for all numbers",
    )

    # A new note beside the one being edited arrives at once; the editor stays as it was…
    expect(note_in(fay, "pull", "No more emailing spreadsheets")).to_be_visible(timeout=LIVE)
    fay.wait_for_timeout(LIVE)
    expect(editor).to_be_focused()
    expect(editor).to_have_value("One place for every number and chart")
    fay.keyboard.press("Escape")

    # …and the change to the edited note itself comes in once the editor is closed.
    expect(fay.locator(f"#note-{note.pk}")).to_contain_text(
        "One place for all numbers", timeout=LIVE
    )
    expect(fay.locator("#notes-pull .note")).to_have_count(2)


def test_moves_and_deletes_by_others_show_in_place(team, open_board):
    first, second, third = (
        NoteFactory(canvas=team.canvas, area="push", text=text, position=position)
        for position, text in enumerate(["First", "Second", "Third"])
    )
    fay = open_board(team.facilitator)

    services.note_move(note=third, area="push", position=0, actor=team.participant)
    services.note_move(note=first, area="habit", position=0, actor=team.participant)
    services.note_delete(note=second, actor=team.participant)

    expect(fay.locator("#notes-push .note-text")).to_have_text(["Third"], timeout=LIVE)
    expect(fay.locator("#notes-habit .note-text")).to_have_text(["First"])
    expect(fay.locator(".note")).to_have_count(2)


def test_the_answer_to_my_note_brings_what_others_added_meanwhile(team, open_board):
    pat = open_board(team.participant)
    pat.route("**/poll/**", lambda route: route.abort())  # only the answer to the add can bring it
    services.note_create(canvas=team.canvas, area="habit", text="Theirs", author=team.facilitator)

    add = pat.get_by_label("Add a note to Push of the situation")
    add.fill("Mine")
    add.press("Enter")

    expect(note_in(pat, "push", "Mine")).to_be_visible()
    expect(note_in(pat, "habit", "Theirs")).to_be_visible()
    pat.unroute("**/poll/**")
    pat.wait_for_timeout(LIVE)
    expect(pat.locator(".note")).to_have_count(2)
