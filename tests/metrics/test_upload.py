"""The import page: upload, preview with the column mapping, import, results and history."""

import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from engage.roles import Role
from metrics.imports.kinds import KINDS
from metrics.models import Customer, DataImport, Purchase, SurveyResponse
from metrics.services.imports import import_file
from metrics.views.imports import EXAMPLES, PENDING, TRAIT
from tests.conftest import wait_for
from tests.engage.factories import MembershipFactory

SURVEYS = """Customer ID,Survey,Rating,Date,Feedback,Region
c1,nps,10,2026-03-01T09:30:00Z,Love it,north
c2,nps,6,2026-03-02,"Slow, but fine",south
c3,csat,4,2026-03-03,,north
"""


def upload(text: str, name="answers.csv", *, bom=False):
    return SimpleUploadedFile(
        name, (b"\xef\xbb\xbf" if bom else b"") + text.encode(), content_type="text/csv"
    )


def page_url(workspace):
    return reverse("metrics:imports", args=[workspace.slug])


def preview(client, workspace, kind, text, **options):
    return client.post(page_url(workspace), {"kind": kind, "file": upload(text, **options)})


def chosen(response) -> dict:
    """The mapping as the preview's form would send it, unchanged."""
    return {f"col-{c['index']}": c["chosen"] for c in response.context["preview"]["columns"]}


def import_previewed(client, workspace, response, **changes):
    data = {"token": response.context["preview"]["token"], **chosen(response), **changes}
    return client.post(page_url(workspace), data, follow=True)


def pending_files(settings):
    directory = settings.MEDIA_ROOT / PENDING
    return list(directory.iterdir()) if directory.exists() else []


@pytest.fixture
def as_owner(client, owner):
    client.force_login(owner)
    return client


def test_the_page_lists_each_kind_with_its_columns_and_an_example(as_owner, workspace):
    response = as_owner.get(page_url(workspace))
    assert response.status_code == 200
    for kind in KINDS.values():
        assert kind.title in response.text
        assert f"?kind={kind.slug}" in response.text
    assert "<code>answered_at</code>" in response.text
    assert "Facilitators and owners upload files" in response.text


