"""Shared fixtures: people in every role, a running Celery worker, a real browser."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from engage.roles import Role
from tests.engage.factories import MembershipFactory, UserFactory, WorkspaceFactory
from tests.servers import CeleryWorker

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_configure(config):
    # Tests talk plain HTTP to the test server; everything else stays as in production.
    settings.SECURE_SSL_REDIRECT = False
    # Hashing a password costs ~0.3 s by design; factories create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STATIC_ROOT = tempfile.mkdtemp(prefix="engage-static-")
    # Hashed (manifest) static names only exist after collectstatic; tests serve the sources.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def workspace(db):
    return WorkspaceFactory()


@pytest.fixture
def member(workspace):
    """member(role) → a user holding that role in `workspace`."""

    def make(role=Role.PARTICIPANT, **kwargs):
        return MembershipFactory(workspace=workspace, role=role, **kwargs).user

    return make


@pytest.fixture
def owner(member):
    return member(Role.OWNER)


@pytest.fixture
def facilitator(member):
    return member(Role.FACILITATOR, user__name="Fay Facilitator")


@pytest.fixture
def alice(member):
    return member(Role.PARTICIPANT, user__name="Alice")


@pytest.fixture
def bob(member):
    return member(Role.PARTICIPANT, user__name="Bob")


@pytest.fixture
def outsider(db):
    """Someone who owns another workspace but is not a member of `workspace`."""
    other = MembershipFactory(role=Role.OWNER)
    return other.user


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# --- Celery -----------------------------------------------------------------------


def database_url(settings_dict) -> str:
    user, password = settings_dict["USER"], settings_dict["PASSWORD"]
    auth = f"{user}:{password}@" if password else f"{user}@"
    return (
        f"postgres://{auth}{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"
    )


@pytest.fixture(scope="session")
def worker_media_root(tmp_path_factory):
    """Where the worker stores uploads; a test reading its files points MEDIA_ROOT here."""
    return tmp_path_factory.mktemp("worker-media")


# Webhook tests post to a receiver on 127.0.0.1 and wait for quick retries; the test
# process gets the same settings (tests/metrics/conftest.py).
WEBHOOK_ENV = {
    "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "1",
    "WEBHOOK_RETRY_DELAYS": "0.3,0.6,0.9",
    "WEBHOOK_TIMEOUT": "2",
}


@pytest.fixture(scope="session")
def worker_env(django_db_setup, django_db_blocker, tmp_path_factory, worker_media_root):
    """Environment for worker processes: the test database and broker, production settings."""
    from django.db import connection

    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and PostgreSQL (run the suite with `make test`)")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "EMAIL_BACKEND": "file",
        "EMAIL_FILE_PATH": str(tmp_path_factory.mktemp("worker-mail")),
        "MEDIA_ROOT": str(worker_media_root),
        "STATIC_ROOT": str(tmp_path_factory.mktemp("worker-static")),
        **WEBHOOK_ENV,
    }
    # The worker runs with production settings: templates it renders need collected statics.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=REPO,
        env=env,
        check=True,
    )
    return env


@contextmanager
def own_queue():
    """Send tasks to a queue of this test run's own while inside the block.

    Test runs in parallel share the Redis broker, and another run's worker would take
    this run's tasks and find no rows for them in its database.
    """
    from engage.celery import app

    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    default_queue, app.conf.task_default_queue = app.conf.task_default_queue, queue
    try:
        yield queue
    finally:
        app.conf.task_default_queue = default_queue


@pytest.fixture(scope="session")
def celery_worker(worker_env, tmp_path_factory):
    """A real `celery worker` process on the test broker and the test database.

    Tests that use it need committed data: mark them `django_db(transaction=True)`.
    Returns the directory where the worker's file-based email backend writes messages.
    """
    with own_queue() as queue:
        log = tmp_path_factory.mktemp("worker") / "worker.log"
        worker = CeleryWorker(worker_env, queue, log)
        worker.start()
        yield Path(worker_env["EMAIL_FILE_PATH"])
        worker.stop()


def wait_for(condition, timeout=15.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


# --- Browser ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1440, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert not errors, f"JavaScript errors in the browser: {errors}"


@pytest.fixture
def artifact_path():
    ARTIFACTS.mkdir(exist_ok=True)
    return lambda name: ARTIFACTS / name


@pytest.fixture
def other_user(db):
    return UserFactory()
