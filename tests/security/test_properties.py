"""Property-based tests of every parser and formula: any input either gives a value that
keeps the invariants or is refused with the parser's own error, never a crash."""

import contextlib
import csv
import datetime as dt
import io
import math
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from canvases import scoring, types
from canvases.services.fields import clean_value
from canvases.services.filter import clean_row_value
from canvases.services.prioritization import clean_score
from canvases.services.survey import SurveyFileError, parse_survey
from metrics.calculations import okr, stickiness, survey
from metrics.calculations.clv import btabok_clv
from metrics.calculations.interaction import channel_mix
from metrics.imports import parse
from metrics.imports.reader import FileRefused, read_rows

counts = st.integers(min_value=0, max_value=10**9)
cell = st.text(max_size=40)
# Text shaped like what people type into numeric and date cells, plus anything at all.
numberish = st.one_of(
    cell,
    st.from_regex(r"\A\s*[-+]?[0-9٠-٩²⁵_]{0,16}([.,][0-9]{0,20})?([eE][-+]?[0-9]{1,6})?\s*\Z"),
    st.sampled_from(["NaN", "sNaN", "-Infinity", "1e999999", "999999999999.995", "--5", "⁵"]),
)
isoish = st.one_of(
    cell,
    st.datetimes(timezones=st.timezones()).map(lambda moment: moment.isoformat()),
    st.builds(
        lambda date, offset: f"{date.isoformat()}T00:00{offset}",
        st.sampled_from([dt.date(1, 1, 1), dt.date(9999, 12, 31)]),
        st.sampled_from(["+01:00", "-01:00", "+23:59", "-19:06", "+14:00", "Z"]),
    ),
)


# --- CSV cells ---------------------------------------------------------------------


@given(numberish, st.integers(-10, 10), st.integers(-10, 10))
def test_integer_cells(value, low, high):
    try:
        number = parse.integer(value, "score", low=low, high=high)
    except parse.CellError as error:
        assert "score" in str(error)
    else:
        assert low <= number <= high


@given(numberish)
def test_amount_cells_fit_the_amount_column(value):
    """Purchases' amount and profit are numeric(14, 2): a stored amount must fit it."""
    try:
        amount = parse.decimal(value, "amount")
    except parse.CellError as error:
        assert "amount" in str(error)
    else:
        assert amount.is_finite()
        assert amount == amount.quantize(Decimal("0.01"))
        assert len(amount.as_tuple().digits) <= 14


@given(isoish)
def test_date_cells_are_moments_that_can_be_stored(value):
    try:
        moment = parse.moment(value, "answered_at")
    except parse.CellError as error:
        assert "answered_at" in str(error)
    else:
        assert moment.tzinfo is not None
        moment.astimezone(dt.UTC)  # every database stores it in UTC
        assert abs(moment.utcoffset()) <= dt.timedelta(hours=14)  # PostgreSQL: ±15:59


@given(cell, st.integers(0, 50), st.booleans())
def test_text_cells(value, max_length, required):
    try:
        text = parse.text(value, "comment", max_length=max_length, required=required)
    except parse.CellError as error:
        assert "comment" in str(error)
    else:
        assert text == value.strip() and len(text) <= max_length
        assert text or not required


@given(cell)
def test_yes_no_cells(value):
    try:
        assert parse.boolean(value, "consent") in (True, False)
    except parse.CellError as error:
        assert "consent" in str(error)


@given(numberish)
def test_board_scores(value):
    try:
        score = clean_score(value)
    except ValidationError:
        return
    assert score is None or (0 <= score <= 10 and score == score.quantize(Decimal("0.01")))


# --- CSV files -----------------------------------------------------------------------

csv_rows = st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=5), max_size=6)


