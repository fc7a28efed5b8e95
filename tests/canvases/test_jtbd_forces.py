"""The forces canvas shows its balance, live and on paper."""

import re
import shutil
import subprocess

import pytest

from canvases import services, types
from canvases.pdf import render_canvas_pdf
from tests.canvases.factories import CanvasFactory


@pytest.fixture
def forces(workspace, facilitator):
    return CanvasFactory(workspace=workspace, type=types.JTBD_FORCES.slug, created_by=facilitator)


def add(canvas, author, area, score):
    return services.note_create(
        canvas=canvas, area=area, text=f"{area} {score}", author=author, score=score
    )


def balance_html(content: str) -> str:
    match = re.search(
        r'<div class="area-panel" id="panel-balance".*?</svg>|<div class="area-panel" id="panel-balance".*?</p>',
        content,
        re.S,
    )
    return match.group(0) if match else ""


def test_an_unscored_canvas_explains_the_balance_instead_of_showing_zero(
    client_as, facilitator, forces
):
    content = client_as(facilitator).get(forces.get_absolute_url()).content.decode()
    panel = balance_html(content)
    assert "Give the notes a strength" in panel
    assert "<svg" not in panel


def test_the_board_shows_the_sums_and_the_verdict(client_as, facilitator, forces):
    for area, score in [("push", 5), ("push", 3), ("pull", 4), ("habit", 2), ("anxiety", 3)]:
        add(forces, facilitator, area, score)

    content = client_as(facilitator).get(forces.get_absolute_url()).content.decode()

    assert "Forces blocking change 5, forces promoting change 12" in content
    assert "Change expected" in content
    assert "Push 8 · pull 4 · habit 2 · anxiety 3" in content


def test_a_note_change_in_a_force_redraws_the_balance_on_the_next_poll(
    client_as, facilitator, member, forces, django_capture_on_commit_callbacks
):
    add(forces, facilitator, "push", 2)
    client = client_as(member())
    board = client.get(forces.get_absolute_url()).content.decode()
    poll = re.search(r'data-poll-url="([^"]+)"', board).group(1).replace("&amp;", "&")

    with django_capture_on_commit_callbacks(execute=True):
        add(forces, facilitator, "habit", 5)
    content = client.get(poll).content.decode()

    assert 'id="panel-balance" hx-swap-oob="true"' in content
    assert "No change expected" in content
    assert 'id="notes-pull"' not in content, "untouched areas are not sent"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_balance_prints(tmp_path, facilitator, forces):
    add(forces, facilitator, "pull", 4)
    add(forces, facilitator, "anxiety", 1)
    path = tmp_path / "forces.pdf"
    path.write_bytes(render_canvas_pdf(forces))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Change expected" in text and "push + pull 4" in text
