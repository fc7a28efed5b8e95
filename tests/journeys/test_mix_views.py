"""The digital journey map page: figures, target form, undo, PDF, escaping, query counts."""

import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvases import packs
from canvases.models import CanvasEvent
from canvases.pdf import render_document
from canvases.services import undo_last
from engage.roles import Role
from journeys.digital import DigitalType
from journeys.mix import pack_section_html
from journeys.models import Journey
from journeys.services import journey_set_target
from tests.conftest import ARTIFACTS
from tests.journeys.factories import DataNeedFactory, StageFactory, TouchpointFactory, journey_with

HOSTILE = '<script>alert("x")</script></text><svg onload=alert(1)>'


@pytest.fixture
def journey(workspace):
    """57.1 % digital (4 of 7): Digital Hybrid."""
    return journey_with(
        ["email", "web", "phone"],
        ["in_app", "chat", "in_person", "sales_rep"],
        canvas__workspace=workspace,
        canvas__title="Payroll onboarding",
    )


def url(journey, name="journeys:digital_mix"):
    return reverse(name, args=[journey.workspace.slug, journey.pk])


def set_target_post(client, journey, target, **extra):
    data = {"target_type": target, "version": journey.version}
    return client.post(url(journey), data, **extra)


def test_page_shows_share_type_and_what_the_target_needs(client_as, member, journey):
    journey.target_type = DigitalType.FIRST
    journey.save()
    response = client_as(member(Role.VIEWER)).get(url(journey))
    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert "57.1 % digital" in text
    assert "Digital Hybrid" in text
    assert "1 more digital touchpoint needed" in text  # 5 of 7 is 71.4 %
    assert 'role="img"' in text
    assert "Stage " in text
    assert "Set target" not in text  # a viewer sees no form


def test_stages_off_target_are_listed_with_what_they_need(client_as, owner, journey):
    journey.target_type = DigitalType.FIRST
    journey.save()
    text = " ".join(client_as(owner).get(url(journey)).content.decode().split())
    second = journey.stages.current()[1]
    # Stage 2: 2 of 4 digital, Hybrid; 3 of 4 (75 %) is First.
    assert (
        f"{second.name}</a> — Digital Hybrid (50 %), target Digital First: 1 more digital needed"
        in text
        or (
            f"<strong>{second.name}</strong> — Digital Hybrid (50 %), target Digital First: 1 more digital needed"
            in text
        )
    )
    first = journey.stages.current()[0]
    assert f"{first.name}</a> — " not in text and f"<strong>{first.name}</strong> — " not in text


def test_touchpoints_missing_data_are_listed(client_as, owner, journey):
    tp = journey.stages.current()[0].touchpoints.first()
    DataNeedFactory(touchpoint=tp, source="")
    text = " ".join(client_as(owner).get(url(journey)).content.decode().split())
    assert f"{tp.name}" in text
    assert "1 of 1 data need without where it lives." in text
    assert text.count("No data needs listed.") == 6


def test_empty_journey_says_what_to_do(client_as, member, workspace):
    journey = journey_with([], [], canvas__workspace=workspace)
    text = client_as(member(Role.VIEWER)).get(url(journey)).content.decode()
    assert "No touchpoints on this journey yet" in text
    assert "0 % digital" not in text
    assert 'role="img"' not in text


def test_page_queries_do_not_grow_with_stages_and_touchpoints(
    client_as, owner, journey, django_assert_max_num_queries
):
    client = client_as(owner)
    client.get(url(journey))  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(journey)).status_code == 200
    for _ in range(8):
        stage = StageFactory(journey=journey)
        for tp in TouchpointFactory.create_batch(6, stage=stage, channel="phone"):
            DataNeedFactory(touchpoint=tp, source="")
    with django_assert_max_num_queries(len(small)):
        response = client.get(url(journey))
    assert "4 of 55 touchpoints digital" in " ".join(response.content.decode().split())


def test_plain_post_sets_the_target_and_redirects(client_as, member, journey):
    facilitator = member(Role.FACILITATOR)
    response = set_target_post(client_as(facilitator), journey, DigitalType.FIRST)
    assert response.status_code == 302
    assert response.url == url(journey)
    journey.refresh_from_db()
    assert (journey.target_type, journey.version) == (DigitalType.FIRST, 2)
    event = journey.canvas.events.get(kind=CanvasEvent.Kind.JOURNEY_CHANGED)
    assert event.before == {"area": "mix", "target_type": ""}
    assert event.after == {"area": "mix", "target_type": "digital_first"}
    assert event.actor == facilitator


