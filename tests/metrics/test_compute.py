"""Snapshots computed from rows, read back as metrics: worked examples with known answers."""

import calendar
import datetime as dt
import io
import json
import random
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command

from metrics.models import (
    SCORE_RANGES,
    Customer,
    CustomerValue,
    InteractionEvent,
    MetricsRun,
    Purchase,
    Snapshot,
    SurveyResponse,
)
from metrics.selectors import current_metrics
from metrics.services.imports import import_file
from metrics.services.recompute import STEPS, compute_snapshots
from metrics.services.runs import MetricsBusy, metrics_run, metrics_run_request
from tests.engage.factories import PersonaFactory, SegmentFactory
from tests.journeys.factories import TouchpointFactory


def feed(workspace, kind, text):
    import_file(workspace=workspace, kind=kind, binary=io.BytesIO(text.strip().encode()))


@pytest.fixture
def data(workspace):
    SegmentFactory(workspace=workspace, name="Enterprise")
    PersonaFactory(workspace=workspace, name="Priya Nair")
    feed(
        workspace,
        "customers",
        """customer_id,segment,persona
c1,Enterprise,Priya Nair
c2,Enterprise,
c3,,
c4,,
c5,,""",
    )
    # NPS: 5 promoters, 3 passives, 2 detractors → +30. CSAT: 5,4,3,2,5 → 60 %, mean 3.8.
    feed(
        workspace,
        "surveys",
        """customer_id,kind,score,answered_at
c1,nps,9,2026-01-10
c2,nps,10,2026-01-10
c3,nps,10,2026-01-11
c4,nps,9,2026-01-12
c1,nps,9,2026-02-10
c2,nps,7,2026-02-10
c3,nps,8,2026-03-11
c4,nps,8,2026-03-12
c5,nps,0,2026-02-12
c1,nps,6,2026-02-13
c1,csat,5,2026-01-10
c2,csat,4,2026-01-10
c3,csat,3,2026-01-10
c4,csat,2,2026-01-10
c5,csat,5,2026-02-10
c1,ces,1,2026-01-10
c2,ces,2,2026-01-10
c3,ces,3,2026-01-10""",
    )
    # Active (answers or events): January c1–c4; February c1, c2 and the new c5; March c3, c4
    # back after a gap → February keeps 2 of 4, March 0 of 3.
    feed(
        workspace,
        "events",
        """customer_id,event,timestamp,channel
c1,Signed in,2026-02-01T09:00:00Z,web
c1,Signed in,2026-02-02T09:00:00Z,web
c2,Signed in,2026-02-01T10:00:00Z,web
c2,Called support,2026-02-01T11:00:00Z,phone""",
    )
    feed(
        workspace,
        "mentions",
        """platform,posted_at,sentiment,reach,author
LinkedIn,2026-02-01,positive,100,Priya
LinkedIn,2026-02-02,positive,50,Sam
X,2026-02-03,negative,10,Kim""",
    )
    compute_snapshots(workspace)
    return workspace


def test_survey_measures_from_snapshots(data):
    values = current_metrics(data)
    assert values["nps"] | {"ci95": None} == {
        "score": 30.0,
        "promoters": 5,
        "passives": 3,
        "detractors": 2,
        "n": 10,
        "ci95": None,
        "interval": "wald",
    }
    low, high = values["nps"]["ci95"]
    # Wald: sd = sqrt(p + d − (p − d)²) = sqrt(.5 + .2 − .09) = 0.781; ± 1.96 × 0.781 / √10
    assert low == pytest.approx(30 - 48.41, abs=0.01) and high == pytest.approx(
        30 + 48.41, abs=0.01
    )
    assert values["csat"] == {"percent": 60.0, "mean": 3.8, "n": 5}
    assert values["ces"] == {"mean": 2.0, "n": 3}


