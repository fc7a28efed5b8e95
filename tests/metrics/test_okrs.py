"""Objectives and key results: measures, readings, progress on the page, edits, PDF and pack."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from engage.roles import Role
from metrics.models import KeyResult, Measure, MeasureReading, Objective
from metrics.services import okrs as services
from metrics.services.recompute import compute_snapshots
from metrics.views.okrs import pack_section_html
from tests.engage.factories import MembershipFactory, PersonaFactory, SegmentFactory
from tests.metrics.test_dashboard import feed, feed_recent

TODAY = timezone.localdate()
NEXT_YEAR = TODAY + dt.timedelta(days=365)


def url(workspace, name="metrics:okrs", **kwargs):
    return reverse(name, kwargs={"workspace": workspace.slug, **kwargs})


@pytest.fixture
def recent(workspace):
    """NPS +50 from 4 answers of the last days, computed."""
    feed_recent(workspace)
    compute_snapshots(workspace)
    return workspace


@pytest.fixture
def goal(recent, owner):
    return services.objective_create(
        workspace=recent, actor=owner, title="New customers feel at home", owner=owner
    )


def nps_result(goal, **fields):
    measure = services.measure_for(workspace=goal.workspace, metric="nps")
    values = {"title": "Onboarding NPS up", "baseline": 20.0, "target": 80.0, "due": NEXT_YEAR}
    return services.key_result_create(objective=goal, measure=measure, **(values | fields))


# --- Measures and readings ---------------------------------------------------------------


def test_a_measure_reads_what_the_dashboard_shows_for_the_same_filters(recent):
    measure = services.measure_for(workspace=recent, metric="nps", window_days=30)
    reading = measure.readings.get(day=TODAY)
    assert (reading.value, reading.n) == (50.0, 4)
    digital = services.measure_for(workspace=recent, metric="digital", window_days=30)
    assert digital.readings.get(day=TODAY).value == pytest.approx(50.0)  # web of web + phone


def test_one_measure_per_metric_and_filters(recent):
    first = services.measure_for(workspace=recent, metric="nps")
    assert services.measure_for(workspace=recent, metric="nps") == first
    assert services.measure_for(workspace=recent, metric="nps", window_days=30) != first
    assert Measure.objects.filter(workspace=recent).count() == 2


def test_a_new_measure_reads_the_ends_of_the_last_twelve_months(recent):
    measure = services.measure_for(workspace=recent, metric="nps", window_days=0)
    days = list(measure.readings.values_list("day", flat=True))
    assert len(days) == 13 and days[-1] == TODAY
    month_ends = days[:-1]
    assert all((day + dt.timedelta(days=1)).day == 1 for day in month_ends)
    assert month_ends[-1] < TODAY.replace(day=1)
    # The answers are of the last days: no month end before them has a value.
    assert [r.value for r in measure.readings.filter(day__in=month_ends[:-1])] == [None] * 11


def test_survey_measures_narrow_to_a_slice_and_others_refuse_to(recent, workspace):
    segment = SegmentFactory(workspace=workspace, name="Enterprise")
    measure = services.measure_for(
        workspace=recent, metric="csat", dimension="segment", key=segment.pk
    )
    assert (measure.dimension, measure.key) == ("segment", str(segment.pk))
    assert measure.readings.get(day=TODAY).value is None  # nobody of that segment answered
    with pytest.raises(ValidationError, match="measured for everyone"):
        services.measure_for(workspace=recent, metric="retention", dimension="segment", key=1)
    foreign = SegmentFactory()
    with pytest.raises(ValidationError, match="not in this workspace"):
        services.measure_for(workspace=recent, metric="nps", dimension="segment", key=foreign.pk)
    with pytest.raises(ValidationError, match="no metric"):
        services.measure_for(workspace=recent, metric="happiness")


def test_each_recompute_records_the_day_s_reading(recent):
    measure = services.measure_for(workspace=recent, metric="nps", window_days=30)
    feed(recent, "surveys", f"customer_id,kind,score,answered_at\nr9,nps,0,{TODAY}")
    assert measure.readings.get(day=TODAY).value == 50.0  # not computed yet
    compute_snapshots(recent)
    reading = measure.readings.get(day=TODAY)
    assert (reading.value, reading.n) == (20.0, 5)  # 3 promoters, 2 detractors of 5
    assert MeasureReading.objects.filter(measure=measure, day=TODAY).count() == 1


# --- Objectives and key results ----------------------------------------------------------


def test_a_key_result_without_a_baseline_starts_from_today_s_value(goal):
    result = nps_result(goal, baseline=None, target=70)
    assert (result.baseline, result.start) == (50.0, TODAY)


def test_a_key_result_needs_a_baseline_when_nothing_is_measured_yet(workspace, owner):
    goal = services.objective_create(workspace=workspace, actor=owner, title="Loved")
    with pytest.raises(ValidationError, match="give the baseline"):
        nps_result(goal, baseline=None)
    assert not KeyResult.objects.exists()


def test_a_key_result_must_move_and_end_after_it_starts(goal):
    with pytest.raises(ValidationError, match="differ"):
        nps_result(goal, baseline=40, target=40)
    with pytest.raises(ValidationError, match="after the start"):
        nps_result(goal, due=TODAY)
    assert not KeyResult.objects.exists()


def test_an_objective_s_owner_must_be_a_member(recent, owner):
    stranger = MembershipFactory().user
    with pytest.raises(ValidationError, match="member"):
        services.objective_create(workspace=recent, actor=owner, title="X", owner=stranger)


def test_a_change_made_to_an_older_version_is_refused_and_says_what_it_reads_now(goal):
    services.objective_change(objective=goal, expected_version=1, title="Feel at home fast")
    with pytest.raises(ValidationError, match="Feel at home fast"):
        services.objective_change(objective=goal, expected_version=1, title="Mine")
    goal.refresh_from_db()
    assert (goal.title, goal.version) == ("Feel at home fast", 2)


# --- The page ------------------------------------------------------------------------------


def test_the_page_shows_value_progress_and_status(client_as, goal, owner):
    nps_result(goal)  # +20 → +80, now +50: half way, a few days into a year → on track
    page = client_as(owner).get(url(goal.workspace)).content.decode()
    result = page[page.index('class="okr-kr"') :]
    assert "+50" in result and "n = 4" in result
    assert "+20" in result and "+80" in result
    assert "50 %" in result and "okr-status-on_track" in result
    assert "NPS · last 90 days" in result


def test_a_key_result_behind_the_time_is_at_risk_or_off_track(client_as, goal, owner):
    nps_result(goal, start=TODAY - dt.timedelta(days=300), due=TODAY + dt.timedelta(days=100))
    page = client_as(owner).get(url(goal.workspace)).content.decode()
    assert "okr-status-at_risk" in page  # 50 % of the way after 75 % of the time
    KeyResult.objects.update(
        start=TODAY - dt.timedelta(days=350), due=TODAY + dt.timedelta(days=50)
    )
    page = client_as(owner).get(url(goal.workspace)).content.decode()
    assert "okr-status-off_track" in page and "Off track" in page  # 50 % after 87.5 %


def test_adding_an_objective_and_a_key_result_through_the_page(client_as, recent, owner):
    client = client_as(owner)
    response = client.post(
        url(recent, "metrics:objective_add"), {"title": "Loved by admins", "owner": owner.pk}
    )
    assert response.status_code == 302
    goal = Objective.objects.get(workspace=recent)
    response = client.post(
        url(recent, "metrics:key_result_add", objective=goal.pk),
        {
            "title": "NPS to +70",
            "metric": "nps",
            "narrow_to": "",
            "window_days": "30",
            "baseline": "",
            "target": "70",
            "start": TODAY.isoformat(),
            "due": NEXT_YEAR.isoformat(),
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and 'id="okr-board"' in response.content.decode()
    assert "<html" not in response.content.decode()  # the board region only
    result = goal.key_results.get()
    assert (result.baseline, result.target, result.measure.window_days) == (50.0, 70.0, 30)


def test_a_refused_key_result_keeps_what_was_typed_and_says_why(client_as, goal, owner):
    response = client_as(owner).post(
        url(goal.workspace, "metrics:key_result_add", objective=goal.pk),
        {
            "title": "Retention for our enterprise customers",
            "metric": "retention",
            "narrow_to": f"persona:{PersonaFactory(workspace=goal.workspace).pk}",
            "window_days": "90",
            "target": "95",
            "start": TODAY.isoformat(),
            "due": NEXT_YEAR.isoformat(),
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "only survey measures narrow" in html
    assert 'value="Retention for our enterprise customers"' in html
    assert not KeyResult.objects.exists()


def test_a_stale_edit_of_a_key_result_is_refused_on_the_page(client_as, goal, owner):
    result = nps_result(goal)
    fields = {
        "metric": "nps",
        "window_days": "90",
        "baseline": "20",
        "target": "80",
        "start": TODAY.isoformat(),
        "due": NEXT_YEAR.isoformat(),
        "version": "1",
    }
    client = client_as(owner)
    change = url(goal.workspace, "metrics:key_result_change", key_result=result.pk)
    assert client.post(change, fields | {"title": "First"}).status_code == 302
    response = client.post(change, fields | {"title": "Second"})
    assert "someone changed this key result" in response.content.decode()
    result.refresh_from_db()
    assert result.title == "First"


def test_removing_an_objective_removes_its_key_results_not_the_measure(client_as, goal, owner):
    nps_result(goal)
    client_as(owner).post(url(goal.workspace, "metrics:objective_remove", objective=goal.pk))
    assert not Objective.objects.exists() and not KeyResult.objects.exists()
    assert Measure.objects.filter(workspace=goal.workspace).exists()


def test_viewers_read_the_page_without_forms_and_cannot_post(client, goal, workspace):
    viewer = MembershipFactory(workspace=workspace, role=Role.VIEWER).user
    client.force_login(viewer)
    page = client.get(url(workspace)).content.decode()
    assert goal.title in page and "Add an objective" not in page
    assert client.post(url(workspace, "metrics:objective_add"), {"title": "X"}).status_code == 403


def test_user_text_is_escaped(client_as, recent, owner):
    goal = services.objective_create(
        workspace=recent, actor=owner, title='<script>alert("x")</script>', description="<b>why</b>"
    )
    nps_result(goal, title="<img src=x onerror=alert(1)>")
    page = client_as(owner).get(url(recent)).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page and "<b>why</b>" not in page


def test_the_page_s_queries_do_not_grow_with_objectives_and_key_results(
    client_as, goal, owner, django_assert_max_num_queries
):
    segment = SegmentFactory(workspace=goal.workspace)

    def csat_result(objective, n):
        services.key_result_create(
            objective=objective,
            title=f"CSAT {n}",
            measure=services.measure_for(
                workspace=goal.workspace, metric="csat", dimension="segment", key=segment.pk
            ),
            baseline=10,
            target=90,
            due=NEXT_YEAR,
        )

    nps_result(goal)
    csat_result(goal, 0)
    client = client_as(owner)
    with django_assert_max_num_queries(40) as few:
        client.get(url(goal.workspace))
    for n in range(4):
        more = services.objective_create(workspace=goal.workspace, actor=owner, title=f"O{n}")
        nps_result(more, title=f"K{n}")
        csat_result(more, n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url(goal.workspace))


# --- PDF and pack ----------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_okrs_print_as_a_pdf(client_as, goal, owner):
    nps_result(goal, title="NPS <up> & away")
    response = client_as(owner).get(url(goal.workspace, "metrics:okrs_pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "New customers feel at home" in text and "NPS <up> & away" in text
    assert "+50" in text and "On track" in text


def test_the_pack_section_lists_the_okrs(goal):
    nps_result(goal)
    html = pack_section_html(goal.workspace)
    assert "New customers feel at home" in html and "Onboarding NPS up" in html


def test_a_target_outside_the_metric_s_scale_is_refused(goal):
    with pytest.raises(ValidationError, match="runs from 0 % to 100 %: the target 104 %"):
        services.key_result_create(
            objective=goal,
            title="More digital than everything",
            measure=services.measure_for(workspace=goal.workspace, metric="digital"),
            baseline=94,
            target=104,
            due=NEXT_YEAR,
        )
    with pytest.raises(ValidationError, match="NPS runs from -100 to \\+100"):
        nps_result(goal, baseline=-120)
