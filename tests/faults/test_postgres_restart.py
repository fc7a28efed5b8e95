"""PostgreSQL restarted under a running app (`pg_ctl restart -m fast`: every connection
cut): the web process and the worker carry on without a restart of their own. Django
checks a kept connection before reusing it (CONN_HEALTH_CHECKS), so the first request
after the restart already gets a fresh one.

The app runs against a cluster of the test's own, holding a copy of the test database.
"""

import subprocess

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from canvases import services as canvas_services
from metrics.models import MetricsRun
from tests.conftest import database_url, wait_for
from tests.servers import CeleryWorker, Gunicorn, PostgresCluster

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]


def copy_test_database(cluster: PostgresCluster) -> None:
    dump = subprocess.run(
        ["pg_dump", "--no-owner", database_url(connection.settings_dict)],
        capture_output=True,
        check=True,
    )
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", cluster.url],
        input=dump.stdout,
        capture_output=True,
        check=True,
    )


@pytest.fixture
def own_postgres():
    cluster = PostgresCluster().start()
    yield cluster
    cluster.stop()


def test_the_app_carries_on_after_postgresql_restarts(
    worker_env, tmp_path, own_postgres, own_queue_name, visitor, workspace, owner
):
    canvas = canvas_services.canvas_create(
        workspace=workspace, type_slug="empathy_map", created_by=owner
    )
    canvas_services.note_create(canvas=canvas, area="see", text="Before the restart", author=owner)
    person = visitor("", owner)  # the session is in the copy too
    copy_test_database(own_postgres)
    env = {**worker_env, "DATABASE_URL": own_postgres.url, "CELERY_QUEUE": own_queue_name}
    threads = 2
    app = Gunicorn(env, tmp_path / "gunicorn.log", threads=threads)
    worker = CeleryWorker(env, own_queue_name, tmp_path / "worker.log")
    app.launch(), worker.launch()
    try:
        app.wait(), worker.wait()
        person.base_url = app.url
        board = reverse("canvases:board", kwargs={"workspace": workspace.slug, "canvas": canvas.pk})
        recompute = reverse("metrics:recompute", kwargs={"workspace": workspace.slug})
        for _ in range(2 * threads):  # every thread holds a connection now
            assert person.get(board).status_code == 200
        person.post(recompute)  # and so does the worker
        wait_for(lambda: done_runs(own_postgres.url) == 1, timeout=90)

        own_postgres.restart()

        codes = [person.get(board).status_code for _ in range(4 * threads)]
        assert codes == [200] * len(codes), f"{codes}\n{app.log()[-3000:]}"
        assert person.get("/healthz").json()["database"] == "ok"
        assert person.post(recompute).status_code == 200
        wait_for(lambda: done_runs(own_postgres.url) == 2, timeout=90)
    finally:
        app.stop()
        worker.stop()


def done_runs(url: str) -> int:
    with psycopg.connect(url) as database:
        query = f"SELECT count(*) FROM {MetricsRun._meta.db_table} WHERE status = 'done'"
        return database.execute(query).fetchone()[0]
