"""The journeys page, the map's panels on the board (htmx and plain), the stage page, the PDF."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvases import services as canvas_services
from canvases.pdf import render_canvas_pdf
from engage.roles import Role
from journeys import services
from journeys.models import Journey, Stage, Touchpoint
from tests.canvases.live import board_htmx
from tests.canvases.test_pdf import pdf_text
from tests.engage.factories import MembershipFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def from_board(journey) -> dict:
    """The headers of a request from the journey's board: htmx, and the revision it shows."""
    journey.canvas.refresh_from_db()
    return board_htmx(journey.canvas.revision)


def url(name, workspace, **kwargs):
    return reverse(f"journeys:{name}", kwargs={"workspace": workspace.slug, **kwargs})


def test_the_journeys_page_explains_itself_when_empty(client_as, facilitator, workspace):
    content = client_as(facilitator).get(url("index", workspace)).content.decode()
    assert "Map the journey" in content and "New journey map" in content


def test_a_facilitator_creates_a_journey_from_a_preset(client_as, facilitator, workspace, persona):
    response = client_as(facilitator).post(
        url("index", workspace),
        {"persona": persona.pk, "scenario": "Renewal review", "preset": "lifecycle"},
    )
    journey = Journey.objects.get()
    assert response.status_code == 302 and response.url == journey.canvas.get_absolute_url()
    assert journey.stages.count() == 5


