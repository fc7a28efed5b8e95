"""The JTBD filter: a table of the workspace's jobs, scored 1–5, sorted, edited inline."""

import re
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvases import services, types
from canvases.models import CanvasEvent, FilterRow
from canvases.pdf import render_canvas_pdf
from engage.models import Job
from engage.roles import Role
from tests.canvases.factories import CanvasFactory
from tests.engage.factories import JobFactory

Kind = CanvasEvent.Kind


@pytest.fixture
def filter_canvas(workspace, facilitator):
    return CanvasFactory(workspace=workspace, type=types.JTBD_FILTER.slug, created_by=facilitator)


@pytest.fixture
def job(workspace):
    return JobFactory(workspace=workspace, verb="onboard", object="new hires", context="")


def url(name, **kwargs):
    return reverse(f"canvases:{name}", kwargs=kwargs)


def row_url(row):
    return url("filter_row_update", workspace=row.canvas.workspace.slug, row=row.pk)


def score(row, actor, field, value, **kwargs):
    return services.filter_row_set(
        row=row, field=field, value=value, actor=actor, expected_version=row.version, **kwargs
    )


# --- services -------------------------------------------------------------------


def test_adding_a_row_picks_a_job_and_takes_its_kind(filter_canvas, facilitator, job):
    job.kind = Job.Kind.SOCIAL
    job.save()
    row = services.filter_row_add(canvas=filter_canvas, job=job, actor=facilitator)

    assert (row.job, row.kind, row.importance) == (job, "social", None)
    event = filter_canvas.events.get(kind=Kind.ROW_ADDED)
    assert event.after["area"] == "jobs" and event.after["label"] == "onboard new hires"


def test_adding_a_row_can_create_the_job(filter_canvas, facilitator, workspace):
    row = services.filter_row_add(
        canvas=filter_canvas,
        verb="reassure",
        object="the team lead",
        context="before go-live",
        kind="emotional",
        actor=facilitator,
    )
    job = Job.objects.get(workspace=workspace, verb="reassure")
    assert row.job == job and job.statement == "reassure the team lead before go-live"
    assert row.kind == "emotional" and job.kind == "emotional"


def test_a_job_is_on_a_filter_once_and_only_of_its_workspace(filter_canvas, facilitator, job):
    services.filter_row_add(canvas=filter_canvas, job=job, actor=facilitator)
    with pytest.raises(ValidationError, match="already on this filter"):
        services.filter_row_add(canvas=filter_canvas, job=job, actor=facilitator)
    with pytest.raises(ValidationError, match="another workspace"):
        services.filter_row_add(canvas=filter_canvas, job=JobFactory(), actor=facilitator)
    with pytest.raises(ValidationError, match="verb and an object"):
        services.filter_row_add(canvas=filter_canvas, verb="do", actor=facilitator)


def test_scores_run_from_1_to_5_and_blank_clears(filter_canvas, facilitator, job):
    row = services.filter_row_add(canvas=filter_canvas, job=job, actor=facilitator)
    row = score(row, facilitator, "importance", "4")
    assert row.importance == 4 and row.version == 2
    for bad in ("0", "6", "x"):
        with pytest.raises(ValidationError, match="1 to 5"):
            score(row, facilitator, "importance", bad)
    row = score(row, facilitator, "importance", "")
    assert row.importance is None
    with pytest.raises(ValidationError):
        score(row, facilitator, "kind", "spiritual")


def test_a_stale_score_is_a_conflict_unless_only_other_cells_changed(
    filter_canvas, facilitator, alice, job
):
    row = services.filter_row_add(canvas=filter_canvas, job=job, actor=facilitator)
    seen = row.version
    score(row, alice, "importance", 5)

    with pytest.raises(services.EditConflict) as conflict:
        services.filter_row_set(
            row=row, field="importance", value=2, actor=facilitator, expected_version=seen,
            expected_value="",
        )  # fmt: skip
    assert conflict.value.current_text == "5"
    assert FilterRow.objects.get(pk=row.pk).importance == 5

    # Another cell of the same row: the importance Alice set stays, the valuable score lands.
    services.filter_row_set(
        row=row, field="valuable", value=3, actor=facilitator, expected_version=seen,
        expected_value="",
    )  # fmt: skip
    row.refresh_from_db()
    assert (row.importance, row.valuable) == (5, 3)


