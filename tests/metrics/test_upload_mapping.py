"""The column mapping of an upload: guessed from the header, chosen per column, applied
by the reader. Pure functions, no database."""

import io

import pytest

from metrics.imports.kinds import KINDS
from metrics.imports.reader import FileRefused, normalise, peek, read_rows, suggest_columns
from metrics.views.imports import IGNORE, TRAIT, column_choices, mapping_from

SURVEYS, CUSTOMERS = KINDS["surveys"], KINDS["customers"]


def rows(text, kind, columns=None):
    binary = io.BytesIO(text.encode())
    return list(
        read_rows(
            binary,
            kind.required,
            kind.optional,
            extra_allowed=kind.extra_columns_are_traits,
            columns=columns,
        )
    )


@pytest.mark.parametrize(
    "name,expected",
    [("Customer ID", "customer_id"), (" E-mail Address ", "e_mail_address"), ("ANSWERED_AT", "answered_at"), ("", "")],
)  # fmt: skip
def test_names_are_normalised_to_words_joined_by_underscores(name, expected):
    assert normalise(name) == expected


def test_same_names_map_whatever_their_case_and_spacing():
    header = ["Customer ID", "KIND", "Score", "answered at"]
    assert suggest_columns(header, SURVEYS.columns) == [
        "customer_id",
        "kind",
        "score",
        "answered_at",
    ]


def test_common_other_names_map_to_the_kind_columns():
    assert suggest_columns(
        ["user id", "survey", "rating", "Date", "Feedback"], SURVEYS.columns
    ) == [
        "customer_id",
        "kind",
        "score",
        "answered_at",
        "comment",
    ]
    assert suggest_columns(["Date"], KINDS["purchases"].columns) == ["purchased_at"]
    assert suggest_columns(["Date"], KINDS["events"].columns) == ["timestamp"]
    assert suggest_columns(["Email address", "Opt-in"], CUSTOMERS.columns) == ["email", "consent"]


def test_a_same_name_wins_over_another_name_and_no_column_is_given_twice():
    # "date" would be answered_at, but the file has answered_at itself.
    assert suggest_columns(["date", "answered_at", "Answered At"], SURVEYS.columns) == [
        "",
        "answered_at",
        "",
    ]


def test_unknown_names_are_not_guessed():
    assert suggest_columns(["region", "nps?"], SURVEYS.columns) == ["", ""]


def test_choices_offer_the_kind_columns_ignore_and_for_customers_trait():
    assert [value for value, _ in column_choices(SURVEYS, "x")] == [*SURVEYS.columns, IGNORE]
    assert TRAIT in [value for value, _ in column_choices(CUSTOMERS, "plan")]
    # A column named like a customer column can't become a trait of that name.
    assert TRAIT not in [value for value, _ in column_choices(CUSTOMERS, "Email")]


def test_a_mapping_from_choices_renames_ignores_and_keeps_traits():
    header = ["Client", "Mail", "Plan", "Notes"]
    columns, problems = mapping_from(CUSTOMERS, header, ["customer_id", "email", TRAIT, IGNORE])
    assert problems == []
    assert columns == {"Client": "customer_id", "Mail": "email", "Plan": "plan", "Notes": ""}


def test_a_mapping_needs_every_required_column_once():
    header = ["a", "b", "c", "d"]
    _, problems = mapping_from(SURVEYS, header, ["customer_id", "customer_id", "kind", IGNORE])
    assert problems == [
        "“a” and “b” are both mapped to customer_id.",
        "Choose the file's column for score, answered_at: this kind needs it.",
    ]


def test_a_choice_not_offered_is_refused():
    _, problems = mapping_from(SURVEYS, ["a"], [TRAIT])
    assert problems[0] == "“a” can't be mapped to “__trait__”."


def test_the_reader_without_a_mapping_reads_as_before():
    text = "customer_id,kind,score,answered_at\nc1,nps,9,2026-03-01\n"
    assert rows(text, SURVEYS) == rows(text, SURVEYS, columns=None)
    assert rows(text, SURVEYS) == [
        (2, {"customer_id": "c1", "kind": "nps", "score": "9", "answered_at": "2026-03-01"})
    ]
    with pytest.raises(FileRefused, match="Unknown column: region"):
        rows("customer_id,kind,score,answered_at,region\nc1,nps,9,2026-03-01,x\n", SURVEYS)
    with pytest.raises(FileRefused, match=r"Unknown column: \. Allowed"):  # a column with no name
        rows("customer_id,kind,score,answered_at,\nc1,nps,9,2026-03-01,x\n", SURVEYS)


def test_the_reader_renames_and_drops_columns_by_the_mapping():
    text = "Client;Type;Rating;When;Region\nc1;nps;9;2026-03-01;north\n"
    columns = {"client": "customer_id", "TYPE": "kind", "Rating": "score", "When": "answered_at",
               "Region": ""}  # fmt: skip
    assert rows(text, SURVEYS, columns) == [
        (2, {"customer_id": "c1", "kind": "nps", "score": "9", "answered_at": "2026-03-01"})
    ]


def test_the_reader_refuses_a_mapping_that_misses_or_doubles_a_column():
    text = "a,b,c,d\nc1,nps,9,2026-03-01\n"
    with pytest.raises(FileRefused, match="Missing column: answered_at"):
        rows(text, SURVEYS, {"a": "customer_id", "b": "kind", "c": "score", "d": ""})
    with pytest.raises(FileRefused, match="same name"):
        rows(
            "a,b,c,d,e\nc1,nps,9,2026-03-01,9\n",
            SURVEYS,
            {"a": "customer_id", "b": "kind", "c": "score", "d": "answered_at", "e": "score"},
        )


def test_a_peek_shows_the_file_header_and_first_rows_as_text():
    data = "\ufeffName;Score\n\nc1;9\nc2;<b>\nc3;1\n".encode()
    assert peek(io.BytesIO(data), limit=2) == (["Name", "Score"], [["c1", "9"], ["c2", "<b>"]])


@pytest.mark.parametrize(
    "data,message",
    [(b"", "empty"), (b"a,b\n\n", "no rows"), ("a,b\nx,é\n".encode("latin-1"), "not UTF-8")],
)
def test_a_peek_refuses_what_is_not_a_csv_file(data, message):
    with pytest.raises(FileRefused, match=message):
        peek(io.BytesIO(data))
