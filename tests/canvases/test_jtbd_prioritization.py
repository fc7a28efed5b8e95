"""The prioritization board: items, scores from three sources, opportunity, plot, decisions."""

import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvases import services, types
from canvases.jtbd import prioritization as prio
from canvases.models import CanvasEvent, FieldValue, Outcome, PriorityItem, ScoreSource
from canvases.pdf import render_canvas_pdf
from engage.roles import Role
from tests.canvases.factories import CanvasFactory
from tests.engage.factories import JobFactory

Kind = CanvasEvent.Kind


@pytest.fixture
def job(workspace):
    return JobFactory(workspace=workspace, verb="onboard", object="new hires", context="")


@pytest.fixture
def board(workspace, facilitator, job):
    return CanvasFactory(
        workspace=workspace, type=types.JTBD_PRIORITIZATION.slug, created_by=facilitator, job=job
    )


@pytest.fixture
def reviewer(member):
    return member(Role.REVIEWER, user__name="Rita Reviewer")


def set_source(board, source):
    FieldValue.objects.update_or_create(canvas=board, field="source", defaults={"value": source})


def outcome(board, actor, metric, obj, **kwargs):
    return services.outcome_item_add(
        canvas=board, actor=actor, direction="minimise", metric=metric, object=obj, **kwargs
    )


def scored(board, actor, label, importance, satisfaction):
    item = outcome(board, actor, "the time", label)
    return services.item_score(
        item=item,
        actor=actor,
        expected_version=item.version,
        importance=importance,
        satisfaction=satisfaction,
    )


def url(name, **kwargs):
    return reverse(f"canvases:{name}", kwargs=kwargs)


def test_the_source_choices_are_the_models_score_sources():
    (field,) = types.JTBD_PRIORITIZATION.header_fields
    assert field.choices == tuple(ScoreSource.choices)


# --- items and decisions ----------------------------------------------------------


def test_an_outcome_is_composed_from_its_parts_and_belongs_to_the_boards_job(board, alice, job):
    item = outcome(board, alice, "the time", "to get a working login", context="for a new hire")
    assert item.outcome.statement == "minimise the time to get a working login for a new hire"
    assert item.outcome.job == job and item.outcome.direction == "minimise"
    again = Outcome.objects.get(pk=item.outcome.pk)
    with pytest.raises(ValidationError, match="already on this board"):
        outcome(board, alice, "The Time", "to get a working LOGIN", context="for a new hire")
    assert Outcome.objects.count() == 1 and again.priority_items.count() == 1


def test_items_are_jobs_or_outcomes_once_each(board, alice, job, workspace):
    services.item_add(canvas=board, job=job, actor=alice)
    with pytest.raises(ValidationError, match="already on this board"):
        services.item_add(canvas=board, job=job, actor=alice)
    with pytest.raises(ValidationError, match="another workspace"):
        services.item_add(canvas=board, job=JobFactory(), actor=alice)
    filter_canvas = CanvasFactory(workspace=workspace, type=types.JTBD_FILTER.slug)
    with pytest.raises(ValidationError, match="prioritization board"):
        services.item_add(canvas=filter_canvas, job=job, actor=alice)


def test_direct_scores_run_from_0_to_10_and_conflict_when_stale(board, alice, bob):
    item = outcome(board, alice, "the time", "to log in")
    stale = item.version
    item = services.item_score(
        item=item, actor=alice, expected_version=stale, importance="8.5", satisfaction="3"
    )
    assert (item.importance, item.satisfaction) == (Decimal("8.5"), Decimal("3"))
    with pytest.raises(services.EditConflict):
        services.item_score(
            item=item, actor=bob, expected_version=stale, importance="1", satisfaction="1"
        )
    with pytest.raises(ValidationError, match="0 to 10"):
        services.item_score(item=item, actor=bob, expected_version=item.version, importance="11")


