"""The README's `make run` with nothing configured: SQLite, eager Celery, console email."""

import email
import email.policy
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from engage.demo import DEMO_SLUG, PERSONAS

REPO = Path(__file__).resolve().parent.parent
# Anything that would switch Engage off its embedded defaults, plus an enclosing make's flags.
UNSET = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "EMAIL_BACKEND", "EMAIL_HOST"}
UNSET |= {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}
DEMO_LOGIN = re.compile(r"Log in as (\S+@\S+) / (\S+)$", re.MULTILINE)
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# What Django's console email backend prints for each message.
CONSOLE_EMAIL = re.compile(r"^(Content-Type: .*?)\n-{79}$", re.DOTALL | re.MULTILINE)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def embedded_server(tmp_path):
    """`make run PORT=…` in its own process group; yields (base URL, server log path, db path)."""
    port, db, log_path = free_port(), tmp_path / "db.sqlite3", tmp_path / "server.log"
    env = {key: value for key, value in os.environ.items() if key not in UNSET}
    env["SQLITE_PATH"] = str(db)
    base = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 120  # migrate, then seed a year of demo data
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"`make run` did not start serving:\n{log_path.read_text()}")
                time.sleep(0.2)
        yield base, log_path, db
        assert process.poll() is None, f"the server died:\n{log_path.read_text()}"
    finally:
        stop(process)


def stop(process):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=10)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def post_form(opener, url, fields):
    """GET a page, then POST its form with the page's CSRF token added."""
    with opener.open(url) as response:
        token = CSRF_FIELD.search(response.read().decode()).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
    with opener.open(url, data=body) as response:
        return response.url, response.read().decode()


def test_make_run_serves_the_demo_embedded(embedded_server):
    base, log_path, db = embedded_server
    assert db.is_file(), "the embedded database was not created at SQLITE_PATH"
    login = DEMO_LOGIN.search(log_path.read_text())
    assert login, f"no demo login in the output:\n{log_path.read_text()}"
    demo_email, password = login.groups()

    with urllib.request.urlopen(f"{base}/healthz") as response:
        assert response.status == 200
        health = json.load(response)
    assert health["database"] == "ok"
    assert "embedded" in health["broker"]

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    home = f"{base}/w/{DEMO_SLUG}/"
    url, html = post_form(
        opener,
        f"{base}/accounts/login/?next=/w/{DEMO_SLUG}/",
        {"username": demo_email, "password": password, "next": f"/w/{DEMO_SLUG}/"},
    )
    assert url == home
    assert "Brightwave onboarding" in html
    for persona in PERSONAS:
        assert persona["name"] in html

    url, html = post_form(
        opener,
        f"{home}members/",
        {"role": "participant", "email": "new.colleague@example.com", "valid_for_days": "14"},
    )
    assert "emailed to new.colleague@example.com" in html
    link = re.search(r'id="invite-url-\d+" value="([^"]+)"', html).group(1)
    assert link.startswith(f"{base}/invite/")
    # No broker: the Celery task ran inside the request and the console backend printed it.
    printed = CONSOLE_EMAIL.findall(log_path.read_text())
    assert len(printed) == 1, f"expected one email in the output:\n{log_path.read_text()}"
    message = email.message_from_string(printed[0], policy=email.policy.default)
    assert message["Subject"] == "You're invited to Brightwave onboarding on Engage"
    assert message["To"] == "new.colleague@example.com"
    assert link in message.get_content()