def as_csv(rows, delimiter=",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode()


@given(st.one_of(st.binary(max_size=300), csv_rows.map(as_csv)), st.sampled_from([",", ";"]))
def test_any_bytes_are_rows_or_a_refusal(data, delimiter):
    required, optional = ("customer_id", "kind"), ("comment",)
    try:
        for line, row in read_rows(io.BytesIO(data), required, optional):
            assert line >= 2
            if "__error__" not in row:
                assert set(required) <= set(row) <= set(required + optional)
                assert not any("\x00" in value for value in row.values())
    except FileRefused as error:
        assert str(error)


@given(
    st.lists(st.tuples(st.text(max_size=8), st.text(max_size=8), numberish, numberish), max_size=5)
)
def test_survey_files_are_answers_or_row_by_row_reasons(rows):
    data = as_csv([["respondent_id", "outcome", "importance", "satisfaction"], *rows])
    try:
        answers = parse_survey(data)
    except SurveyFileError as error:
        assert all(message.startswith(("row ", "The file", "…")) for message in error.messages)
        return
    for answer in answers:
        assert 1 <= answer.importance <= 5 and 1 <= answer.satisfaction <= 5
        assert answer.respondent and answer.outcome and "\x00" not in answer.respondent


@given(st.binary(max_size=400))
def test_survey_files_of_any_bytes(data):
    with contextlib.suppress(SurveyFileError):  # refused with reasons, or read
        parse_survey(data)


# --- Formulas ------------------------------------------------------------------------


@given(counts, counts, counts, st.sampled_from(list(survey.NpsInterval)))
def test_nps(promoters, passives, detractors, interval):
    result = survey.nps(
        promoters=promoters, passives=passives, detractors=detractors, interval=interval
    )
    if result.n == 0:
        assert result.score is None and result.ci95 is None
        return
    assert -100 <= result.score <= 100
    low, high = result.ci95
    assert -100 <= low <= high <= 100
    assert math.isclose(
        result.promoters_percent + result.passives_percent + result.detractors_percent, 100
    )
    if interval is survey.NpsInterval.WALD:
        assert low <= result.score + 1e-9 and result.score - 1e-9 <= high


@given(st.dictionaries(st.integers(1, 5), counts))
def test_csat(histogram):
    result = survey.csat(histogram)
    if result.n == 0:
        assert result.percent is None and result.mean is None
    else:
        assert 0 <= result.percent <= 100 and 1 <= result.mean <= 5


@given(st.dictionaries(st.integers(1, 7), counts))
def test_ces(histogram):
    result = survey.ces(histogram)
    assert (result.mean is None) == (result.n == 0)
    assert result.mean is None or 1 <= result.mean <= 7


@given(st.dictionaries(st.integers(-5, 15), st.integers(-3, 10)))
def test_answers_outside_the_scale_are_refused_by_name(histogram):
    try:
        survey.csat(histogram)
    except ValueError as error:
        assert "CSAT answer" in str(error) or "cannot be negative" in str(error)


ten = st.floats(0, 10)


@given(st.one_of(st.none(), ten), st.one_of(st.none(), ten))
def test_opportunity_and_region(importance, satisfaction):
    score = scoring.opportunity(importance, satisfaction)
    region = scoring.region(importance, satisfaction)
    if importance is None or satisfaction is None:
        assert score is None and region is None
        return
    assert importance <= score <= 2 * importance <= 20
    assert (region is scoring.Region.OVER_SERVED) == (satisfaction > importance)


@given(st.floats(allow_nan=True), ten)
def test_opportunity_refuses_scores_off_the_scale(importance, satisfaction):
    assume(not 0 <= importance <= 10)
    with pytest.raises(ValueError):
        scoring.opportunity(importance, satisfaction)


@given(st.lists(st.integers(1, 5)))
def test_top_two_box(ratings):
    share = scoring.top_two_box(ratings)
    assert (share is None) == (not ratings)
    assert share is None or 0 <= share <= 10


@given(*[st.lists(st.one_of(st.none(), st.integers(1, 5)), max_size=6)] * 4)
def test_forces_balance(push, pull, habit, anxiety):
    balance = scoring.forces_balance(push, pull, habit, anxiety)
    scored = [value for values in (push, pull, habit, anxiety) for value in values if value]
    assert (balance is None) == (not scored)
    if balance:
        assert balance.promoting + balance.blocking == sum(scored)
        assert balance.change_expected == (balance.promoting > balance.blocking)


@given(st.integers(1, 5))
def test_filter_scores_map_onto_ten(score):
    assert scoring.filter_score_to_ten(score) == (score - 1) * 2.5


@given(counts, counts, counts)
def test_retention(at_start, at_end, new):
    try:
        result = stickiness.retention(at_start=at_start, at_end=at_end, new=new)
    except ValueError:
        assert new > at_end or at_end - new > at_start
        return
    if at_start == 0:
        assert result.retention_rate is None
    else:
        assert 0 <= result.retention_rate <= 1
        assert math.isclose(result.retention_rate + result.churn_rate, 1)


@given(st.one_of(st.none(), st.floats(0, 1)), st.floats(0.01, 400))
def test_annual_churn(churn, periods):
    annual = stickiness.annual_churn(churn, periods_per_year=periods)
    assert (annual is None) == (churn is None)
    assert annual is None or -1e-12 <= annual <= 1 + 1e-12


@given(st.dictionaries(st.sampled_from(["web", "email", "phone", "in_app", "event"]), counts))
def test_channel_mix(counts_by_channel):
    mix = channel_mix(counts_by_channel)
    assert mix.total == sum(counts_by_channel.values())
    assert (mix.digital_percent is None) == (mix.total == 0)
    assert mix.digital_percent is None or 0 <= mix.digital_percent <= 100


@given(
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    st.floats(1, 3650),
    st.one_of(st.none(), st.floats(-1e9, 1e9)),
    st.one_of(st.none(), st.floats(0, 1)),
)
def test_btabok_clv(purchases, customers, window, profit, churn):
    assume(customers <= purchases)
    result = btabok_clv(
        purchases=purchases, customers=customers, window_days=window,
        profit_total=profit, annual_churn_rate=churn,
    )  # fmt: skip
    if purchases == 0 or profit is None or churn is None:
        assert result.value is None
    if result.time_period_years is not None:
        assert 0 < result.time_period_years <= 10


dates = st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.one_of(st.none(), st.floats(-1e6, 1e6)))
def test_okr_progress(baseline, target, current):
    assume(target != baseline)
    value = okr.progress(baseline=baseline, target=target, current=current)
    assert (value is None) == (current is None)
    if current == target:
        assert math.isclose(value, 1)