def test_a_decision_records_who_and_when_and_is_undone(board, alice, reviewer):
    item = outcome(board, alice, "the time", "to log in")
    item = services.item_decide(
        item=item, actor=reviewer, decision="defer", comment="After the pilot"
    )
    assert (item.decision, item.decision_comment, item.decided_by) == (
        "defer", "After the pilot", reviewer,
    )  # fmt: skip
    assert item.decided_at is not None
    event = board.events.get(kind=Kind.DECISION)
    assert event.before["decision"] == "" and event.after["comment"] == "After the pilot"

    first_at = item.decided_at
    item = services.item_decide(item=item, actor=alice, decision="reject", comment="No budget")
    assert item.decided_by == alice

    services.undo_last(canvas=board, actor=alice)
    item.refresh_from_db()
    assert (item.decision, item.decided_by, item.decided_at) == ("defer", reviewer, first_at)
    services.undo_last(canvas=board, actor=reviewer)
    item.refresh_from_db()
    assert (item.decision, item.decision_comment, item.decided_by) == ("", "", None)


def test_each_item_change_is_undone(board, alice, job):
    item = scored(board, alice, "to log in", 6, 2)
    services.item_remove(item=item, actor=alice)
    assert not board.priority_items.exists()

    services.undo_last(canvas=board, actor=alice)  # the removal
    back = board.priority_items.get()
    assert (back.importance, back.satisfaction) == (6, 2)
    services.undo_last(canvas=board, actor=alice)  # the scores
    back.refresh_from_db()
    assert back.importance is None
    services.undo_last(canvas=board, actor=alice)  # the adding
    assert not board.priority_items.exists()


# --- the numbers ----------------------------------------------------------------


def test_opportunity_region_and_rank_are_per_item(board, alice):
    # Worked numbers: opportunity = importance + max(importance − satisfaction, 0).
    scored(board, alice, "a", 9, 2)  # 9 + 7 = 16 → extreme
    scored(board, alice, "b", 8, 4)  # 8 + 4 = 12 → under-served
    scored(board, alice, "c", 6, 2)  # 6 + 4 = 10 → served (the boundary)
    scored(board, alice, "d", 3, 7)  # 3 + 0 = 3 → over-served
    outcome(board, alice, "the time", "e")  # no scores: no opportunity, last

    rows, about = prio.board_rows(board)

    assert about["source"] == "direct"
    assert [(r.label[-1], r.opportunity, r.region and r.region.value, r.rank) for r in rows] == [
        ("a", 16, "extreme", 1),
        ("b", 12, "under_served", 2),
        ("c", 10, "served", 3),
        ("d", 3, "over_served", 4),
        ("e", None, None, None),
    ]
    points = prio.plot_points(rows)
    assert len(points) == 4
    # x = 44 + 30·importance, y = 14 + 300 − 30·satisfaction
    assert (points[0].cx, points[0].cy) == (314.0, 254.0)


def test_filter_scores_map_onto_0_to_10_from_the_latest_filter(board, alice, workspace, job):
    older = CanvasFactory(workspace=workspace, type=types.JTBD_FILTER.slug)
    services.filter_row_add(
        canvas=older, job=job, actor=alice, scores={"importance": 1, "satisfaction": 1}
    )
    newer = CanvasFactory(workspace=workspace, type=types.JTBD_FILTER.slug, title="Filter B")
    services.filter_row_add(
        canvas=newer, job=job, actor=alice, scores={"importance": 4, "satisfaction": 2}
    )
    set_source(board, ScoreSource.FILTER)
    services.item_add(canvas=board, job=job, actor=alice)
    outcome(board, alice, "the time", "to log in")  # belongs to the board's job
    other = JobFactory(workspace=workspace)
    services.item_add(canvas=board, job=other, actor=alice)  # not on the filter

    rows, about = prio.board_rows(board)

    assert about["filter"] == newer
    # 4 → 7.5, 2 → 2.5: opportunity 7.5 + 5 = 12.5
    assert [(r.importance, r.satisfaction, r.opportunity) for r in rows] == [
        (7.5, 2.5, 12.5),
        (7.5, 2.5, 12.5),
        (None, None, None),
    ]


