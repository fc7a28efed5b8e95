"""The metrics dashboard: cards from crafted data, filters, empty states, recompute, progress."""

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.roles import Role
from metrics.models import MetricsRun
from metrics.services.imports import import_file
from metrics.services.recompute import compute_snapshots
from metrics.services.runs import metrics_run_execute, metrics_run_request
from tests.engage.factories import MembershipFactory, WorkspaceFactory
from tests.metrics.test_compute import data  # noqa: F401 - the worked example, Jan–Mar 2026 in `workspace`

ADVOCATE = '<script>alert("x")</script> Ana & Bo'


def feed(workspace, kind, text):
    import_file(workspace=workspace, kind=kind, binary=io.BytesIO(text.strip().encode()))


def feed_recent(workspace):
    """Data of the last days: NPS 10, 9, 9, 0 → +50 (n 4); two events, one digital."""
    day = [timezone.localdate() - dt.timedelta(days=n) for n in range(5)]
    feed(workspace, "customers", "customer_id\nr1\nr2\nr3\nr4")
    feed(
        workspace,
        "surveys",
        f"""customer_id,kind,score,answered_at
r1,nps,10,{day[1]}
r2,nps,9,{day[2]}
r3,nps,9,{day[3]}
r4,nps,0,{day[4]}""",
    )
    feed(
        workspace,
        "events",
        f"""customer_id,event,timestamp,channel
r1,Signed in,{day[1]}T09:00:00Z,web
r2,Called,{day[2]}T09:00:00Z,phone""",
    )
    return workspace


def url(workspace, name="metrics:index", **kwargs):
    return reverse(name, kwargs={"workspace": workspace.slug, **kwargs})


def card(response, slug: str) -> str:
    """The markup of one card, to assert on its own figures."""
    html = response.content.decode()
    start = html.index(f'id="card-{slug}"')
    return html[start : html.index("</article>", start)]


def value(response, slug: str) -> str:
    markup = card(response, slug)
    start = markup.index('class="metric-value')
    return markup[markup.index(">", start) + 1 : markup.index("</p>", start)].strip()


@pytest.fixture
def viewer(member):
    return member(Role.VIEWER)


@pytest.fixture
def editor(member):
    return member(Role.FACILITATOR)  # may EDIT


@pytest.mark.usefixtures("data")
def test_the_cards_show_the_worked_example(client_as, workspace, viewer):
    response = client_as(viewer).get(url(workspace))
    assert response.status_code == 200
    assert value(response, "nps") == "+30"
    nps = card(response, "nps")
    assert "n = 10" in nps and "95 % interval -18 to 78 (Wald)" in nps
    assert "5 promoters · 3 passives · 2 detractors" in nps
    assert value(response, "csat") == "60 %" and "mean 3.80 of 5 · n = 5" in card(response, "csat")
    assert value(response, "ces") == "2.00" and "n = 3" in card(response, "ces")
    # February keeps 2 of 4, March 0 of 3: 2 / 7 kept.
    assert value(response, "retention") == "28.6 %"
    assert "kept 2 of 7" in card(response, "retention") and "churn 71.4 %" in card(
        response, "retention"
    )
    assert '<th scope="row">2026-01</th><td class="num">4</td>' in card(response, "retention")
    # February: Σ daily actives 3 over 28 days, MAU 2 → 5.4 %.
    assert value(response, "stickiness") == "5.4 %"
    assert "WAU/MAU 50 %" in card(response, "stickiness")
    assert value(response, "digital") == "75 %" and "of 4 interaction events" in card(
        response, "digital"
    )
    social = card(response, "social")
    assert value(response, "social") == "+33.3" and "reach 160" in social
    assert social.index("Priya") < social.index("Sam") and "Kim" not in social