def test_each_filter_change_is_undone(filter_canvas, facilitator, job):
    row = services.filter_row_add(canvas=filter_canvas, job=job, actor=facilitator)
    row = score(row, facilitator, "satisfaction", 2)
    row = score(row, facilitator, "kind", "social")

    services.undo_last(canvas=filter_canvas, actor=facilitator)
    row.refresh_from_db()
    assert row.kind == "functional" and row.satisfaction == 2
    services.undo_last(canvas=filter_canvas, actor=facilitator)
    row.refresh_from_db()
    assert row.satisfaction is None
    services.undo_last(canvas=filter_canvas, actor=facilitator)
    assert not filter_canvas.filter_rows.exists()
    assert filter_canvas.events.filter(undoes__isnull=False).count() == 3


def test_undoing_a_removal_brings_the_row_back_with_its_scores(filter_canvas, facilitator, job):
    row = services.filter_row_add(
        canvas=filter_canvas, job=job, actor=facilitator, scores={"importance": 4, "priority": 5}
    )
    services.filter_row_remove(row=row, actor=facilitator)
    assert not filter_canvas.filter_rows.exists()

    services.undo_last(canvas=filter_canvas, actor=facilitator)
    back = filter_canvas.filter_rows.get()
    assert (back.job, back.importance, back.priority) == (job, 4, 5)
    services.undo_last(canvas=filter_canvas, actor=facilitator)  # the adding, though its id changed
    assert not filter_canvas.filter_rows.exists()


def test_undo_refuses_to_overwrite_someone_elses_later_score(
    filter_canvas, facilitator, alice, job
):
    row = services.filter_row_add(canvas=filter_canvas, job=job, actor=facilitator)
    row = score(row, facilitator, "importance", 3)
    score(row, alice, "importance", 5)
    with pytest.raises(ValidationError, match="after you did"):
        services.undo_last(canvas=filter_canvas, actor=facilitator)
    assert FilterRow.objects.get(pk=row.pk).importance == 5


# --- the board ------------------------------------------------------------------


def test_the_empty_filter_explains_the_scales(client_as, facilitator, filter_canvas):
    content = client_as(facilitator).get(filter_canvas.get_absolute_url()).content.decode()
    assert "No jobs on the filter yet" in content
    assert "Does failing at it hurt them?" in content and "Would they pay; how many?" in content
    assert 'name="verb"' in content


def rows_in_order(content: str) -> list[str]:
    return re.findall(r'<th scope="row" class="filter-job">([^<]+)</th>', content)


