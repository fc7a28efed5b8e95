"""Background work on a real Celery worker: large imports and recomputes, and their rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from metrics.models import DataImport, MetricsRun, Snapshot, SurveyResponse
from metrics.services.imports import FileRefused, data_import_request
from metrics.services.runs import metrics_run_request
from tests.conftest import wait_for

ANSWERS = "customer_id,kind,score,answered_at\n" + "".join(
    f"c{n},nps,{n % 11},2026-03-{1 + n % 28:02d}T10:00:00Z\n" for n in range(400)
)


def upload(text: str, name="answers.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_a_small_upload_is_imported_at_once(workspace, owner):
    data_import = data_import_request(
        workspace=workspace, kind="surveys", upload=upload(ANSWERS), actor=owner
    )
    assert data_import.status == DataImport.Status.DONE
    assert (data_import.rows_total, data_import.created) == (400, 400)
    assert SurveyResponse.objects.count() == 400 and not data_import.file


def test_a_refused_upload_keeps_its_row_errors(workspace, owner):
    data_import = data_import_request(
        workspace=workspace, kind="surveys", upload=upload(ANSWERS + "c9,nps,99,2026-03-01\n")
    )
    assert data_import.status == DataImport.Status.REFUSED
    assert data_import.errors == [[402, "nps score 99 is outside 0–10"]]
    assert not SurveyResponse.objects.exists()


def test_too_large_an_upload_is_refused_before_it_is_stored(workspace, settings):
    settings.METRICS_IMPORT_MAX_BYTES = 1000
    with pytest.raises(FileRefused, match="files up to 0 MB"):
        data_import_request(workspace=workspace, kind="surveys", upload=upload(ANSWERS))
    assert not DataImport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_large_upload_is_imported_by_the_worker(
    celery_worker, worker_media_root, settings, workspace, owner
):
    settings.MEDIA_ROOT = worker_media_root
    settings.METRICS_IMPORT_BACKGROUND_BYTES = 1000
    data_import = data_import_request(
        workspace=workspace, kind="surveys", upload=upload(ANSWERS), actor=owner
    )
    assert data_import.status == DataImport.Status.QUEUED and data_import.file
    done = wait_for(
        lambda: DataImport.objects.filter(pk=data_import.pk, status="done").first(), timeout=60
    )
    assert (done.rows_done, done.created, done.duplicates) == (400, 400, 0)
    assert SurveyResponse.objects.filter(workspace=workspace).count() == 400


@pytest.mark.django_db(transaction=True)
def test_the_worker_recomputes_a_workspace(celery_worker, workspace, owner):
    data_import_request(workspace=workspace, kind="surveys", upload=upload(ANSWERS))
    run = metrics_run_request(workspace=workspace, actor=owner, enqueue=True)
    done = wait_for(lambda: MetricsRun.objects.filter(pk=run.pk, status="done").first(), timeout=60)
    assert done.steps_done == done.steps_total and done.seconds is not None
    assert Snapshot.objects.filter(workspace=workspace, source="surveys").exists()