def test_a_date_range_sums_only_its_days(data):
    january = current_metrics(data, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))
    assert january["nps"]["score"] == 100.0 and january["nps"]["n"] == 4
    assert january["csat"]["n"] == 4


def test_a_segment_or_persona_slices_the_survey_measures(data):
    segment = data.segments.get(name="Enterprise").pk
    persona = data.personas.get(name="Priya Nair").pk
    enterprise = current_metrics(data, segment=segment)
    # c1: 9, 9, 6 and c2: 10, 7 → 3 promoters, 1 passive, 1 detractor → +40
    assert (enterprise["nps"]["score"], enterprise["nps"]["n"]) == (40.0, 5)
    assert current_metrics(data, persona=persona)["nps"]["n"] == 3


def test_retention_cohorts_and_stickiness(data):
    values = current_metrics(data)
    february = values["retention"]["monthly"][1]
    assert february | {"month": None} == {
        "month": None,
        "complete": True,
        "at_start": 4,
        "at_end": 3,
        "new": 1,
        "rate": 0.5,
    }
    march = values["retention"]["monthly"][2]
    assert (march["at_start"], march["at_end"], march["new"], march["rate"]) == (3, 2, 2, 0.0)
    assert values["retention"]["rate"] == pytest.approx(2 / 7)
    assert values["retention"]["churn"] == pytest.approx(5 / 7)
    assert values["retention"]["cohorts"] == [
        {"cohort": "2026-01-01", "size": 4, "retention": [1.0, 0.5, 0.5]},
        {"cohort": "2026-02-01", "size": 1, "retention": [1.0, 0.0, None]},
    ]
    sticky = values["stickiness"]
    # February: c1 on two days, c2 on one → Σ daily actives 3 over 28 days, MAU 2.
    assert sticky["month"] == "2026-02-01" and sticky["mau"] == 2
    assert sticky["dau_mau"] == pytest.approx(3 / 28 / 2)
    assert sticky["active_days"]["median"] == 1.5


def test_digital_and_social(data):
    values = current_metrics(data)
    assert values["digital"]["digital_percent"] == 75.0 and values["digital"]["events"] == 4
    social = values["social"]
    assert social["mentions"] == 3 and social["net_sentiment"] == pytest.approx(100 / 3)
    assert social["reach"] == 160
    assert [a["author"] for a in social["top_advocates"]] == ["Priya", "Sam"]


def test_btabok_clv_from_the_trailing_year(workspace):
    # Two buyers, three purchases, one without profit (25 % default margin) in the last year.
    feed(
        workspace,
        "purchases",
        """customer_id,purchased_at,amount,profit
a,2026-06-01,100,40
a,2026-09-01,100,40
b,2026-07-01,80,""",
    )
    compute_snapshots(workspace)
    clv = current_metrics(workspace)["clv"]["btabok"]
    assert clv["purchase_frequency"] == pytest.approx(3 / 2 / (365 / 365.25))
    assert clv["profit_per_purchase"] == pytest.approx((40 + 40 + 80 * 0.25) / 3)


def simulated_purchases(customers: int, seed: int = 7) -> str:
    """Buyers who purchase at their own rate and may drop out after any purchase (BG/NBD's story)."""
    rng = random.Random(seed)
    start, rows = dt.date(2025, 12, 1), ["customer_id,purchased_at,amount"]
    for customer in range(customers):
        rate, drop = rng.gammavariate(2, 1 / 40), rng.betavariate(1, 4)
        day, spend = rng.randrange(0, 150), rng.gammavariate(6, 6)
        while day < 360:
            rows.append(
                f"k{customer},{start + dt.timedelta(days=day)},{spend * rng.uniform(0.8, 1.2):.2f}"
            )
            if rng.random() < drop:
                break
            day += max(1, round(rng.expovariate(rate)))
    return "\n".join(rows)


