"""The dashboard as a PDF (current filters) and as the canvas pack's "Metrics" section."""

import io

import pytest
from pypdf import PdfReader

from canvases.packs import COVER_STYLES, pack_sections
from canvases.pdf import render_document
from engage.roles import Role
from metrics.services.recompute import compute_snapshots
from metrics.views.context import pack_section_html
from tests.metrics.test_compute import data  # noqa: F401 - the worked example in `workspace`
from tests.metrics.test_dashboard import ADVOCATE, feed, url

pytestmark = pytest.mark.usefixtures("data")


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def advocate(workspace):
    feed(
        workspace,
        "mentions",
        f'platform,posted_at,sentiment,reach,author\nX,2026-02-05,positive,900,"{ADVOCATE.replace(chr(34), chr(34) * 2)}"',
    )
    compute_snapshots(workspace)


def test_the_pdf_prints_the_cards_for_the_current_filters(
    client_as, workspace, member, artifact_path
):
    client = client_as(member(Role.VIEWER))
    response = client.get(url(workspace, "metrics:dashboard_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('-metrics.pdf"')
    artifact_path("metrics-dashboard.pdf").write_bytes(response.content)
    text = text_of(response.content)
    for figure in ("Net Promoter Score", "+30", "n = 10", "60 %", "28.6 %", "75 %", "+33.3"):
        assert figure in text, figure
    assert "Monthly retention" in text and "Net sentiment" in text  # the trend charts
    february = client.get(
        url(workspace, "metrics:dashboard_pdf"),
        {"period": "range", "start": "2026-02-01", "end": "2026-02-28"},
    )
    text = text_of(february.content)
    assert "-25" in text and "1 Feb 2026 to 28 Feb" in text


def test_advocate_names_print_as_text(client_as, workspace, member, advocate):
    response = client_as(member(Role.VIEWER)).get(url(workspace, "metrics:dashboard_pdf"))
    text = text_of(response.content)
    assert 'alert("x")' in text and "Ana & Bo" in text  # shown as typed, not run as markup


def test_the_pack_section_prints_the_whole_history(workspace, advocate, artifact_path):
    assert "metrics" in {section.slug for section in pack_sections()}
    html = pack_section_html(workspace)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    pdf = render_document(html, COVER_STYLES).write_pdf()
    artifact_path("metrics-pack-section.pdf").write_bytes(pdf)
    text = text_of(pdf)
    assert "Whole history" in text and "+30" in text and "n = 10" in text
    assert "Trends, month by month" in text and "Ana & Bo" in text


def test_an_empty_workspace_prints_how_data_comes_in(db):
    from tests.engage.factories import WorkspaceFactory

    text = text_of(render_document(pack_section_html(WorkspaceFactory()), COVER_STYLES).write_pdf())
    assert "No data in this workspace yet" in text and "manage.py import_data" in text
