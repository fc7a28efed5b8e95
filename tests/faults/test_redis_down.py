"""Redis stopped under a running app: pages render, live boards fall back to the database,
actions that need the job queue say so and start nothing, and all of them work again
once Redis is back, with no restart of the web or worker processes.

The app runs as in production (gunicorn, gthread) with a worker, both on a Redis of the
test's own that the test stops and starts again on the same port.
"""

import io
import re

import pytest
from django.urls import reverse

from canvases import services as canvas_services
from canvases.models import CanvasPack, Note
from engage.models import Invitation, Transfer
from engage.portability import workspace_export
from metrics.imports.kinds import KINDS
from metrics.models import DataImport, MetricsRun
from metrics.views.imports import EXAMPLES
from tests.conftest import wait_for
from tests.servers import CeleryWorker, Gunicorn

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

UNREACHABLE = "the job queue (Redis) is unreachable"
CUSTOMERS_CSV = EXAMPLES["customers"] + "".join(
    f"c-{2000 + n},,,,no,2026-02-0{1 + n % 9},free\n" for n in range(20)
)


def url(name, workspace, **kwargs):
    return reverse(name, kwargs={"workspace": workspace.slug, **kwargs})


def import_steps(person, workspace):
    """Upload the file (kept, previewed), then confirm the columns: the confirming response."""
    preview = person.post(
        url("metrics:imports", workspace),
        {"kind": "customers"},
        files={"file": ("customers.csv", CUSTOMERS_CSV.encode(), "text/csv")},
    )
    assert preview.status_code == 200, preview.text[:500]
    token = re.search(r'name="token" value="([^"]+)"', preview.text).group(1)
    header, columns = CUSTOMERS_CSV.splitlines()[0].split(","), KINDS["customers"].columns
    mapping = {f"col-{i}": name if name in columns else "" for i, name in enumerate(header)}
    return lambda: person.post(url("metrics:imports", workspace), {"token": token, **mapping})


def exported(workspace) -> bytes:
    target = io.BytesIO()
    workspace_export(workspace=workspace, target=target)
    return target.getvalue()


def test_without_redis_pages_render_and_jobs_say_so_until_redis_is_back(
    worker_env, tmp_path, own_redis, own_queue_name, visitor, workspace, owner
):
    canvas = canvas_services.canvas_create(
        workspace=workspace, type_slug="empathy_map", created_by=owner
    )
    for n in range(5):
        canvas_services.note_create(canvas=canvas, area="see", text=f"Seen {n}", author=owner)
    canvas.refresh_from_db()
    env = {
        **worker_env,
        "REDIS_URL": own_redis.url,
        "CELERY_QUEUE": own_queue_name,
        "METRICS_IMPORT_BACKGROUND_BYTES": "200",  # the test's file goes to the worker
        "WORKSPACE_IMPORT_BACKGROUND_BYTES": "200",  # and so does the workspace's
    }
    app = Gunicorn(env, tmp_path / "gunicorn.log")
    worker = CeleryWorker(env, own_queue_name, tmp_path / "worker.log")
    app.launch(), worker.launch()
    try:
        app.wait(), worker.wait()
        person = visitor(app.url, owner)
        board = url("canvases:board", workspace, canvas=canvas.pk)
        poll = url("canvases:board_poll", workspace, canvas=canvas.pk)
        idle = f"{poll}?rev={canvas.revision}&people={owner.pk}"
        assert person.get(idle, htmx=True).status_code == 204
        confirm_import = import_steps(person, workspace)
        export_file = ("export.zip", exported(workspace), "application/zip")

        own_redis.stop()

        pages = [
            url("workspace_home", workspace),
            board,
            url("canvases:index", workspace),
            url("canvases:pack_list", workspace),
            url("metrics:index", workspace),
            url("metrics:inbox", workspace),
            url("metrics:imports", workspace),
            url("member_list", workspace),
            url("workspace_settings", workspace),
            reverse("workspace_import"),
        ]
        for page in pages:
            response = person.get(page)
            assert response.status_code == 200, (page, response.status_code, app.log()[-2000:])
        health = person.get("/healthz")
        assert health.status_code == 503 and health.json()["broker"].startswith("down")

        # Live boards: an idle poll still answers, and a change still reaches the others.
        assert person.get(idle, htmx=True).status_code == 204
        added = person.post(
            url("canvases:note_add", workspace, canvas=canvas.pk),
            {"area": "say", "text": "Written while Redis was down"},
            htmx=True,
        )
        assert added.status_code == 200 and "Written while Redis was down" in added.text
        changed = person.get(idle, htmx=True)
        assert changed.status_code == 200 and "Written while Redis was down" in changed.text

        # Actions that need the queue say so, and start nothing.
        recompute = person.post(url("metrics:recompute", workspace))
        assert UNREACHABLE in recompute.text and not MetricsRun.objects.exists()
        pack = person.post(
            url("canvases:pack_list", workspace), {"title": "Down", "canvases": [canvas.pk]}
        )
        assert UNREACHABLE in pack.text and not CanvasPack.objects.exists()
        invited = person.post(
            url("member_list", workspace),
            {"role": "participant", "email": "new@example.com", "valid_for_days": 7},
        )
        assert UNREACHABLE in invited.text and not Invitation.objects.exists()
        refused_import = confirm_import()
        assert UNREACHABLE in refused_import.text and not DataImport.objects.exists()
        export = person.post(url("workspace_export", workspace), htmx=True)
        assert UNREACHABLE in export.text and not Transfer.objects.exists()
        moved_in = person.post(reverse("workspace_import"), files={"file": export_file})
        assert UNREACHABLE in moved_in.text and not Transfer.objects.exists()

        own_redis.start()

        # The same actions now start, and the worker (which reconnected) finishes them.
        recompute = person.post(url("metrics:recompute", workspace))
        assert UNREACHABLE not in recompute.text
        wait_for(lambda: MetricsRun.objects.filter(status="done").exists(), timeout=90)
        person.post(url("canvases:pack_list", workspace), {"title": "Up", "canvases": [canvas.pk]})
        wait_for(lambda: CanvasPack.objects.filter(status="done").exists(), timeout=90)
        imported = confirm_import()  # the file kept from before: nothing to upload again
        assert imported.status_code == 200 and UNREACHABLE not in imported.text
        wait_for(lambda: DataImport.objects.filter(status="done").exists(), timeout=90)
        person.post(url("workspace_export", workspace), htmx=True)
        wait_for(lambda: Transfer.objects.filter(kind="export", status="done").exists(), 90)
        assert Note.objects.filter(canvas=canvas, text="Written while Redis was down").exists()
        assert person.get("/healthz").status_code == 200
    finally:
        app.stop()
        worker.stop()