def test_a_bad_create_form_says_why_and_creates_nothing(client_as, facilitator, workspace):
    response = client_as(facilitator).post(url("index", workspace), {"scenario": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert not Journey.objects.exists()


def test_viewers_read_the_list_without_the_form(client_as, member, workspace, journey):
    content = client_as(member(Role.VIEWER)).get(url("index", workspace)).content.decode()
    assert journey.canvas.title in content and "New journey map" not in content


def test_the_board_draws_stages_rows_touchpoints_and_the_curve(client_as, alice, journey):
    stage = journey.stages.current().first()
    services.touchpoint_add(stage=stage, actor=alice, name="Review <site>", channel="web")
    services.stage_set_emotion(stage=stage, emotion=-1, actor=alice)
    content = client_as(alice).get(journey.canvas.get_absolute_url()).content.decode()
    for name in ("Discover", "Evaluate", "Get support"):
        assert f">{name}</a></h3>" in content
    assert f'id="notes-{stage.area("opportunities")}"' in content
    assert "Review &lt;site&gt;" in content and "Review <site>" not in content
    assert 'class="jm-curve-svg"' in content and ">−1</text>" in content
    assert "100 %" in content and "Digital First" in content
    # participants add touchpoints and notes, but only facilitators shape the stages
    assert 'name="channel"' in content and "Add a stage" not in content


def test_an_htmx_touchpoint_add_redraws_the_touchpoints_and_the_summary(
    client_as, alice, journey, workspace
):
    stage = journey.stages.current().first()
    response = client_as(alice).post(
        url("touchpoint_add", workspace, stage=stage.pk),
        {"name": "Kick-off call", "channel": "phone"},
        **from_board(journey),
    )
    content = response.content.decode()
    assert 'id="panel-touchpoints" hx-swap-oob="true"' in content
    assert 'id="panel-summary" hx-swap-oob="true"' in content
    assert "Kick-off call" in content and "0 %" in content and "Digital Support" in content
    assert Touchpoint.objects.get().is_digital is False


def test_a_plain_touchpoint_post_redirects_to_the_map(client_as, alice, journey, workspace):
    stage = journey.stages.current().first()
    response = client_as(alice).post(
        url("touchpoint_add", workspace, stage=stage.pk),
        {"name": "Help centre", "channel": "web", "digital": "no"},
    )
    assert response.status_code == 302 and response.url.endswith("#area-touchpoints")
    assert Touchpoint.objects.get().is_digital is False


def test_a_refused_touchpoint_shows_its_reason(client_as, alice, journey, workspace):
    stage = journey.stages.current().first()
    response = client_as(alice).post(
        url("touchpoint_add", workspace, stage=stage.pk),
        {"name": "Fax", "channel": "fax"},
        **from_board(journey),
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Touchpoint.objects.exists()


def test_changing_the_stages_reloads_the_board_of_everyone(
    client_as, facilitator, journey, workspace
):
    client = client_as(facilitator)
    journey.canvas.refresh_from_db()
    known = journey.canvas.revision
    response = client.post(
        url("stage_add", workspace, journey=journey.pk), {"name": "Advocate"}, **HTMX
    )
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    poll = reverse("canvases:board_poll", args=[workspace.slug, journey.canvas.pk])
    assert client.get(f"{poll}?rev={known}&people=", **HTMX)["HX-Refresh"] == "true"
    stage = Stage.objects.get(name="Advocate")
    assert (
        f">{stage.name}</a></h3>" in client.get(journey.canvas.get_absolute_url()).content.decode()
    )


def test_a_refused_stage_change_shows_on_the_stages_row(client_as, facilitator, journey, workspace):
    for _ in range(6):
        services.stage_add(journey=journey, name="More", actor=facilitator)
    response = client_as(facilitator).post(
        url("stage_add", workspace, journey=journey.pk), {"name": "Too many"}, **from_board(journey)
    )
    content = response.content.decode()
    assert "HX-Refresh" not in response and 'id="panel-stages" hx-swap-oob="true"' in content
    assert "at most 12 stages" in content


def test_the_stage_menu_moves_and_removes(client_as, facilitator, journey, workspace):
    client = client_as(facilitator)
    buy = journey.stages.get(name="Buy")
    client.post(url("stage_update", workspace, stage=buy.pk), {"action": "move", "position": 0})
    assert journey.stages.current().first().name == "Buy"
    client.post(url("stage_update", workspace, stage=buy.pk), {"action": "remove"})
    assert not journey.stages.current().filter(name="Buy").exists()
    assert client.get(url("stage_detail", workspace, stage=buy.pk)).status_code == 404


def test_emotion_set_by_a_participant_redraws_the_curve(client_as, alice, journey, workspace):
    stage = journey.stages.current().last()
    response = client_as(alice).post(
        url("stage_emotion", workspace, stage=stage.pk), {"emotion": "2"}, **from_board(journey)
    )
    assert 'id="panel-curve" hx-swap-oob="true"' in response.content.decode()
    assert Stage.objects.get(pk=stage.pk).emotion == 2


def test_participants_cannot_shape_the_stages(client_as, alice, journey, workspace):
    response = client_as(alice).post(url("stage_add", workspace, journey=journey.pk), {"name": "x"})
    assert response.status_code == 403


def test_the_stage_page_shows_everything_about_one_stage(
    client_as, alice, facilitator, journey, workspace
):
    stage = journey.stages.get(name="Evaluate")
    canvas = journey.canvas
    for row, text in (("doing", "Compares vendors"), ("thinking", "Can I trust them?"),
                      ("feeling", "Overwhelmed"), ("opportunities", "A comparison sheet")):  # fmt: skip
        canvas_services.note_create(canvas=canvas, area=stage.area(row), text=text, author=alice)
    touchpoint = services.touchpoint_add(
        stage=stage, actor=alice, name="Pricing page", channel="web", pains="Hidden fees"
    )
    services.data_need_add(touchpoint=touchpoint, kind="activity", item="Pages viewed",
                           source="Web analytics", actor=alice)  # fmt: skip
    services.stage_set_emotion(stage=stage, emotion=-1, actor=alice)
    content = client_as(alice).get(url("stage_detail", workspace, stage=stage.pk)).content.decode()
    for text in ("Priya Nair", "First payroll run", "Compares vendors", "Can I trust them?",
                 "Overwhelmed", "A comparison sheet", "Pricing page", "Hidden fees",
                 "Pages viewed", "Web analytics", "Negative", "stage 2 of 6", "Discover", "Buy"):  # fmt: skip
        assert text in content, text
    assert "Edit this stage" not in content


def test_the_stage_page_saves_goals_and_time(client_as, facilitator, journey, workspace):
    stage = journey.stages.get(name="Buy")
    response = client_as(facilitator).post(
        url("stage_detail", workspace, stage=stage.pk),
        {"version": 1, "name": "Buy", "goals": "Pay without a call", "expected_duration": "1 day",
         "expected_hours": 24},
    )  # fmt: skip
    assert response.status_code == 302
    stage.refresh_from_db()
    assert (stage.goals, stage.expected_duration, stage.expected_hours) == (
        "Pay without a call", "1 day", 24,
    )  # fmt: skip


def _grow(journey, actor, stages: int, touchpoints: int):
    for index in range(stages):
        stage = services.stage_add(journey=journey, name=f"Extra {index}", actor=actor)
        for number in range(touchpoints):
            touchpoint = services.touchpoint_add(
                stage=stage, actor=actor, name=f"T{number}", channel="email"
            )
            services.data_need_add(touchpoint=touchpoint, kind="profile", item="Email", actor=actor)
            canvas_services.note_create(
                canvas=journey.canvas, area=stage.area("doing"), text="note", author=actor
            )


@pytest.mark.parametrize("page", ["board", "stage"])
def test_query_counts_do_not_grow_with_stages_or_touchpoints(
    client_as, facilitator, journey, workspace, django_assert_max_num_queries, page
):
    client = client_as(facilitator)
    first = journey.stages.current().first()
    target = journey.canvas.get_absolute_url() if page == "board" else url(
        "stage_detail", workspace, stage=first.pk
    )  # fmt: skip
    _grow(journey, facilitator, 1, 1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(target).status_code == 200
    _grow(journey, facilitator, 4, 5)
    for _ in range(5):
        services.touchpoint_add(stage=first, actor=facilitator, name="More", channel="web")
    with django_assert_max_num_queries(len(small)):
        assert client.get(target).status_code == 200


def test_the_map_prints_with_its_stages_touchpoints_and_curve(journey, alice, tmp_path):
    stage = journey.stages.current().first()
    services.touchpoint_add(
        stage=stage, actor=alice, name="<script>alert(1)</script>", channel="web"
    )
    canvas_services.note_create(
        canvas=journey.canvas, area=stage.area("feeling"), text="Curious & hopeful", author=alice
    )
    services.stage_set_emotion(stage=stage, emotion=1, actor=alice)
    text = pdf_text(render_canvas_pdf(journey.canvas), tmp_path)
    for expected in ("Discover", "Getsupport", "<script>alert(1)</script>", "Curious&hopeful",
                     "FirstPayrollrun".lower()):  # fmt: skip
        assert expected.lower() in text.lower(), expected
    assert "Addatouchpoint" not in text


def test_another_workspace_cannot_touch_a_stage_through_its_own_slug(client, journey):
    outsider = MembershipFactory(role=Role.OWNER)
    client.force_login(outsider.user)
    stage = journey.stages.current().first()
    response = client.post(
        reverse("journeys:touchpoint_add", args=[outsider.workspace.slug, stage.pk]),
        {"name": "x", "channel": "web"},
    )
    assert response.status_code == 404 and not Touchpoint.objects.exists()


def test_history_names_journey_changes(client_as, alice, journey):
    services.touchpoint_add(
        stage=journey.stages.current().first(), actor=alice, name="Chatbot", channel="chat"
    )
    history = reverse(
        "canvases:canvas_history", args=[journey.canvas.workspace.slug, journey.canvas.pk]
    )
    content = client_as(alice).get(history).content.decode()
    assert re.search(r"added a touchpoint", content)


def test_the_job_trace_and_the_persona_page_list_their_journeys(
    client_as, facilitator, workspace, persona, alice
):
    from tests.engage.factories import JobFactory

    job = JobFactory(workspace=workspace, verb="Run", object="the first payroll")
    journey = services.journey_create(
        workspace=workspace, persona=persona, job=job, scenario="Payroll", actor=facilitator
    )
    services.touchpoint_add(
        stage=journey.stages.current().first(), actor=alice, name="Portal", channel="web"
    )
    client = client_as(alice)
    for page in (
        reverse("canvases:job_trace", args=[workspace.slug, job.pk]),
        reverse("persona_detail", args=[workspace.slug, persona.pk]),
    ):
        content = client.get(page).content.decode()
        assert journey.canvas.title in content and "100 % digital" in content
