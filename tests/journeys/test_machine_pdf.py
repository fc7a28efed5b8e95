"""The machine as PDF: a valid file, the labels in its text, user text printed literally."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from canvases.packs import COVER_STYLES, pack_sections
from canvases.pdf import render_document
from journeys.statemachine import services
from journeys.statemachine.demo import seed_machine
from journeys.statemachine.pdf import render_machine_pdf, render_pack_section
from journeys.statemachine.selectors import job_machine
from tests.engage.factories import JobFactory

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "machine.pdf"
    path.write_bytes(data)
    if shutil.which("qpdf"):
        subprocess.run(["qpdf", "--check", str(path)], capture_output=True, check=True)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(out.stdout.split())


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def job(workspace):
    job = JobFactory(workspace=workspace, verb="Onboard", object="new hires")
    signed = services.state_add(job=job, name="Contract signed")
    login = services.state_add(job=job, name="<script>alert(1)</script>")
    services.transition_add(source=signed, target=login, kind="information", label="Welcome email")
    services.transition_add(source=login, kind="done", label="Works unaided")
    return job


def test_the_machine_pdf_prints_diagram_checks_and_table(client_as, owner, job, tmp_path):
    response = client_as(owner).get(
        reverse("journeys:job_machine_pdf", args=[job.workspace.slug, job.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    data = response.content
    assert len(PdfReader(io.BytesIO(data)).pages) >= 1
    text = pdf_text(data, tmp_path)
    for expected in (
        "JOBSTATEMACHINE",  # the eyebrow, upper-cased by the print CSS
        "Contractsigned",
        "Welcomeemail",
        "Worksunaided",
        "Sound:everystatecanreachdoneorcancel.",
        "Information",
        "Blocker",  # the legend
        squeeze("<script>alert(1)</script>"),  # printed literally, never run or dropped
    ):
        assert expected in text, expected
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "machine.pdf").write_bytes(data)


def test_the_pack_section_has_every_job_with_states(owner, workspace, job, tmp_path):
    assert "job_machines" in {section.slug for section in pack_sections()}
    empty = JobFactory(workspace=workspace, verb="Renew", object="the contract")
    other = JobFactory(workspace=workspace, verb="Provision", object="laptops")
    services.transition_add(
        source=services.state_add(job=other, name="Laptop ordered"), kind="cancel", label="Quits"
    )
    html = render_pack_section(workspace)
    assert job.statement in html and other.statement in html
    assert empty.statement not in html
    document = render_document(html, COVER_STYLES)
    assert len(document.pages) >= 2, "one sheet per job"
    text = pdf_text(document.write_pdf(), tmp_path)
    assert "Laptopordered" in text and "Welcomeemail" in text
    assert squeeze(empty.statement) not in text


def test_the_pack_section_without_machines_says_so(workspace):
    assert "No job has a state machine yet." in render_pack_section(workspace)


def test_the_demo_machine_prints_on_one_page(workspace, owner, tmp_path):
    onboard = JobFactory(workspace=workspace, verb="Onboard", object="new hires")
    JobFactory(workspace=workspace, verb="Provision", object="accounts and devices")
    seed_machine(workspace, owner)
    data = render_machine_pdf(job_machine(onboard))
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    text = pdf_text(data, tmp_path)
    assert "spawns:Provisionaccounts" in text and "Firstpayrollrun" in text
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "machine-demo.pdf").write_bytes(data)