def test_htmx_post_returns_the_mix_region(client_as, owner, journey):
    response = set_target_post(
        client_as(owner), journey, DigitalType.SUPPORT, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="journey-mix"')
    assert "<html" not in body
    assert "target <span" in body and "Digital Support" in body
    assert "2 fewer digital touchpoints needed" in " ".join(body.split())  # 2 of 7 is 28.6 %
    assert 'name="version" value="2"' in body
    assert "HX-Request" in response["Vary"]


def test_a_stale_version_is_refused_with_what_changed(client_as, owner, journey):
    journey_set_target(
        journey=journey, target_type=DigitalType.FIRST, actor=owner, expected_version=1
    )
    response = set_target_post(client_as(owner), journey, DigitalType.SUPPORT)  # version 1
    assert response.status_code == 200
    body = response.content.decode()
    assert "its target is now Digital First" in body
    assert 'name="version" value="2"' in body  # choosing again starts from the current version
    journey.refresh_from_db()
    assert journey.target_type == DigitalType.FIRST


def test_an_unknown_target_is_refused(client_as, owner, journey):
    response = set_target_post(client_as(owner), journey, "digital_only")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Journey.objects.get(pk=journey.pk).target_type == ""


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PARTICIPANT, Role.REVIEWER])
def test_only_editors_set_the_target(client_as, member, journey, role):
    response = set_target_post(client_as(member(role)), journey, DigitalType.FIRST)
    assert response.status_code == 403
    assert Journey.objects.get(pk=journey.pk).target_type == ""


def test_undo_takes_the_target_back(owner, journey):
    journey_set_target(
        journey=journey, target_type="digital_first", actor=owner, expected_version=1
    )
    journey_set_target(
        journey=journey, target_type="digital_hybrid", actor=owner, expected_version=2
    )
    undone = undo_last(canvas=journey.canvas, actor=owner, facilitating=True)
    assert undone.after["target_type"] == "digital_hybrid"
    journey.refresh_from_db()
    assert journey.target_type == "digital_first"
    assert journey.canvas.events.filter(undoes=undone).count() == 1
    undo_last(canvas=journey.canvas, actor=owner, facilitating=True)
    journey.refresh_from_db()
    assert journey.target_type == ""


def test_undo_refuses_to_overwrite_someone_elses_later_change(owner, member, journey):
    journey_set_target(
        journey=journey, target_type="digital_first", actor=owner, expected_version=1
    )
    other = member(Role.FACILITATOR)
    journey_set_target(
        journey=journey, target_type="digital_support", actor=other, expected_version=2
    )
    with pytest.raises(Exception, match="Someone changed the target after you did"):
        undo_last(canvas=journey.canvas, actor=owner, facilitating=True)
    journey.refresh_from_db()
    assert journey.target_type == "digital_support"


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "mix.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


def test_pdf_contains_the_figures(client_as, member, journey, tmp_path):
    journey.target_type = DigitalType.FIRST
    journey.save()
    response = client_as(member(Role.VIEWER)).get(url(journey, "journeys:digital_mix_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="payroll-onboarding-digital-mix.pdf"' in response["Content-Disposition"]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "journey-digital-mix.pdf").write_bytes(response.content)
    text = pdf_text(response.content, tmp_path)
    assert "57.1 % digital" in text
    assert "Digital Hybrid" in text
    assert "1 more digital touchpoint needed" in text
    assert "Payroll onboarding" in text
    assert "Sales rep" in text


def test_hostile_names_are_escaped_in_page_svg_and_pdf(client_as, owner, journey, tmp_path):
    stage = journey.stages.current()[0]
    stage.name = HOSTILE[:80]
    stage.save()
    TouchpointFactory(stage=stage, name=HOSTILE, channel="phone")
    client = client_as(owner)
    body = client.get(url(journey)).content.decode()
    assert "<script>alert" not in body
    assert "<svg onload" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    text = pdf_text(client.get(url(journey, "journeys:digital_mix_pdf")).content, tmp_path)
    assert '<script>alert("x")</script>' in text  # printed as text, not parsed as markup


def test_the_pack_section_prints_every_journey_of_the_workspace(workspace, tmp_path):
    journey_with(["web", "email", "phone"], canvas__workspace=workspace, canvas__title="Onboarding")
    journey_with(["phone"], ["event", "web"], canvas__workspace=workspace, canvas__title="Renewal")
    journey_with(["web"], canvas__title="Someone else's journey")
    section = {s.slug: s for s in packs.pack_sections()}["digital-mix"]
    assert section.title == "Digital mix"
    document = render_document(section.render(workspace), packs.COVER_STYLES)
    assert len(document.pages) == 2  # a page per journey
    content = document.write_pdf()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "journey-digital-mix-pack.pdf").write_bytes(content)
    text = pdf_text(content, tmp_path)
    assert "Onboarding" in text and "66.7 % digital" in text
    assert "Renewal" in text and "33.3 % digital" in text and "Digital Support" in text
    assert "Someone else" not in text


def test_the_pack_section_of_a_workspace_without_journeys(workspace, tmp_path):
    html = pack_section_html(workspace)
    text = pdf_text(render_document(html, packs.COVER_STYLES).write_pdf(), tmp_path)
    assert "This workspace has no customer journeys yet." in text
