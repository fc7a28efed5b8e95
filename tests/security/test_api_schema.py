"""Schemathesis against the event API's own OpenAPI description, in process through the
WSGI app with a valid write key: generated batches and single messages (valid and
not), and never a server error; every answer keeps to the description's statuses,
content types and bodies."""

import base64

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from engage.wsgi import application
from metrics.services.keys import write_key_create

with override_settings(ALLOWED_HOSTS=["localhost"]):  # the host schemathesis sends
    schema = schemathesis.openapi.from_wsgi("/ingest/openapi.json", application)


@pytest.fixture
def keep_connection():
    """The raw WSGI app closes the database connection after each request, as in
    production; the test's transaction lives on it (Django's test client does the same)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def key(workspace, keep_connection, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    _, secret = write_key_create(workspace=workspace, name="Schemathesis", actor=None)
    return secret


@schema.parametrize()
@hypothesis_settings(max_examples=hypothesis_settings.default.max_examples // 3)  # ci: 20
@override_settings(INGEST_RATE_PER_SECOND=10**6)
def test_the_event_api_never_fails_on_any_request_its_description_allows(case, key):
    auth = base64.b64encode(f"{key}:".encode()).decode()
    case.call_and_validate(
        headers={"Authorization": f"Basic {auth}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
