"""Metrics fixtures: a journey with position rules and customers with crafted timelines on
a fixed clock; a real HTTP receiver for webhooks, and the webhook settings the test worker has."""

import datetime as dt
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from metrics.models import PositionRule
from metrics.services.position_rules import position_rule_create
from tests.conftest import WEBHOOK_ENV
from tests.journeys.factories import JourneyFactory, StageFactory, TouchpointFactory
from tests.metrics.factories import CustomerFactory, EventFactory

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(hours: float) -> dt.datetime:
    """The moment `hours` after T0."""
    return T0 + dt.timedelta(hours=hours)


def customer_with(workspace, name: str, *events):
    """A customer and their events: (event name, hours after T0[, properties])."""
    customer = CustomerFactory(workspace=workspace, external_id=name, created_at=T0)
    for event, hours, *properties in events:
        EventFactory(
            customer=customer, event=event, timestamp=at(hours), properties=dict(*properties)
        )
    return customer


@pytest.fixture
def onboarding(workspace):
    """Sign up (24 h expected, stuck at twice that) → Set up (48 h, stuck at 72 h) →
    Activate (no threshold) → Advocate, marked by a sign-up event, a set-up event of a pro
    plan, a purchase and an NPS answer."""
    journey = JourneyFactory(canvas__workspace=workspace, canvas__title="Onboarding")
    signup = StageFactory(journey=journey, name="Sign up", position=0, expected_hours=24)
    setup = StageFactory(
        journey=journey, name="Set up", position=1, expected_hours=48, stuck_hours=72
    )
    activate = StageFactory(journey=journey, name="Activate", position=2)
    advocate = StageFactory(journey=journey, name="Advocate", position=3)
    wizard = TouchpointFactory(stage=setup, name="Setup wizard", channel="in_app")
    position_rule_create(journey=journey, stage=signup, event_name="Signed up")
    position_rule_create(
        journey=journey,
        stage=setup,
        event_name="Setup completed",
        property_key="plan",
        property_value="pro",
        touchpoint=wizard,
    )
    position_rule_create(journey=journey, stage=activate, source=PositionRule.Source.PURCHASE)
    position_rule_create(
        journey=journey, stage=advocate, source=PositionRule.Source.SURVEY, survey_kind="nps"
    )
    return SimpleNamespace(
        journey=journey,
        signup=signup,
        setup=setup,
        activate=activate,
        advocate=advocate,
        wizard=wizard,
    )


# --- Webhooks ---------------------------------------------------------------------

HANG = "hang"


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.monotonic()


class Receiver:
    """An HTTP server on 127.0.0.1 that records every request and answers from a script:
    each request takes the next answer (a status, a (status, headers) pair, or HANG, which
    answers nothing until the test ends); once the script is used up, 200."""

    def __init__(self):
        self.requests: list[Received] = []
        self.script: list = []
        self.lock, self.release = threading.Lock(), threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append(
                        Received(self.path, dict(self.headers), body, time.monotonic())
                    )
                    answer = receiver.script.pop(0) if receiver.script else 200
                if answer == HANG:
                    receiver.release.wait(30)
                    return
                status, headers = answer if isinstance(answer, tuple) else (answer, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                reply = b'{"ok": true}' if status < 300 else b"nope " * 200
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks"

    def answer(self, *answers) -> "Receiver":
        self.script.extend(answers)
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.stop()


@pytest.fixture
def webhook_settings(settings):
    """What the test worker runs with (tests/conftest.py WEBHOOK_ENV), in this process too."""
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = WEBHOOK_ENV["WEBHOOK_ALLOW_PRIVATE_NETWORKS"] == "1"
    settings.WEBHOOK_RETRY_DELAYS = [
        float(delay) for delay in WEBHOOK_ENV["WEBHOOK_RETRY_DELAYS"].split(",")
    ]
    settings.WEBHOOK_TIMEOUT = float(WEBHOOK_ENV["WEBHOOK_TIMEOUT"])
    return settings
