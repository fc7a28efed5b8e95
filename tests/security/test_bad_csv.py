"""A corpus of bad CSV files (tests/metrics/data/bad/): each is refused with a message a
person can act on, and the database is exactly as it was, through the service, the
`import_data` command and the upload page alike."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from metrics.models import Customer, DataImport, InteractionEvent, Purchase, SurveyResponse
from metrics.services.imports import FileRefused, ImportRefused, import_file

pytestmark = pytest.mark.django_db

BAD = Path(__file__).resolve().parent.parent / "metrics" / "data" / "bad"
HEADER = "customer_id,kind,score,answered_at,comment\n"

# file → what the refusal must say (all survey-answer imports)
EXPECTED = {
    "utf16.csv": "The file is not UTF-8 text",
    "latin1.csv": "The file is not UTF-8 text",
    "binary.csv": "The file is not UTF-8 text",
    "mixed_delimiters.csv": "row 3: has 1 values, the header has 5",
    "missing_column.csv": "Missing column: score",
    "extra_column.csv": "Unknown column: mood",
    "duplicate_columns.csv": "Two columns have the same name",
    "extra_values.csv": "row 2: has 6 values, the header has 5",
    "huge_numbers.csv": "row 2: nps score 99999999999999999999999999 is outside 0–10",
    "bad_dates.csv": "row 4: answered_at “0001-01-01T00:00+01:00” is outside the years 1–9999",
    "nul_byte.csv": "row 3: contains a NUL character",
    "unterminated_quote.csv": "a quoted value is never closed",
    "header_only.csv": "The file has a header but no rows",
    "empty.csv": "The file is empty",
    "blank_lines.csv": "The file is empty",
    "purchases_as_surveys.csv": "Missing columns: kind, score, answered_at",
}


def test_the_corpus_is_complete():
    assert sorted(path.name for path in BAD.glob("*.csv")) == sorted(EXPECTED)


def tables():
    return [
        model.objects.count()
        for model in (Customer, SurveyResponse, Purchase, InteractionEvent, DataImport)
    ]


@pytest.fixture
def stored(workspace):
    """Something already there, which a refused file must leave alone."""
    good = HEADER + "kept,nps,9,2026-02-01,fine\n"
    import_file(workspace=workspace, kind="surveys", binary=_bytes(good))
    return tables()


def _bytes(text: str):
    import io

    return io.BytesIO(text.encode())


def refusal(workspace, binary) -> str:
    with pytest.raises((FileRefused, ImportRefused)) as refused:
        import_file(workspace=workspace, kind="surveys", binary=binary)
    return str(refused.value)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_is_refused_with_its_reason_and_stores_nothing(workspace, stored, name):
    with open(BAD / name, "rb") as binary:
        message = refusal(workspace, binary)

    assert EXPECTED[name] in message
    assert tables() == stored


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_import_command_says_the_same_and_stores_nothing(workspace, stored, name, capsys):
    with pytest.raises(CommandError) as refused:
        call_command("import_data", workspace.slug, "surveys", str(BAD / name))
    assert EXPECTED[name] in str(refused.value) + capsys.readouterr().err
    assert tables() == stored


@pytest.mark.parametrize("name", ["utf16.csv", "binary.csv", "unterminated_quote.csv", "empty.csv"])
def test_the_upload_page_refuses_them_at_the_preview(client, owner, workspace, stored, name):
    client.force_login(owner)
    data = (BAD / name).read_bytes()
    response = client.post(
        reverse("metrics:imports", args=[workspace.slug]),
        {"kind": "surveys", "file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )

    assert response.status_code == 200
    assert "preview" not in response.context
    shown = EXPECTED[name] if data else "The submitted file is empty"
    assert shown.replace("'", "&#x27;") in response.text
    assert tables() == stored


def test_a_value_past_the_csv_field_limit_is_refused_by_size(workspace, stored):
    huge = HEADER + "c1,nps,9,2026-03-01," + "x" * 200_000 + "\n"
    assert "A value is longer than 131,072 characters" in refusal(workspace, _bytes(huge))
    assert tables() == stored


def test_a_long_comment_within_the_field_limit_is_a_row_error(workspace, stored):
    long = HEADER + "c1,nps,9,2026-03-01," + "x" * 100_000 + "\n"
    assert "row 2: comment is longer than 5000 characters" in refusal(workspace, _bytes(long))
    assert tables() == stored


def test_a_large_file_with_one_bad_row_at_its_end_stores_none_of_it(workspace, stored):
    rows = "".join(f"c{n},nps,{n % 11},2026-03-01T{n % 24:02d}:00:00Z,\n" for n in range(60_000))
    data = HEADER + rows + "last,nps,11,2026-03-02,\n"
    assert len(data) > 2_000_000

    message = refusal(workspace, _bytes(data))

    assert "1 of 60001 rows can't be imported" in message
    assert "row 60002: nps score 11 is outside 0–10" in message
    assert tables() == stored
