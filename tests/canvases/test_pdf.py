import http.server
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from canvases import services, types
from canvases.pdf import (
    CANVAS_STYLES,
    PDF_ORIGIN,
    print_stylesheets,
    render_canvas_pdf,
    static_file,
)
from engage.roles import Role
from tests.engage.factories import PersonaFactory

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def squeeze(text: str) -> str:
    """Narrow notes wrap anywhere; compare text with all whitespace removed."""
    return "".join(text.split())


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "canvas.pdf"
    path.write_bytes(data)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return squeeze(text.stdout)


@pytest.fixture
def owner(member):
    return member(Role.OWNER)


@pytest.mark.parametrize("canvas_type", types.all_types(), ids=lambda t: t.slug)
def test_every_canvas_type_prints_every_note(workspace, owner, canvas_type, tmp_path):
    persona = PersonaFactory(workspace=workspace, created_by=owner, name="Priya Nair")
    canvas = services.canvas_create(
        workspace=workspace, type_slug=canvas_type.slug, created_by=owner, persona=persona
    )
    texts = []
    for index, area in enumerate(canvas_type.note_areas):
        text = f"Note {index} in {area.slug.replace('_', ' ')}"
        services.note_create(
            canvas=canvas,
            area=area.slug,
            text=text,
            author=owner,
            score=3 if area.note_score else None,
        )
        texts.append(text)

    printed = pdf_text(render_canvas_pdf(canvas), tmp_path)

    assert squeeze(canvas.title) in printed
    for text in texts:
        assert squeeze(text) in printed
    for area in canvas_type.areas:
        assert squeeze(area.title).upper() in printed.upper()


def test_unrevealed_private_notes_do_not_print(workspace, owner, member, tmp_path):
    canvas = services.canvas_create(workspace=workspace, type_slug="empathy_map", created_by=owner)
    services.canvas_set_private(canvas=canvas, private=True, actor=owner)
    services.note_create(
        canvas=canvas, area="see", text="Still a secret", author=member(Role.PARTICIPANT)
    )
    services.note_create(
        canvas=canvas, area="see", text="For everyone", author=owner, facilitating=True
    )

    printed = pdf_text(render_canvas_pdf(canvas), tmp_path)

    assert squeeze("For everyone") in printed
    assert squeeze("Still a secret") not in printed


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_user_text_prints_literally_and_fetches_nothing(workspace, owner, tmp_path):
    server = http.server.HTTPServer(("127.0.0.1", 0), RecordingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    hostile = [
        f'<img src="{url}/img.png">',
        f"<link rel=stylesheet href='{url}/x.css'>",
        f"<style>@import url({url}/y.css)</style>",
        "<iframe src='file:///etc/passwd'></iframe>",
    ]
    canvas = services.canvas_create(workspace=workspace, type_slug="empathy_map", created_by=owner)
    for text in hostile:
        services.note_create(canvas=canvas, area="see", text=text, author=owner)
    try:
        printed = pdf_text(render_canvas_pdf(canvas), tmp_path)
    finally:
        server.shutdown()

    assert RecordingHandler.requests == []
    for text in hostile:
        assert squeeze(text) in printed


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/static/css/board.css",
        "file:///etc/passwd",
        f"{PDF_ORIGIN}/static/../../engage/settings.py",
        f"{PDF_ORIGIN}/static/css/../../../etc/passwd",
        f"{PDF_ORIGIN}/media/avatars/x.png",
        f"{PDF_ORIGIN}/static/vendor/bootstrap-5.3.9/bootstrap.bundle.min.js",
    ],
)
def test_the_pdf_fetcher_refuses_anything_but_static_assets(url):
    assert static_file(url) is None


def test_the_pdf_fetcher_serves_the_apps_stylesheets_and_fonts():
    assert static_file(f"{PDF_ORIGIN}/static/css/board.css").name == "board.css"
    assert static_file(f"{PDF_ORIGIN}/static/vendor/inter-static-5.2.8/inter-latin-400-normal.ttf")


def test_members_download_a_canvas_as_pdf(client, workspace, owner):
    canvas = services.canvas_create(
        workspace=workspace, type_slug="jtbd_forces", created_by=owner, title="Forces!"
    )
    client.force_login(owner)
    response = client.get(f"/w/{workspace.slug}/canvases/{canvas.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="forces-v1.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_unicode_right_to_left_and_emoji_print_with_the_packaged_fonts(workspace, owner, tmp_path):
    texts = [
        "Łódź Ångström naïve",
        "שלום לעובדים חדשים",
        "مرحبا بالموظفين الجدد",
        "Onboarding 🎉🚀 done",
    ]
    canvas = services.canvas_create(workspace=workspace, type_slug="empathy_map", created_by=owner)
    for text in texts:
        services.note_create(canvas=canvas, area="see", text=text, author=owner)
    path = tmp_path / "unicode.pdf"
    path.write_bytes(render_canvas_pdf(canvas))

    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    names = [line.split()[0].split("+")[-1] for line in fonts.stdout.splitlines()[2:]]
    embedded = [line.split()[-5] for line in fonts.stdout.splitlines()[2:]]
    assert set(embedded) == {"yes"}, fonts.stdout
    assert all(name.startswith(("Inter", "Noto")) for name in names), (
        f"a system font was used: {names}"
    )
    assert {"Inter-Ext", "Noto-Sans-Hebrew", "Noto-Sans-Arabic"} <= {n.rstrip(",") for n in names}
    assert any(name.startswith("Noto-Emoji") for name in names)
    printed = pdf_text(path.read_bytes(), tmp_path)
    assert squeeze("Łódź Ångström naïve") in printed


def test_each_thread_parses_the_print_stylesheets_once(settings):
    settings.DEBUG = False
    first = print_stylesheets(CANVAS_STYLES)
    assert print_stylesheets(CANVAS_STYLES) is first
    with ThreadPoolExecutor(1) as pool:
        other = pool.submit(print_stylesheets, CANVAS_STYLES).result()
    assert other is not first and other[0] is not first[0], "fonts are not shared by threads"
    settings.DEBUG = True
    assert print_stylesheets(CANVAS_STYLES) is not first, "in DEBUG the files may have changed"
