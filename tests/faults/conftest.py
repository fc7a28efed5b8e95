"""Fault fixtures: servers a test owns (to stop, kill or restart) and people who talk to
the app over HTTP, as browsers do, while it runs as its own processes."""

import os
import secrets
import time

import pytest
import requests

from tests.servers import RedisServer


@pytest.fixture
def own_redis(tmp_path):
    """A Redis of this test's own, on a port of its own: stop it, start it again."""
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def own_queue_name():
    return f"fault-{os.getpid()}-{time.monotonic_ns()}"


class Visitor:
    """A logged-in person's browser against a server process: cookies, CSRF, htmx headers."""

    def __init__(self, base_url: str, session_key: str):
        self.base_url = base_url
        self.http = requests.Session()
        token = secrets.token_hex(16)  # a CSRF secret both in the cookie and in the header
        self.http.cookies.set("sessionid", session_key)
        self.http.cookies.set("csrftoken", token)
        self.http.headers["X-CSRFToken"] = token

    def get(self, path: str, *, htmx: bool = False, **kwargs) -> requests.Response:
        headers = {"HX-Request": "true"} if htmx else {}
        return self.http.get(self.base_url + path, headers=headers, timeout=30, **kwargs)

    def post(self, path: str, data=None, *, htmx: bool = False, **kwargs) -> requests.Response:
        headers = {"HX-Request": "true"} if htmx else {}
        return self.http.post(
            self.base_url + path, data=data, headers=headers, timeout=60, **kwargs
        )


@pytest.fixture
def visitor(client):
    """visitor(server_url, user) → that user's Visitor, signed in through the test database."""

    def make(base_url: str, user) -> Visitor:
        client.force_login(user)
        return Visitor(base_url, client.cookies["sessionid"].value)

    return make
