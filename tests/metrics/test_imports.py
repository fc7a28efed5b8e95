"""CSV imports: every kind in, nothing half-way, the same file twice stored once."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from metrics.models import Customer, InteractionEvent, Purchase, SocialMention, SurveyResponse
from metrics.services.imports import FileRefused, ImportRefused, import_file
from tests.engage.factories import PersonaFactory, SegmentFactory
from tests.journeys.factories import TouchpointFactory

MODELS = (Customer, SurveyResponse, Purchase, InteractionEvent, SocialMention)


def csv(text: str, *, bom: bool = False, encoding: str = "utf-8") -> io.BytesIO:
    data = text.strip("\n").replace("\n", "\r\n").encode(encoding) + b"\r\n"
    return io.BytesIO((b"\xef\xbb\xbf" if bom else b"") + data)


def counts():
    return [model.objects.count() for model in MODELS]


def run(workspace, kind, text, **options):
    return import_file(workspace=workspace, kind=kind, binary=csv(text, **options))


SURVEYS = """customer_id,kind,score,answered_at,comment
c1,nps,10,2026-03-01T09:30:00Z,Love it
c1,csat,4,2026-03-01T09:31:00+01:00,
c2,nps,6,2026-03-02,"Slow, but fine"
c3,ces,7,2026-03-03T10:00:00,
"""


def test_surveys_import_and_create_the_customers_they_name(workspace):
    result = run(workspace, "surveys", SURVEYS)
    assert (result.rows, result.created, result.duplicates) == (4, 4, 0)
    assert SurveyResponse.objects.get(customer__external_id="c2").comment == "Slow, but fine"
    c1 = Customer.objects.get(external_id="c1")
    assert c1.created_at == dt.datetime(2026, 3, 1, 8, 31, tzinfo=dt.UTC)  # its first answer
    assert SurveyResponse.objects.get(kind="ces").answered_at.tzinfo is not None
    assert Customer.objects.count() == 3


def test_the_same_file_twice_is_stored_once(workspace):
    run(workspace, "surveys", SURVEYS)
    again = run(workspace, "surveys", SURVEYS)
    assert (again.created, again.duplicates) == (0, 4)
    assert SurveyResponse.objects.count() == 4 and Customer.objects.count() == 3


def test_a_bom_and_semicolons_are_fine(workspace):
    result = run(
        workspace, "purchases",
        "customer_id;purchased_at;amount;profit\nc1;2026-01-05;120.50;30\nc1;2026-02-05;80;",
        bom=True,
    )  # fmt: skip
    assert result.created == 2
    assert sorted(Purchase.objects.values_list("amount", "profit")) == [
        (Decimal("80.00"), None),
        (Decimal("120.50"), Decimal("30.00")),
    ]


def test_events_dedupe_on_message_id_or_on_what_they_say(workspace):
    text = """customer_id,event,timestamp,channel,message_id,properties
c1,Signed in,2026-03-01T09:00:00Z,web,m-1,
c1,Signed in,2026-03-01T09:00:00Z,web,m-2,
c2,Opened email,2026-03-01T10:00:00Z,email,,"{""campaign"": ""welcome""}"
"""
    assert run(workspace, "events", text).created == 3
    assert run(workspace, "events", text).duplicates == 3
    event = InteractionEvent.objects.get(customer__external_id="c2")
    assert event.properties == {"campaign": "welcome"} and event.message_id.startswith("csv-")


def test_mentions_dedupe_on_url(workspace):
    text = """platform,posted_at,sentiment,reach,author,url,text
LinkedIn,2026-03-01,positive,1200,Priya,https://example.com/p/1,Smooth rollout
Twitter,2026-03-02,negative,,Sam,,Login broke on day one
"""
    assert run(workspace, "mentions", text).created == 2
    assert run(workspace, "mentions", text).created == 0
    assert SocialMention.objects.get(author="Sam").reach == 0


def test_customers_carry_segment_persona_consent_and_traits(workspace):
    SegmentFactory(workspace=workspace, name="Mid-market")
    PersonaFactory(workspace=workspace, name="Priya Nair")
    text = """customer_id,segment,persona,email,consent,plan,seats
acme-1,mid-market,Priya Nair,it@acme.example,yes,pro,40
acme-2,,,,no,,
"""
    assert run(workspace, "customers", text).created == 2
    acme = Customer.objects.get(external_id="acme-1")
    assert (acme.segment.name, acme.persona.name, acme.consent) == (
        "Mid-market",
        "Priya Nair",
        True,
    )
    assert acme.traits == {"plan": "pro", "seats": "40"}
    updated = run(workspace, "customers", text.replace("yes", "no"))
    assert (updated.created, updated.duplicates) == (0, 2)
    assert Customer.objects.get(external_id="acme-1").consent is False


def test_a_survey_answer_may_name_its_touchpoint_by_id_or_name(workspace):
    touchpoint = TouchpointFactory(
        stage__journey__canvas__workspace=workspace, name="Welcome email"
    )
    text = f"""customer_id,kind,score,answered_at,touchpoint,channel