@pytest.mark.parametrize("kind", list(EXAMPLES))
def test_each_example_file_downloads_and_imports_as_it_is(as_owner, workspace, kind):
    response = as_owner.get(
        reverse("metrics:import_example", args=[workspace.slug]), {"kind": kind}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="engage-{kind}-example.csv"' in response["Content-Disposition"]
    header = response.content.decode().splitlines()[0].split(",")
    assert header[: len(KINDS[kind].columns)] == list(KINDS[kind].columns)
    result = import_file(workspace=workspace, kind=kind, binary=io.BytesIO(response.content))
    assert result.created == result.rows >= 2


def test_an_example_of_an_unknown_kind_is_404(as_owner, workspace):
    url = reverse("metrics:import_example", args=[workspace.slug])
    assert as_owner.get(url, {"kind": "nope"}).status_code == 404


def test_the_preview_shows_the_first_rows_and_the_guessed_mapping(as_owner, workspace, settings):
    response = preview(as_owner, workspace, "surveys", SURVEYS)
    assert response.status_code == 200
    assert list(chosen(response).values()) == [
        "customer_id", "kind", "score", "answered_at", "comment", "",
    ]  # fmt: skip
    html = response.text
    assert '<th scope="col">Customer ID</th>' in html and "Slow, but fine" in html
    assert '<option value="score" selected>score (required)</option>' in html
    assert '<option value="" selected>— ignore —</option>' in html
    # Nothing is stored by a preview; the file waits in one private file.
    assert not DataImport.objects.exists() and not SurveyResponse.objects.exists()
    assert len(pending_files(settings)) == 1


def test_the_preview_shows_at_most_ten_rows(as_owner, workspace):
    text = "customer_id,kind,score,answered_at\n" + "".join(
        f"row{n},nps,9,2026-03-01\n" for n in range(25)
    )
    response = preview(as_owner, workspace, "surveys", text)
    assert len(response.context["preview"]["rows"]) == 10
    assert "row9" in response.text and "row10" not in response.text


def test_the_guessed_mapping_imports(as_owner, workspace, settings):
    response = import_previewed(
        as_owner, workspace, preview(as_owner, workspace, "surveys", SURVEYS)
    )
    assert "3 new, 0 already there" in response.text
    assert response.redirect_chain[0][0].startswith(page_url(workspace))
    assert sorted(SurveyResponse.objects.values_list("customer__external_id", "score")) == [
        ("c1", 10), ("c2", 6), ("c3", 4),
    ]  # fmt: skip
    assert SurveyResponse.objects.get(score=6).comment == "Slow, but fine"
    assert pending_files(settings) == []
    assert '<option value="surveys" selected>' in response.text  # the next file: same kind
    data_import = DataImport.objects.get()
    assert (data_import.status, data_import.created, data_import.filename) == (
        "done",
        3,
        "answers.csv",
    )


def test_a_remapped_column_imports_under_its_new_meaning(as_owner, workspace):
    text = "client,kind,score,when,notes\nc1,nps,9,2026-03-01,first\nc2,ces,3,2026-03-02,second\n"
    response = preview(as_owner, workspace, "surveys", text)
    assert list(chosen(response).values()) == ["", "kind", "score", "", ""]
    done = import_previewed(
        as_owner,
        workspace,
        response,
        **{"col-0": "customer_id", "col-3": "answered_at", "col-4": "comment"},
    )
    assert "2 new, 0 already there" in done.text
    assert sorted(SurveyResponse.objects.values_list("customer__external_id", "comment")) == [
        ("c1", "first"), ("c2", "second"),
    ]  # fmt: skip


def test_a_mapping_without_a_required_column_shows_the_preview_again(as_owner, workspace, settings):
    text = "client,kind,score,when\nc1,nps,9,2026-03-01\n"
    response = preview(as_owner, workspace, "surveys", text)
    again = import_previewed(as_owner, workspace, response, **{"col-0": "customer_id"})
    assert "Choose the file&#x27;s column for answered_at" in again.text
    assert again.context["preview"]["columns"][0]["chosen"] == "customer_id"  # kept as chosen
    assert not DataImport.objects.exists() and len(pending_files(settings)) == 1
    done = import_previewed(as_owner, workspace, again, **{"col-3": "answered_at"})
    assert "1 new, 0 already there" in done.text


def test_customer_columns_not_named_are_kept_as_traits_unless_ignored(as_owner, workspace):
    text = "Customer,E-mail address,Plan,Internal note\nc1,ana@example.com,pro,vip\n"
    response = preview(as_owner, workspace, "customers", text)
    assert list(chosen(response).values()) == ["customer_id", "email", TRAIT, TRAIT]
    import_previewed(as_owner, workspace, response, **{"col-3": ""})
    customer = Customer.objects.get()
    assert (customer.email, customer.traits) == ("ana@example.com", {"plan": "pro"})


def test_bad_rows_are_listed_and_nothing_is_stored(as_owner, workspace, settings):
    text = "customer_id,kind,score,answered_at\nok,nps,9,2026-03-01\n" + "".join(
        f"c{n},nps,{11 + n},2026-03-01\n" for n in range(12)
    )
    response = import_previewed(as_owner, workspace, preview(as_owner, workspace, "surveys", text))
    assert "The file was refused; nothing was stored." in response.text
    assert "row 3: nps score 11 is outside 0–10" in response.text
    assert "row 12: nps score 20 is outside 0–10" in response.text
    assert "and 2 more" in response.text and "row 14: nps score 22 is outside 0–10" in response.text
    assert not SurveyResponse.objects.exists() and not Customer.objects.exists()
    assert DataImport.objects.get().status == "refused"
    assert pending_files(settings) == []


def test_a_bom_and_semicolons_come_through_the_upload(as_owner, workspace):
    text = "customer_id;purchased_at;amount;profit\nc1;2026-01-05;120.50;30\nc1;2026-02-05;80;\n"
    response = preview(as_owner, workspace, "purchases", text, bom=True)
    assert response.context["preview"]["columns"][0]["name"] == "customer_id"  # no BOM in it
    assert list(chosen(response).values()) == ["customer_id", "purchased_at", "amount", "profit"]
    assert "2 new, 0 already there" in import_previewed(as_owner, workspace, response).text
    assert Purchase.objects.filter(customer__external_id="c1").count() == 2


def test_the_same_file_again_stores_nothing_new(as_owner, workspace):
    import_previewed(as_owner, workspace, preview(as_owner, workspace, "surveys", SURVEYS))
    again = import_previewed(as_owner, workspace, preview(as_owner, workspace, "surveys", SURVEYS))
    assert "0 new, 3 already there" in again.text
    assert SurveyResponse.objects.count() == 3 and Customer.objects.count() == 3


def test_too_large_a_file_is_refused_with_the_service_message(as_owner, workspace, settings):
    settings.METRICS_IMPORT_MAX_BYTES = 100
    response = preview(as_owner, workspace, "surveys", SURVEYS)
    assert "files up to 0 MB can be imported here" in response.text
    assert not DataImport.objects.exists() and pending_files(settings) == []


def test_a_file_too_large_by_the_time_it_is_imported_is_refused(as_owner, workspace, settings):
    response = preview(as_owner, workspace, "surveys", SURVEYS)
    settings.METRICS_IMPORT_MAX_BYTES = 100
    refused = import_previewed(as_owner, workspace, response)
    assert "files up to 0 MB can be imported here" in refused.text
    assert not DataImport.objects.exists() and pending_files(settings) == []


def test_previews_left_behind_are_swept_after_a_day(as_owner, workspace, settings):
    preview(as_owner, workspace, "surveys", SURVEYS)
    (left,) = pending_files(settings)
    day_ago = time.time() - 24 * 3600 - 60
    os.utime(left, (day_ago, day_ago))
    preview(as_owner, workspace, "surveys", SURVEYS)
    remaining = pending_files(settings)
    assert len(remaining) == 1 and left not in remaining


@pytest.mark.parametrize(
    "data,message",
    [(b"", "The submitted file is empty"), ("a,b\nx,\xe9\n".encode("latin-1"), "not UTF-8")],
)
def test_a_file_that_is_not_csv_is_refused_at_the_preview(as_owner, workspace, data, message):
    response = as_owner.post(
        page_url(workspace), {"kind": "surveys", "file": SimpleUploadedFile("x.csv", data)}
    )
    assert message in response.text and "preview" not in response.context
    assert not DataImport.objects.exists()


def test_a_token_of_another_workspace_imports_nothing(client, workspace, owner, settings):
    other = MembershipFactory(user=owner, role=Role.OWNER).workspace
    client.force_login(owner)
    response = preview(client, workspace, "surveys", SURVEYS)
    data = {"token": response.context["preview"]["token"], **chosen(response)}
    refused = client.post(page_url(other), data)
    assert "That preview has expired" in refused.text
    tampered = client.post(page_url(workspace), {**data, "token": data["token"] + "x"})
    assert "That preview has expired" in tampered.text
    assert not DataImport.objects.exists() and not SurveyResponse.objects.exists()


def test_hostile_cells_and_names_are_escaped_in_the_preview(as_owner, workspace):
    text = 'customer_id,kind,score,answered_at,<img src=x onerror=alert(1)>\n<script>alert(1)</script>,nps,9,2026-03-01,"<b>x</b>"\n'
    response = preview(as_owner, workspace, "surveys", text)
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<img src=x" not in response.text and "<b>x</b>" not in response.text


def test_a_viewer_sees_the_page_but_cannot_upload(client, workspace, member):
    client.force_login(member(Role.VIEWER))
    page = client.get(page_url(workspace))
    assert page.status_code == 200 and "facilitators and owners upload files" in page.text
    assert 'enctype="multipart/form-data"' not in page.text
    assert preview(client, workspace, "surveys", SURVEYS).status_code == 403
    assert not DataImport.objects.exists()


def test_a_participant_cannot_upload_either(client, workspace, member):
    client.force_login(member(Role.PARTICIPANT))
    assert preview(client, workspace, "surveys", SURVEYS).status_code == 403


def test_a_facilitator_uploads(client, workspace, member):
    client.force_login(member(Role.FACILITATOR))
    response = preview(client, workspace, "surveys", SURVEYS)
    assert "3 new" in import_previewed(client, workspace, response).text


def test_an_import_of_another_workspace_is_404(client, workspace, outsider):
    data_import = DataImport.objects.create(workspace=workspace, kind="surveys", filename="a.csv")
    client.force_login(outsider)
    own = outsider.memberships.get().workspace
    url = reverse("metrics:import_progress", args=[own.slug, data_import.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404


def test_progress_polls_while_busy_and_stops_when_done(as_owner, workspace):
    data_import = DataImport.objects.create(
        workspace=workspace, kind="surveys", filename="big.csv", status="storing",
        rows_total=10000, rows_done=5000,
    )  # fmt: skip
    url = reverse("metrics:import_progress", args=[workspace.slug, data_import.pk])
    busy = as_owner.get(url, HTTP_HX_REQUEST="true")
    assert busy.text.lstrip().startswith("<section") and "<html" not in busy.text
    assert f'hx-get="{url}"' in busy.text and 'hx-trigger="every 1s"' in busy.text
    assert 'max="10000" value="5000"' in busy.text and "Storing rows: 5000 of 10000" in busy.text
    assert "HX-Request" in busy["Vary"]
    DataImport.objects.filter(pk=data_import.pk).update(
        status="done", created=9000, duplicates=1000
    )
    done = as_owner.get(url, HTTP_HX_REQUEST="true")
    assert "hx-get" not in done.text and "9000 new, 1000 already there" in done.text
    # Without htmx the same URL is the whole page, with the result on top.
    page = as_owner.get(url)
    assert "<html" in page.text and "9000 new, 1000 already there" in page.text


def test_the_history_says_who_when_what_and_how_it_went(
    as_owner, workspace, owner, django_assert_max_num_queries
):
    for n in range(20):
        DataImport.objects.create(
            workspace=workspace, kind="purchases", filename=f"p{n}.csv", status="done",
            rows_total=10, created=7, duplicates=3, requested_by=owner,
        )  # fmt: skip
    DataImport.objects.create(
        workspace=workspace, kind="surveys", filename="bad.csv", status="refused"
    )
    with django_assert_max_num_queries(8):
        response = as_owner.get(page_url(workspace))
    html = response.text
    assert "p19.csv" in html and "bad.csv" in html and "7 new, 3 already there" in html
    assert owner.display_name in html and "Refused" in html and "Purchases" in html


@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_imported_by_the_worker_with_the_mapping(
    celery_worker, worker_media_root, settings, client, workspace, owner
):
    settings.MEDIA_ROOT = worker_media_root
    settings.METRICS_IMPORT_BACKGROUND_BYTES = 1000
    text = "Client;Survey;Rating;When\n" + "".join(
        f"c{n};nps;{n % 11};2026-03-{1 + n % 28:02d}T10:00:00Z\n" for n in range(400)
    )
    client.force_login(owner)
    response = preview(client, workspace, "surveys", text)
    queued = import_previewed(
        client, workspace, response, **{"col-0": "customer_id", "col-3": "answered_at"}
    )
    data_import = DataImport.objects.get(workspace=workspace)
    url = reverse("metrics:import_progress", args=[workspace.slug, data_import.pk])
    assert queued.redirect_chain[-1][0] == url
    assert f'hx-get="{url}"' in queued.text and "<progress" in queued.text

    def finished():
        polled = client.get(url, HTTP_HX_REQUEST="true")
        return polled if "hx-get" not in polled.text else None

    done = wait_for(finished, timeout=60, interval=0.5)
    assert "400 new, 0 already there" in done.text
    assert SurveyResponse.objects.filter(workspace=workspace).count() == 400
    assert SurveyResponse.objects.filter(customer__external_id="c7", score=7).exists()
    assert pending_files(settings) == []