@given(st.one_of(st.none(), st.floats(-5, 5)), dates, dates, dates)
def test_okr_status(progress, start, due, today):
    assume(start < due)
    status = okr.status(progress=progress, start=start, due=due, today=today)
    if progress is None:
        assert status is okr.Status.NO_DATA
    elif progress >= 1:
        assert status is okr.Status.ACHIEVED
    elif today > due:
        assert status is okr.Status.MISSED


@given(st.lists(st.one_of(st.none(), st.floats(-10, 10))))
def test_objective_progress(progresses):
    value = okr.objective_progress(progresses)
    assert (value is None) == all(p is None for p in progresses)
    assert value is None or 0 <= value <= 1


@given(st.one_of(st.none(), numberish, st.integers(-10, 10)))
def test_filter_row_scores(value):
    try:
        score = clean_row_value("importance", value)
    except ValidationError:
        return
    assert score is None or 1 <= score <= 5


@given(st.one_of(numberish, st.text("0123456789٣", min_size=1), st.just("9" * 5000)))
def test_number_and_scale_fields(value):
    number = types.Field("age", "Age", kind=types.FieldKind.NUMBER)
    scale = types.Field("fit", "Fit", kind=types.FieldKind.SCALE, scale=(1, 5))
    for definition, top in ((number, 150), (scale, 5)):
        try:
            cleaned = clean_value(None, definition, value)
        except ValidationError:
            continue
        assert cleaned == "" or 0 <= int(cleaned) <= top