def test_sorting_by_any_column_is_stable_with_blanks_last(
    client_as, alice, filter_canvas, workspace
):
    for verb, importance in [("a", 3), ("b", None), ("c", 5), ("d", 3)]:
        job = JobFactory(workspace=workspace, verb=verb, object="thing", context="")
        services.filter_row_add(
            canvas=filter_canvas, job=job, actor=alice, scores={"importance": importance}
        )
    client = client_as(alice)
    board = filter_canvas.get_absolute_url()
    options = url("panel_options", workspace=workspace.slug, canvas=filter_canvas.pk)
    assert rows_in_order(client.get(board).content.decode()) == [
        "a thing", "b thing", "c thing", "d thing",
    ]  # fmt: skip

    response = client.get(options + "?sort=importance:desc", HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert 'id="panel-jobs" hx-swap-oob="true"' in content
    assert rows_in_order(content) == ["c thing", "a thing", "d thing", "b thing"]
    assert 'aria-sort="descending"' in content

    client.get(options + "?sort=importance:asc")
    content = client.get(board).content.decode()
    assert rows_in_order(content) == ["a thing", "d thing", "c thing", "b thing"]
    assert 'aria-sort="ascending"' in content

    client.get(options + "?sort=job:desc")
    assert rows_in_order(client.get(board).content.decode())[0] == "d thing"


def test_a_participant_scores_a_cell_with_and_without_javascript(
    client_as, alice, filter_canvas, job
):
    row = services.filter_row_add(canvas=filter_canvas, job=job, actor=alice)
    client = client_as(alice)
    data = {"field": "importance", "value": "4", "version": row.version, "original": ""}

    response = client.post(row_url(row), data)
    assert response.status_code == 302 and response.url.endswith("#area-jobs")
    row.refresh_from_db()
    assert row.importance == 4

    data = {"field": "valuable", "value": "2", "version": row.version, "original": ""}
    response = client.post(row_url(row), data, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert 'id="panel-jobs" hx-swap-oob="true"' in content
    assert re.search(r'id="valuable-\d+" name="value">.*?<option value="2" selected', content, re.S)


def test_a_conflicting_score_is_shown_not_saved(client_as, alice, bob, filter_canvas, job):
    row = services.filter_row_add(canvas=filter_canvas, job=job, actor=alice)
    stale = row.version
    score(row, bob, "importance", 5)
    data = {"field": "importance", "value": "1", "version": stale, "original": ""}

    content = client_as(alice).post(row_url(row), data, HTTP_HX_REQUEST="true").content.decode()

    assert "while you were scoring it" in content and "It now reads: 5" in content
    assert FilterRow.objects.get(pk=row.pk).importance == 5


def test_adding_and_removing_rows_through_the_board(client_as, alice, filter_canvas, job):
    client = client_as(alice)
    add = url("filter_row_add", workspace=filter_canvas.workspace.slug, canvas=filter_canvas.pk)
    client.post(add, {"job": job.pk, "kind": "functional"})
    client.post(add, {"job": "", "verb": "calm", "object": "finance", "kind": "emotional"})
    rows = list(filter_canvas.filter_rows.select_related("job"))
    assert [r.job.statement for r in rows] == ["onboard new hires", "calm finance"]
    assert rows[1].kind == "emotional"

    remove = url("filter_row_remove", workspace=filter_canvas.workspace.slug, row=rows[0].pk)
    client.post(remove)
    assert filter_canvas.filter_rows.count() == 1


def test_a_viewer_sees_scores_but_no_forms(client_as, member, alice, filter_canvas, job):
    row = services.filter_row_add(canvas=filter_canvas, job=job, actor=alice)
    score(row, alice, "importance", 4)
    viewer = member(Role.VIEWER)
    content = client_as(viewer).get(filter_canvas.get_absolute_url()).content.decode()
    assert '<span class="score-read">4</span>' in content
    assert 'name="value"' not in content
    data = {"field": "importance", "value": "1", "version": 2}
    assert client_as(viewer).post(row_url(row), data).status_code == 403


def test_the_filter_page_query_count_does_not_grow_with_rows(
    client_as, alice, filter_canvas, workspace, django_assert_num_queries
):
    def add_rows(count):
        for _ in range(count):
            job = JobFactory(workspace=workspace)
            services.filter_row_add(
                canvas=filter_canvas, job=job, actor=alice, scores={"importance": 3}
            )

    client = client_as(alice)
    add_rows(5)
    client.get(filter_canvas.get_absolute_url())
    with CaptureQueriesContext(connection) as five:
        client.get(filter_canvas.get_absolute_url())
    add_rows(45)
    with django_assert_num_queries(len(five)):
        content = client.get(filter_canvas.get_absolute_url()).content.decode()
    assert len(rows_in_order(content)) == 50


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_filter_prints_without_forms(tmp_path, alice, filter_canvas, job):
    row = services.filter_row_add(canvas=filter_canvas, job=job, actor=alice)
    score(row, alice, "importance", 4)
    path = tmp_path / "filter.pdf"
    path.write_bytes(render_canvas_pdf(filter_canvas))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "onboard new hires" in text and "Overall priority" in text
    assert "Add to the filter" not in text and "Save" not in text


def test_the_history_says_which_job_and_which_score_changed(client_as, alice, filter_canvas, job):
    row = services.filter_row_add(canvas=filter_canvas, job=job, actor=alice)
    score(row, alice, "importance", 4)
    history = url("canvas_history", workspace=filter_canvas.workspace.slug, canvas=filter_canvas.pk)
    content = client_as(alice).get(history).content.decode()
    assert "changed a filter score" in content and "added a job to the filter" in content
    assert "“onboard new hires”" in content and "importance — → 4" in content


def test_a_score_change_redraws_the_table_on_the_next_poll_in_the_sort_chosen(
    client_as, alice, bob, filter_canvas, workspace, django_capture_on_commit_callbacks
):
    rows = [
        services.filter_row_add(
            canvas=filter_canvas,
            job=JobFactory(workspace=workspace, verb=verb, object="it", context=""),
            actor=alice,
            scores={"valuable": valuable},
        )
        for verb, valuable in (("x", 1), ("y", 2))
    ]
    client = client_as(bob)
    client.get(
        url("panel_options", workspace=workspace.slug, canvas=filter_canvas.pk)
        + "?sort=valuable:desc"
    )
    board = client.get(filter_canvas.get_absolute_url()).content.decode()
    poll = re.search(r'data-poll-url="([^"]+)"', board).group(1).replace("&amp;", "&")

    with django_capture_on_commit_callbacks(execute=True):
        score(rows[0], alice, "valuable", 5)
    content = client.get(poll).content.decode()

    assert 'id="panel-jobs" hx-swap-oob="true"' in content
    assert rows_in_order(content) == ["x it", "y it"]