def test_survey_scores_are_the_top_two_box_share_times_ten(board, facilitator):
    data = (
        "respondent_id,outcome,importance,satisfaction\n"
        "r1,Reduce errors,5,1\nr2,reduce errors,4,2\nr3,Reduce Errors,2,4\nr4,reduce errors,5,5\n"
    )
    services.survey_import(canvas=board, data=data.encode(), actor=facilitator)
    set_source(board, ScoreSource.SURVEY)

    (row,), about = prio.board_rows(board)

    # importance 4–5 from 3 of 4 → 7.5; satisfaction 4–5 from 2 of 4 → 5; 7.5 + 2.5 = 10
    assert (row.importance, row.satisfaction, row.opportunity) == (7.5, 5.0, 10.0)
    assert row.region.value == "served" and row.respondents == 4 and about["answers"] == 4


# --- CSV import -----------------------------------------------------------------

GOOD = "respondent_id,outcome,importance,satisfaction\r\nr1,Reduce errors,5,2\r\n"


def import_file(client, board, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("survey.csv", content, content_type="text/csv")
    return client.post(
        url("survey_import", workspace=board.workspace.slug, canvas=board.pk),
        {"file": upload},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    "content,expected",
    [
        ("respondent,outcome,importance,satisfaction\nr1,A,5,2\n", ["row 1: the columns must"]),
        (
            "respondent_id,outcome,importance,satisfaction\nr1,A,5,2\nr2,A,0,2\nr3,A,4,6\n",
            ["row 3: importance 0 is outside 1–5", "row 4: satisfaction 6 is outside 1–5"],
        ),
        (
            "respondent_id,outcome,importance,satisfaction\nr1,A,five,2\nr2,A,4.5,2\n",
            ["row 2: importance “five” is not a whole number", "row 3: importance “4.5”"],
        ),
        ("", ["The file is empty"]),
        (
            "respondent_id,outcome,importance,satisfaction\nr1,A,5,2\nr2,B,4,2\nr1,a,3,3\n",
            ["row 4: r1 already rated “a” in row 2"],
        ),
        (
            "respondent_id,outcome,importance,satisfaction\n,A,5,2\nr2,,4,2\n",
            ["row 2: respondent_id is empty", "row 3: outcome is empty"],
        ),
    ],
    ids=["wrong-columns", "outside-1-5", "not-integer", "empty", "duplicate", "blanks"],
)
def test_a_bad_file_imports_nothing_and_names_the_rows(
    client_as, facilitator, board, content, expected
):
    response = import_file(client_as(facilitator), board, content.encode())

    shown = messages_of(response)
    assert "Nothing was imported." in shown
    for text in expected:
        assert any(text in message for message in shown), (text, shown)
    assert not board.survey_answers.exists()
    assert not Outcome.objects.exists() and not board.priority_items.exists()
    assert not board.events.filter(kind=Kind.SURVEY_IMPORTED).exists()


def test_a_good_file_matches_outcomes_by_name_in_any_case(client_as, facilitator, board, job):
    existing = outcome(board, facilitator, "the time", "to log in").outcome
    content = (
        "\ufeffrespondent_id,outcome,importance,satisfaction\r\n"
        "r1,MINIMISE THE TIME TO LOG IN,5,2\r\n"
        "r2,minimise the time to log in,4,4\r\n"
        "r1,Increase the share of clean payroll runs,3,1\r\n"
    )
    response = import_file(client_as(facilitator), board, content.encode())

    assert "Imported 3 answers about 2 outcomes." in messages_of(response)
    assert Outcome.objects.count() == 2
    assert existing.survey_answers.count() == 2
    new = Outcome.objects.get(statement="Increase the share of clean payroll runs")
    assert new.job == job and board.priority_items.filter(outcome=new).exists()
    assert board.events.filter(kind=Kind.SURVEY_IMPORTED).count() == 1


def test_importing_the_same_answers_twice_is_refused_and_an_import_is_undone(board, facilitator):
    services.survey_import(canvas=board, data=GOOD.encode(), actor=facilitator)
    with pytest.raises(ValidationError) as refused:
        services.survey_import(canvas=board, data=GOOD.encode(), actor=facilitator)
    assert "row 2: r1 already rated" in refused.value.messages[0]
    assert board.survey_answers.count() == 1

    services.undo_last(canvas=board, actor=facilitator)
    assert not board.survey_answers.exists()


def test_an_oversized_file_is_refused():
    with pytest.raises(ValidationError, match="larger than"):
        services.survey.parse_survey(b"x" * (services.survey.MAX_BYTES + 1))


# --- the board ------------------------------------------------------------------


def point_of(content: str, rank: int) -> tuple[str, str]:
    match = re.search(
        rf'data-rank="{rank}">\s*<title>[^<]*</title>\s*<circle cx="([\d.]+)" cy="([\d.]+)"',
        content,
    )
    return match.groups()


def test_the_board_draws_the_plot_and_the_ranked_list(client_as, reviewer, board, alice):
    scored(board, alice, "a <b>", 9, 2)
    outcome(board, alice, "the time", "unscored")
    content = client_as(reviewer).get(board.get_absolute_url()).content.decode()

    assert "<title id=" in content and "1 scored item" in content
    assert point_of(content, 1) == ("314.0", "254.0")
    assert "a &lt;b&gt;" in content and "a <b>" not in content
    assert "16 · Extremely under-served" in content
    assert "exactly 10 counts as served" in content
    assert re.search(r"<td class=\"num opportunity\">—</td>", content)
    assert 'name="decision"' in content  # a reviewer decides …
    assert 'name="importance"' not in content  # … but does not score


def test_the_filter_source_says_which_filter_and_the_mapping(client_as, alice, board, workspace):
    CanvasFactory(workspace=workspace, type=types.JTBD_FILTER.slug, title="Onboarding filter")
    set_source(board, ScoreSource.FILTER)
    content = client_as(alice).get(board.get_absolute_url()).content.decode()
    assert "Onboarding filter" in content
    assert "1 → 0, 2 → 2.5, 3 → 5, 4 → 7.5, 5 → 10" in content


def test_a_participant_scores_and_a_reviewer_decides_through_the_board(
    client_as, alice, reviewer, board
):
    item = outcome(board, alice, "the time", "to log in")
    ws = board.workspace.slug
    score_url = url("item_update", workspace=ws, item=item.pk)
    data = {"importance": "7", "satisfaction": "2", "version": item.version}
    assert client_as(alice).post(score_url, data).status_code == 302
    item.refresh_from_db()
    assert item.importance == 7
    decide = url("item_decide", workspace=ws, item=item.pk)
    assert client_as(alice).post(decide, {"decision": "accept"}).status_code == 403

    response = client_as(reviewer).post(
        decide, {"decision": "accept", "comment": "Do it first"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert "Do it first" in content and "by Rita Reviewer" in content
    plot = content.split('id="panel-plot" hx-swap-oob="true"')[1]
    assert '<span class="decision-badge decision-accept">Accept</span>' in plot
    assert client_as(reviewer).post(score_url, data).status_code == 403


def test_awaiting_decision_shows_only_undecided_items(client_as, reviewer, alice, board):
    done = outcome(board, alice, "the time", "decided one")
    outcome(board, alice, "the time", "open one")
    services.item_decide(item=done, actor=reviewer, decision="reject", comment="No")
    client = client_as(reviewer)
    options = url("panel_options", workspace=board.workspace.slug, canvas=board.pk)

    client.get(options + "?show=awaiting")
    items = client.get(board.get_absolute_url()).content.decode().split('id="panel-items"')[1]
    assert "open one" in items and "decided one" not in items
    client.get(options + "?show=all")
    items = client.get(board.get_absolute_url()).content.decode().split('id="panel-items"')[1]
    assert "decided one" in items


def test_the_board_query_count_does_not_grow_with_items(
    client_as, reviewer, alice, board, django_assert_num_queries
):
    def add(count, start):
        for n in range(start, start + count):
            item = scored(board, alice, f"step {n}", n % 11, (n * 3) % 11)
            services.item_decide(item=item, actor=reviewer, decision="defer", comment="later")

    client = client_as(reviewer)
    for source in (ScoreSource.DIRECT, ScoreSource.FILTER, ScoreSource.SURVEY):
        set_source(board, source)
        PriorityItem.objects.all().delete()
        add(5, 0)
        client.get(board.get_absolute_url())
        with CaptureQueriesContext(connection) as five:
            client.get(board.get_absolute_url())
        add(45, 5)
        with django_assert_num_queries(len(five)):
            content = client.get(board.get_absolute_url()).content.decode()
        assert content.count('<tr id="item-') == 50


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_board_prints_with_its_plot_and_no_forms(tmp_path, board, alice, reviewer):
    item = scored(board, alice, "to log in", 8, 3)
    services.item_decide(item=item, actor=reviewer, decision="accept", comment="Go")
    path = tmp_path / "board.pdf"
    path.write_bytes(render_canvas_pdf(board))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "minimise the time to log in" in text
    assert "Importance →" in text and "Extreme" in text and "Accept" in text
    for form_text in ("Record decision", "Import survey", "Add outcome", "Awaiting decision ("):
        assert form_text not in text


def test_the_source_is_a_header_field_that_redraws_the_board(client_as, facilitator, board):
    scored(board, facilitator, "to log in", 8, 3)
    client = client_as(facilitator)
    content = client.get(board.get_absolute_url()).content.decode()
    assert re.search(r'<option value="direct" selected>Entered directly</option>', content)

    response = client.post(
        url("field_update", workspace=board.workspace.slug, canvas=board.pk, field="source"),
        {"value": "survey", "original": "direct"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert 'id="panel-plot" hx-swap-oob="true"' in content
    assert "0 scored items" in content and "From survey answers" in content
    event = board.events.get(field="source")
    assert (event.before, event.after) == ({"value": "direct"}, {"value": "survey"})


def test_numbers_of_points_that_coincide_do_not_overlap_and_stay_inside():
    def row(rank, importance, satisfaction):
        item = PriorityItem(pk=rank, position=rank)
        result = prio.Row(item, f"item {rank}", importance, satisfaction)
        result.opportunity = 1
        result.region = prio.scoring.region(importance, satisfaction)
        result.rank = rank
        return result

    for spot in ((6, 5), (0, 4), (10, 1)):
        points = prio.plot_points([row(rank, *spot) for rank in (1, 2, 3)])
        labels = {(p.label_x, p.label_y) for p in points}
        assert len(labels) == 3, spot
        for p in points:
            assert prio.LEFT <= p.label_x <= prio.LEFT + prio.SIDE, spot


def test_decisions_stay_in_the_history(client_as, alice, reviewer, board):
    item = outcome(board, alice, "the time", "to log in")
    item = services.item_decide(item=item, actor=reviewer, decision="accept", comment="Yes")
    services.item_decide(item=item, actor=reviewer, decision="reject", comment="Too costly")
    history = url("canvas_history", workspace=board.workspace.slug, canvas=board.pk)
    content = client_as(alice).get(history).content.decode()
    assert content.count("recorded a decision") == 2
    assert "decision accept → reject; comment Yes → Too costly" in content


def test_who_may_score_and_decide(client_as, member, alice, reviewer, outsider, board, job):
    item = outcome(board, alice, "the time", "to log in")
    row_canvas = CanvasFactory(workspace=board.workspace, type=types.JTBD_FILTER.slug)
    row = services.filter_row_add(canvas=row_canvas, job=job, actor=alice)
    ws = board.workspace.slug
    score_url = url("item_update", workspace=ws, item=item.pk)
    decide_url = url("item_decide", workspace=ws, item=item.pk)
    row_url = url("filter_row_update", workspace=ws, row=row.pk)
    scores = {"importance": "5", "satisfaction": "5", "version": item.version}
    cell = {"field": "importance", "value": "3", "version": row.version}
    decision = {"decision": "accept"}

    viewer = client_as(member(Role.VIEWER))
    assert viewer.post(score_url, scores).status_code == 403
    assert viewer.post(row_url, cell).status_code == 403
    assert viewer.post(decide_url, decision).status_code == 403
    participant = client_as(alice)
    assert participant.post(decide_url, decision).status_code == 403
    assert participant.post(row_url, cell).status_code == 302
    assert participant.post(score_url, scores).status_code == 302
    assert client_as(reviewer).post(decide_url, decision).status_code == 302
    stranger = client_as(outsider)
    for target, data in ((score_url, scores), (row_url, cell), (decide_url, decision)):
        assert stranger.post(target, data).status_code == 404
    item.refresh_from_db()
    row.refresh_from_db()
    assert (item.importance, item.decision, row.importance) == (5, "accept", 3)


def test_a_new_version_keeps_items_decisions_answers_and_filter_rows(
    board, facilitator, reviewer, workspace, job
):
    item = scored(board, facilitator, "to log in", 8, 3)
    services.item_decide(item=item, actor=reviewer, decision="accept", comment="Go")
    services.survey_import(canvas=board, data=GOOD.encode(), actor=facilitator)
    filter_canvas = CanvasFactory(workspace=workspace, type=types.JTBD_FILTER.slug)
    services.filter_row_add(
        canvas=filter_canvas, job=job, actor=facilitator, scores={"importance": 4}
    )

    copy = services.canvas_copy(canvas=board, actor=facilitator)
    filter_copy = services.canvas_copy(canvas=filter_canvas, actor=facilitator)

    items = {str(i): i for i in copy.priority_items.select_related("outcome", "job")}
    assert set(items) == {"minimise the time to log in", "Reduce errors"}
    kept = items["minimise the time to log in"]
    assert (kept.importance, kept.decision, kept.decided_by) == (8, "accept", reviewer)
    assert copy.survey_answers.count() == 1
    assert filter_copy.filter_rows.get().importance == 4
    assert board.priority_items.count() == 2, "the old version stays as it was"


def test_an_outcome_added_on_the_board_may_belong_to_another_job(
    client_as, alice, board, workspace
):
    other = JobFactory(workspace=workspace, verb="pay", object="new hires", context="on time")
    add = url("item_add", workspace=workspace.slug, canvas=board.pk)
    client = client_as(alice)
    content = client.get(board.get_absolute_url()).content.decode()
    assert f'<option value="{board.job_id}" selected>of “onboard new hires”</option>' in content

    client.post(
        add,
        {"direction": "minimise", "metric": "the likelihood", "object": "of a missed first payslip",
         "context": "", "outcome_job": other.pk},
    )  # fmt: skip
    client.post(add, {"direction": "increase", "metric": "the share", "object": "of signed forms"})

    outcomes = {o.statement: o.job for o in Outcome.objects.all()}
    assert outcomes == {
        "minimise the likelihood of a missed first payslip": other,
        "increase the share of signed forms": board.job,
    }


def test_an_item_change_redraws_plot_and_items_on_the_next_poll(
    client_as, alice, bob, board, django_capture_on_commit_callbacks
):
    item = outcome(board, alice, "the time", "to log in")
    client = client_as(bob)
    page = client.get(board.get_absolute_url()).content.decode()
    poll = re.search(r'data-poll-url="([^"]+)"', page).group(1).replace("&amp;", "&")

    with django_capture_on_commit_callbacks(execute=True):
        services.item_score(
            item=item, actor=alice, expected_version=item.version, importance=9, satisfaction=1
        )
    content = client.get(poll).content.decode()

    assert 'id="panel-plot" hx-swap-oob="true"' in content
    assert 'id="panel-items" hx-swap-oob="true"' in content
    assert point_of(content, 1) == ("314.0", "284.0")