def test_clv_defines_its_three_terms(client_as, workspace, viewer):
    feed(
        workspace,
        "purchases",
        f"""customer_id,purchased_at,amount,profit
a,{timezone.localdate() - dt.timedelta(days=200)},100,40
a,{timezone.localdate() - dt.timedelta(days=100)},100,40
b,{timezone.localdate() - dt.timedelta(days=50)},80,""",
    )
    compute_snapshots(workspace)
    clv = card(client_as(viewer).get(url(workspace)), "clv")
    assert "purchases per buying customer per year" in clv
    assert "1 ÷ annual churn rate, in years" in clv and "mean profit of a purchase" in clv
    # (40 + 40 + 80 × 25 %) / 3 purchases = 33.33 profit per purchase.
    assert "<dd>33.33</dd>" in clv and "25 % margin" in clv
    assert "Probabilistic model" in clv


@pytest.mark.usefixtures("data")
def test_a_period_sums_only_its_days_and_compares_with_the_one_before(client_as, workspace, viewer):
    response = client_as(viewer).get(
        url(workspace), {"period": "range", "start": "2026-02-01", "end": "2026-02-28"}
    )
    # February: 9, 7, 0, 6 → 1 promoter, 1 passive, 2 detractors → −25; the 28 days
    # before (4–31 January): four promoters → +100.
    assert value(response, "nps") == "-25"
    assert "-125 points vs the previous period (4 Jan 2026–31 Jan 2026)" in card(response, "nps")
    assert "n = 4" in card(response, "nps")


def test_the_last_days_period_counts_back_from_today(client_as, workspace, viewer):
    feed_recent(workspace)
    compute_snapshots(workspace)
    response = client_as(viewer).get(url(workspace), {"period": "30"})
    assert value(response, "nps") == "+50" and "n = 4" in card(response, "nps")
    assert "No figure for the previous period" in card(response, "nps")
    assert value(response, "digital") == "50 %"


@pytest.mark.usefixtures("data")
def test_a_segment_or_a_persona_slices_the_survey_cards(client_as, workspace, viewer):
    client = client_as(viewer)
    segment = workspace.segments.get(name="Enterprise")
    persona = workspace.personas.get(name="Priya Nair")
    enterprise = client.get(url(workspace), {"segment": segment.pk})
    assert value(enterprise, "nps") == "+40" and "n = 5" in card(enterprise, "nps")
    assert "survey measures for <strong>Enterprise</strong>" in enterprise.content.decode()
    assert value(enterprise, "digital") == "75 %"  # the other measures are for everyone
    priya = client.get(url(workspace), {"persona": persona.pk})
    assert "n = 3" in card(priya, "nps")
    both = client.get(url(workspace), {"segment": segment.pk, "persona": persona.pk})
    assert "not both at once" in both.content.decode() and "n = 10" in card(both, "nps")


@pytest.mark.usefixtures("data")
def test_bad_filters_say_why_and_show_all_time(client_as, workspace, viewer):
    response = client_as(viewer).get(url(workspace), {"period": "range", "start": "not a day"})
    assert "Enter a valid date" in response.content.decode()
    assert "n = 10" in card(response, "nps")