c1,csat,5,2026-03-01,welcome email,email
c2,csat,2,2026-03-01,{touchpoint.pk},In-app
"""
    run(workspace, "surveys", text)
    assert set(SurveyResponse.objects.values_list("touchpoint", "channel")) == {
        (touchpoint.pk, "email"),
        (touchpoint.pk, "in_app"),
    }


BAD_ROWS = [
    ("surveys", "customer_id,kind,score,answered_at\nc1,nps,11,2026-03-01\nc2,csat,0,2026-03-01",
     ["row 2: nps score 11 is outside 0–10", "row 3: csat score 0 is outside 1–5"]),
    ("surveys", "customer_id,kind,score,answered_at\nc1,nps,9,01/03/2026",
     ["row 2: answered_at “01/03/2026” is not an ISO 8601 date"]),
    ("surveys", "customer_id,kind,score,answered_at\nc1,stars,4,2026-03-01",
     ["row 2: kind “stars” is not one of ces, csat, nps"]),
    ("surveys", "customer_id,kind,score,answered_at\nc1,nps,9,2026-03-01\nc1,nps,7,2026-03-01",
     ["row 3: the same customer, kind and answered_at as row 2"]),
    ("purchases", "customer_id,purchased_at,amount\nc1,2026-03-01,12,50", ["row 2: has 4 values"]),
    ("purchases", "customer_id,purchased_at,amount\nc1,2026-03-01,12;50",
     ["row 2: amount “12;50” is not a number"]),
    ("events", "customer_id,event,timestamp,message_id\nc1,a,2026-03-01,m1\nc2,b,2026-03-02,m1",
     ["row 3: the same message_id"]),
    ("events", "customer_id,event,timestamp,properties\nc1,a,2026-03-01,[1]",
     ["row 2: properties must be a JSON object"]),
    ("events", "customer_id,event,timestamp\n,a,2026-03-01", ["row 2: customer_id is empty"]),
    ("mentions", "platform,posted_at,sentiment,url\nX,2026-03-01,angry,\nX,2026-03-01,positive,ftp://x",
     ["row 2: sentiment “angry” is not one of", "row 3: url must start with http"]),
    ("customers", "customer_id,segment\nc1,Nowhere\nc2,\nc2,", ["row 2: segment “Nowhere” is not in this workspace",
     "row 4: the same customer_id as row 3"]),
    ("customers", "customer_id,consent\nc1,maybe", ["row 2: consent “maybe” is not yes or no"]),
]  # fmt: skip


@pytest.mark.parametrize("kind,text,reasons", BAD_ROWS)
def test_a_bad_row_is_named_with_its_line_and_reason(workspace, kind, text, reasons):
    with pytest.raises(ImportRefused) as refused:
        run(workspace, kind, text)
    shown = [f"row {line}: {reason}" for line, reason in refused.value.errors]
    assert len(shown) == len(reasons)
    for message, expected in zip(shown, reasons, strict=True):
        assert message.startswith(expected), (message, expected)
    assert counts() == [0] * len(MODELS)


def test_one_bad_row_among_good_ones_stores_nothing(workspace):
    run(workspace, "customers", "customer_id\nkept")
    before = counts()
    with pytest.raises(ImportRefused) as refused:
        run(workspace, "surveys", SURVEYS + "c4,nps,ten,2026-03-04,\n")
    assert refused.value.errors == [(6, "nps score “ten” is not a whole number")]
    assert "1 of 5 rows can't be imported" in str(refused.value)
    assert counts() == before


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "The file is empty"),
        ("customer_id,kind,score,answered_at\n", "header but no rows"),
        ("customer_id,kind,score\nc1,nps,9", "Missing column: answered_at"),
        ("customer_id,kind,score,answered_at,mood\nc1,nps,9,2026-03-01,ok", "Unknown column: mood"),
    ],
)
def test_whole_file_problems_are_named(workspace, text, message):
    with pytest.raises(FileRefused, match=message):
        import_file(workspace=workspace, kind="surveys", binary=io.BytesIO(text.encode()))
    assert counts() == [0] * len(MODELS)


def test_a_file_that_is_not_utf8_is_refused(workspace):
    with pytest.raises(FileRefused, match="not UTF-8"):
        run(workspace, "mentions", "platform,posted_at,sentiment,author\nX,2026-03-01,positive,Zoë",
            encoding="latin-1")  # fmt: skip
    assert counts() == [0] * len(MODELS)


def test_the_command_imports_and_fails_loudly_on_bad_rows(workspace, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(SURVEYS)
    call_command("import_data", workspace.slug, "surveys", str(good))
    assert "4 new, 0 already there" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("customer_id,kind,score,answered_at\nc1,nps,12,2026-03-01\n")
    with pytest.raises(CommandError, match="1 of 1 rows can't be imported"):
        call_command("import_data", workspace.slug, "surveys", str(bad))
    assert "row 2: nps score 12 is outside 0–10" in capsys.readouterr().err
    with pytest.raises(CommandError, match="No workspace"):
        call_command("import_data", "nowhere", "surveys", str(good))
    assert SurveyResponse.objects.count() == 4