def test_the_probabilistic_model_gives_each_buyer_a_value(workspace):
    feed(workspace, "purchases", simulated_purchases(300))
    compute_snapshots(workspace)
    model = current_metrics(workspace)["clv"]["model"]
    assert model["customers"] == 300 and "error" not in model, model
    assert CustomerValue.objects.count() == 300
    values = {v.customer.external_id: v for v in CustomerValue.objects.select_related("customer")}

    def mean_expected(selected):
        return sum(v.expected_purchases_12m for v in selected) / len(selected)

    regulars = [v for v in values.values() if v.purchases >= 4]
    one_off = [v for v in values.values() if v.purchases == 1]
    assert regulars and one_off and mean_expected(regulars) > mean_expected(one_off)
    assert all(0 < v.probability_alive <= 1 and v.clv_12m >= 0 for v in values.values())
    assert model["bg_nbd"]["r"] > 0 and model["gamma_gamma"]["q"] > 1


def test_buyers_too_alike_for_the_model_leave_the_other_measures_computed(workspace):
    # Every buyer buys five times, 37 days apart: the BG/NBD fit runs to the edge of its
    # parameters (no spread between buyers) and its estimates are not finite numbers.
    rng, today = random.Random(1), dt.date.today()
    rows = ["customer_id,purchased_at,amount"]
    for customer in range(60):
        first = today - dt.timedelta(days=148 + rng.randint(0, 40))
        spend = rng.gammavariate(6, 6)
        for purchase in range(5):
            day = first + dt.timedelta(days=37 * purchase)
            rows.append(f"b{customer},{day}T00:00:00Z,{spend * rng.uniform(0.5, 1.5):.2f}")
    feed(workspace, "purchases", "\n".join(rows))
    compute_snapshots(workspace)
    values = current_metrics(workspace)
    assert values["clv"]["model"] == {
        "customers": 60,
        "error": "The model has no finite estimates for these buyers.",
    }
    assert values["clv"]["btabok"]["purchases"] == 300 and values["retention"]["months"] >= 6
    assert not CustomerValue.objects.filter(workspace=workspace).exists()


def test_an_empty_workspace_has_null_values_never_zero(workspace):
    compute_snapshots(workspace)
    values = current_metrics(workspace)
    assert set(values) == {
        "nps",
        "csat",
        "ces",
        "clv",
        "retention",
        "stickiness",
        "digital",
        "social",
    }
    assert values["nps"]["score"] is None and values["nps"]["ci95"] is None
    assert values["csat"]["percent"] is None and values["ces"]["mean"] is None
    assert values["retention"]["rate"] is None and values["stickiness"]["dau_mau"] is None
    assert (
        values["digital"]["digital_percent"] is None and values["social"]["net_sentiment"] is None
    )
    assert values["clv"]["btabok"]["value"] is None


def test_recomputing_replaces_the_snapshots(data):
    first = Snapshot.objects.filter(workspace=data).count()
    compute_snapshots(data)
    assert Snapshot.objects.filter(workspace=data).count() == first


def test_one_workspace_computes_once_at_a_time(workspace):
    metrics_run_request(workspace=workspace)
    with pytest.raises(MetricsBusy):
        metrics_run_request(workspace=workspace)
    with pytest.raises(CommandError, match="being computed already"):
        call_command("compute_metrics", workspace.slug)


def test_a_run_records_its_progress_and_time(workspace):
    run = metrics_run(workspace=workspace)
    assert run.status == MetricsRun.Status.DONE and run.steps_done == run.steps_total == len(STEPS)
    assert run.seconds is not None


def test_the_commands(data, capsys):
    call_command("compute_metrics", data.slug)
    assert "Computed the metrics" in capsys.readouterr().out
    call_command("show_metrics", data.slug, "--json", "--to", "2026-01-31")
    values = json.loads(capsys.readouterr().out)
    assert values["nps"]["score"] == 100.0
    call_command("show_metrics", data.slug, "--json", "--segment", "enterprise")
    assert json.loads(capsys.readouterr().out)["nps"]["n"] == 5
    with pytest.raises(CommandError, match="No segment"):
        call_command("show_metrics", data.slug, "--segment", "Nowhere")
    with pytest.raises(CommandError, match="not a date"):
        call_command("show_metrics", data.slug, "--from", "01/02/2026")