@pytest.mark.usefixtures("data")
def test_htmx_gets_only_the_cards_and_charts(client_as, workspace, viewer):
    response = client_as(viewer).get(url(workspace), {"period": "all"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="metrics-dashboard"') and "<html" not in html
    assert 'hx-get="/w/' in html and "period=all" in html  # reloads itself after a recompute
    assert "HX-Request" in response["Vary"]
    assert f'href="{url(workspace, "metrics:dashboard_pdf")}?period=all"' in html  # follows too


@pytest.mark.usefixtures("data")
def test_the_page_works_without_javascript(client_as, workspace, editor):
    html = client_as(editor).get(url(workspace)).content.decode()
    assert f'<form class="metrics-filters panel" method="get" action="{url(workspace)}"' in html
    assert f'method="post" action="{url(workspace, "metrics:recompute")}"' in html
    assert 'hx-push-url="true"' in html


@pytest.mark.usefixtures("data")
def test_trend_charts_are_svg_with_a_table(client_as, workspace, viewer):
    html = client_as(viewer).get(url(workspace)).content.decode()
    for slug in ("nps", "csat", "retention", "digital", "sentiment"):
        assert f'aria-labelledby="trend-{slug}-title"' in html
    assert 'role="img"' in html and "<polyline" in html and "style=" not in html
    # NPS by month: January +100, February −25, March 0 (two passives).
    assert '<td>Jan 2026</td><td class="num">100.0</td>' in html
    assert '<td>Feb 2026</td><td class="num">-25.0</td>' in html
    assert '<td>Dec 2025</td><td class="num">—</td>' in html  # no answers is not 0


def test_an_empty_workspace_explains_how_data_comes_in(client_as, workspace, viewer):
    html = client_as(viewer).get(url(workspace)).content.decode()
    assert "No data in this workspace yet" in html
    assert f"manage.py import_data {workspace.slug}" in html and "write key" in html
    assert "CSV" in html and "metric-value" not in html


def test_data_not_yet_computed_says_so(client_as, workspace, viewer):
    feed_recent(workspace)
    html = client_as(viewer).get(url(workspace)).content.decode()
    assert "Data is in, not computed yet" in html and "Not computed yet" in html


def test_measures_without_data_are_explained_never_zero(client_as, workspace, viewer):
    feed(workspace, "customers", "customer_id\nq1")
    feed(workspace, "surveys", "customer_id,kind,score,answered_at\nq1,nps,8,2026-03-01")
    compute_snapshots(workspace)
    response = client_as(viewer).get(url(workspace))
    assert value(response, "nps") == "0"  # one passive: an NPS of 0 is a real value…
    for slug, why in (
        ("csat", "No CSAT answers"),
        ("ces", "No effort answers"),
        ("digital", "No interaction events"),
        ("social", "No social mentions"),
        ("stickiness", "No interaction events"),
        ("clv", "No purchases"),
    ):
        assert value(response, slug) == "—", slug  # …but no data is a dash, not 0
        assert why in card(response, slug)


def test_advocate_names_are_escaped(client_as, workspace, viewer):
    feed(
        workspace,
        "mentions",
        f"""platform,posted_at,sentiment,reach,author
X,2026-03-01,positive,10,"{ADVOCATE.replace('"', '""')}\"""",
    )
    compute_snapshots(workspace)
    html = client_as(viewer).get(url(workspace)).content.decode()
    assert "<script>alert" not in html
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Ana &amp; Bo"
    assert escaped in card_html(html, "social")
    svg = card_html(html, "social").split('aria-labelledby="bars-advocates-title"')[1]
    assert "&lt;script&gt;" in svg.split("</svg>")[0]


def card_html(html, slug):
    start = html.index(f'id="card-{slug}"')
    return html[start : html.index("</article>", start)]


QUERIES = 50  # session and membership, ~10 for the cards, one a month for two trends …
FEBRUARY_MARCH = {"period": "range", "start": "2026-02-01", "end": "2026-03-31"}


@pytest.mark.usefixtures("data")
def test_the_query_count_does_not_grow_with_the_data(
    client_as, workspace, viewer, django_assert_max_num_queries
):
    client = client_as(viewer)
    client.get(url(workspace))
    with django_assert_max_num_queries(QUERIES) as before:
        client.get(url(workspace), FEBRUARY_MARCH)
    start = dt.datetime(2026, 2, 1, 0, 30, tzinfo=dt.UTC)  # 900 more answers and events
    moments = [(start + dt.timedelta(hours=n)).isoformat() for n in range(900)]
    rows = "\n".join(f"c{n % 5 + 1},nps,{n % 11},{at}" for n, at in enumerate(moments))
    feed(workspace, "surveys", "customer_id,kind,score,answered_at\n" + rows)
    events = "\n".join(f"c{n % 5 + 1},Viewed,{at},web" for n, at in enumerate(moments))
    feed(workspace, "events", "customer_id,event,timestamp,channel\n" + events)
    compute_snapshots(workspace)
    with django_assert_max_num_queries(QUERIES) as after:
        response = client.get(url(workspace), FEBRUARY_MARCH)
    assert "n = 906" in card(response, "nps")  # the new answers are counted…
    assert len(after.captured_queries) == len(before.captured_queries)  # …at the same cost
    with django_assert_max_num_queries(QUERIES):
        client.get(url(workspace), {"segment": workspace.segments.get(name="Enterprise").pk})


# --- Recompute now and its progress ---------------------------------------------------


def test_recompute_without_javascript_requests_a_run_and_redirects(client_as, workspace, editor):
    client = client_as(editor)
    response = client.post(url(workspace, "metrics:recompute"), {"query": "period=90&x=1"})
    assert response.status_code == 302 and response.url == url(workspace) + "?period=90"
    run = MetricsRun.objects.get(workspace=workspace)
    assert run.status == MetricsRun.Status.QUEUED and run.requested_by == editor
    html = client.get(response.url).content.decode()
    assert "Recomputing the metrics." in html
    assert 'aria-label="Metrics computation"' in html and "Waiting for a worker" in html
    assert url(workspace, "metrics:recompute") not in html  # busy: no second run offered


def test_recompute_with_htmx_returns_the_progress_region(client_as, workspace, editor):
    response = client_as(editor).post(url(workspace, "metrics:recompute"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    run = MetricsRun.objects.get(workspace=workspace)
    assert html.lstrip().startswith('<section id="metrics-run"')
    assert f'hx-get="{url(workspace, "metrics:run_progress", run=run.pk)}"' in html
    assert 'hx-trigger="every 1s"' in html and "<progress" in html


def test_a_busy_workspace_says_so_instead_of_starting_a_second_run(client_as, workspace, editor):
    metrics_run_request(workspace=workspace)
    client = client_as(editor)
    htmx = client.post(url(workspace, "metrics:recompute"), HTTP_HX_REQUEST="true")
    assert (
        "being computed already" in htmx.content.decode() and "<progress" in htmx.content.decode()
    )
    plain = client.post(url(workspace, "metrics:recompute"), follow=True)
    assert "being computed already" in plain.content.decode()
    assert MetricsRun.objects.filter(workspace=workspace).count() == 1


def test_a_viewer_cannot_recompute(client_as, workspace, viewer):
    client = client_as(viewer)
    assert client.post(url(workspace, "metrics:recompute")).status_code == 403
    assert not MetricsRun.objects.exists()
    assert url(workspace, "metrics:recompute") not in client.get(url(workspace)).content.decode()


def test_the_progress_endpoint_follows_a_run_to_the_end(client_as, workspace, viewer):
    feed_recent(workspace)
    run = metrics_run_request(workspace=workspace)
    client = client_as(viewer)
    progress = url(workspace, "metrics:run_progress", run=run.pk)
    busy = client.get(progress, HTTP_HX_REQUEST="true")
    assert "<progress" in busy.content.decode() and "HX-Trigger" not in busy
    metrics_run_execute(run)
    done = client.get(progress, HTTP_HX_REQUEST="true")
    html = done.content.decode()
    assert "<progress" not in html and "Last computed at" in html and "hx-get" not in html
    assert "metrics-computed" in json.loads(done["HX-Trigger"])  # the cards reload on it
    assert client.get(progress).status_code == 302  # without htmx: the dashboard


def test_the_progress_of_another_workspaces_run_is_404(client_as, workspace, viewer):
    other = metrics_run_request(workspace=WorkspaceFactory())
    response = client_as(viewer).get(
        url(workspace, "metrics:run_progress", run=other.pk), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 404


def test_a_failed_run_shows_its_error(client_as, workspace, editor):
    MetricsRun.objects.create(workspace=workspace, status="failed", error="Disk full")
    html = client_as(editor).get(url(workspace)).content.decode()
    assert "The last computation failed: Disk full" in html and "Recompute now" in html


@pytest.mark.usefixtures("data")
def test_members_of_other_workspaces_see_nothing(client_as, workspace):
    stranger = MembershipFactory(role=Role.OWNER).user
    assert client_as(stranger).get(url(workspace)).status_code == 404