def test_the_month_still_running_is_listed_but_not_rated(workspace):
    today = dt.date.today()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    before = (last_month - dt.timedelta(days=1)).replace(day=1)
    feed(
        workspace,
        "events",
        f"""customer_id,event,timestamp,channel
a,Signed in,{before}T09:00:00Z,web
b,Signed in,{before}T09:00:00Z,web
a,Signed in,{last_month}T09:00:00Z,web
b,Signed in,{last_month}T09:00:00Z,web
a,Signed in,{this_month}T09:00:00Z,web""",
    )
    compute_snapshots(workspace)
    values = current_metrics(workspace)
    running = values["retention"]["monthly"][-1]
    assert running["month"] == this_month.isoformat() and running["complete"] is False
    assert running["rate"] is None  # b has not come back yet: not lost either
    assert values["retention"]["rate"] == 1.0  # last month kept both
    assert values["stickiness"]["month"] == last_month.isoformat()


# --- Snapshots against a count from the rows --------------------------------------------


@pytest.fixture(params=["sliced", "unsliced"])
def varied(workspace, request):
    """Rows that reach every corner the SQL must get right: customers with and without a
    segment or persona (or none with one), active in some months and not others; answers with
    and without a touchpoint or channel; anonymous events and events without a channel,
    several on a day; ISO weeks across a month end and a year end; times close to midnight."""
    rng = random.Random(11)
    sliced = request.param == "sliced"
    segments = [SegmentFactory(workspace=workspace) for _ in range(2 if sliced else 0)]
    personas = [PersonaFactory(workspace=workspace) for _ in range(2 if sliced else 0)]
    touchpoints = TouchpointFactory.create_batch(2, stage__journey__canvas__workspace=workspace)
    customers = Customer.objects.bulk_create(
        Customer(
            workspace=workspace,
            external_id=f"v{n}",
            segment=rng.choice([None, *segments]),
            persona=rng.choice([None, *personas]),
            created_at=dt.datetime(2025, 11, 1, tzinfo=dt.UTC),
        )
        for n in range(30)
    )
    months = {c.pk: rng.sample(MONTHS, rng.randint(1, 4)) for c in customers}

    def moment(customer):
        year, month = rng.choice(months[customer.pk])
        day = rng.randint(1, calendar.monthrange(year, month)[1])
        second = rng.choice([0, 1, 43200, 86399])
        return dt.datetime(year, month, day, tzinfo=dt.UTC) + dt.timedelta(seconds=second)

    def answer():
        customer, (kind, (low, high)) = rng.choice(customers), rng.choice(SCORES)
        return SurveyResponse(
            workspace=workspace,
            customer=customer,
            kind=kind,
            score=rng.randint(low, high),
            answered_at=moment(customer),
            touchpoint=rng.choice([None, *touchpoints]),
            channel=rng.choice(["", "web", "email"]),
        )

    def event(n):
        customer = rng.choice([None, *customers])
        return InteractionEvent(
            workspace=workspace,
            customer=customer,
            anonymous_id="" if customer else f"anon{n % 7}",
            event="Signed in",
            channel=rng.choice(["", "web", "phone"]),
            timestamp=moment(customer or rng.choice(customers)),
            message_id=f"e{n}",
        )

    SurveyResponse.objects.bulk_create((answer() for _ in range(150)), ignore_conflicts=True)
    InteractionEvent.objects.bulk_create(event(n) for n in range(900))
    Purchase.objects.bulk_create(
        Purchase(workspace=workspace, customer=c, purchased_at=moment(c), amount=10 + n)
        for n, c in enumerate(rng.choices(customers, k=20))
    )
    compute_snapshots(workspace)
    return workspace


MONTHS = [(2025, 11), (2025, 12), (2026, 1), (2026, 2), (2026, 3)]
SCORES = list(SCORE_RANGES.items())
COUNTED = ("surveys", "events", "activity", "retention", "cohort")


def counted_from_rows(workspace) -> dict:
    """The snapshots of COUNTED, counted one row at a time in Python."""
    expected, days, weeks, months = {}, defaultdict(set), defaultdict(set), defaultdict(set)
    histograms = defaultdict(lambda: defaultdict(lambda: [0] * 11))
    for (
        customer,
        segment,
        persona,
        touchpoint,
        channel,
        kind,
        score,
        at,
    ) in SurveyResponse.objects.filter(workspace=workspace).values_list(
        "customer",
        "customer__segment",
        "customer__persona",
        "touchpoint",
        "channel",
        "kind",
        "score",
        "answered_at",
    ):
        for dimension, key in (
            ("", ""),
            ("segment", segment),
            ("persona", persona),
            ("touchpoint", touchpoint),
            ("channel", channel),
        ):
            if not dimension or key not in (None, ""):
                histograms[(at.date(), dimension, str(key))][kind][score] += 1
        months[customer].add(at.date().replace(day=1))
    for (day, dimension, key), data in histograms.items():
        expected[("surveys", "day", day, dimension, key)] = dict(data)
    events = Counter()
    for customer, channel, at in InteractionEvent.objects.filter(workspace=workspace).values_list(
        "customer", "channel", "timestamp"
    ):
        day = at.date()
        events[(day, channel or "unknown")] += 1
        events[(day, "")] += 1
        if customer:
            days[day].add(customer)
            weeks[day - dt.timedelta(days=day.weekday())].add(customer)
            months[customer].add(day.replace(day=1))
    for (day, channel), count in events.items():
        dimension = "channel" if channel else ""
        data = {"events": count} | ({} if channel else {"active": len(days[day])})
        expected[("events", "day", day, dimension, channel)] = data
    for week, customers in weeks.items():
        expected[("activity", "week", week, "", "")] = {"active": len(customers)}
    active_days = defaultdict(Counter)
    for day, customers in days.items():
        for customer in customers:
            active_days[day.replace(day=1)][customer] += 1
    for month, per_customer in active_days.items():
        expected[("activity", "month", month, "", "")] = {
            "active": len(per_customer),
            "active_days": {str(n): c for n, c in Counter(per_customer.values()).items()},
        }
    for customer, at in Purchase.objects.filter(workspace=workspace).values_list(
        "customer", "purchased_at"
    ):
        months[customer].add(at.date().replace(day=1))
    by_month, cohorts = defaultdict(set), defaultdict(Counter)
    for customer, active in months.items():
        first = min(active)
        for month in active:
            by_month[month].add(customer)
            cohorts[first][str(_months_between(first, month))] += 1
    for month, customers in by_month.items():
        before = by_month.get(_previous_month(month), set())
        expected[("retention", "month", month, "", "")] = {
            "at_start": len(before),
            "at_end": len(customers),
            "new": len(customers - before),
        }
    for cohort, counts in cohorts.items():
        expected[("cohort", "month", cohort, "", "")] = {"active": dict(counts)}
    return expected


def _previous_month(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def _months_between(first: dt.date, later: dt.date) -> int:
    return (later.year - first.year) * 12 + later.month - first.month


def test_the_snapshots_are_what_counting_the_rows_gives(varied):
    stored = {
        (s.source, s.period, s.start, s.dimension, s.key): s.data
        for s in Snapshot.objects.filter(workspace=varied, source__in=COUNTED)
    }
    expected = counted_from_rows(varied)
    assert stored.keys() == expected.keys()
    assert stored == expected
