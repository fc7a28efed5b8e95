"""Webhook deliveries, one attempt at a time, against a real HTTP receiver on 127.0.0.1:
what is sent and signed, what each answer leads to, and the addresses that are refused."""

import datetime as dt
import json
import ssl
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from metrics.models import WebhookDelivery, WebhookEndpoint
from metrics.services.webhooks import (
    WebhookRefused,
    webhook_attempt,
    webhook_endpoint_create,
    webhook_endpoint_rotate_secret,
    webhook_endpoint_set_active,
    webhook_endpoint_test,
    webhook_retry,
    webhook_send,
)
from metrics.tasks import deliver_webhook
from metrics.webhooks.signing import sign, verify
from metrics.webhooks.transport import check_url
from tests.metrics.conftest import HANG, Receiver

pytestmark = pytest.mark.usefixtures("webhook_settings")


@pytest.fixture
def endpoint(workspace, owner, receiver):
    endpoint, _secret = webhook_endpoint_create(
        workspace=workspace, name="CRM", url=receiver.url, actor=owner
    )
    return endpoint


def send(endpoint, event="customer.stuck", data=None):
    return webhook_send(endpoint=endpoint, event=event, data=data or {"customer": "c-42"})


def test_a_delivery_is_signed_json_the_receiver_verifies(endpoint, receiver, workspace):
    delivery = webhook_attempt(send(endpoint, data={"customer": "c-42", "stage": "Onboard"}))
    assert delivery.status == "delivered" and delivery.attempts == 1
    assert delivery.last_status_code == 200 and delivery.last_response == '{"ok": true}'
    [request] = receiver.requests
    assert request.path == "/hooks"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == "Engage-Webhooks/1"
    assert request.headers["X-Engage-Event"] == "customer.stuck"
    assert request.headers["X-Engage-Delivery"] == str(delivery.uuid)
    body = json.loads(request.body)
    assert body == {
        "id": str(delivery.uuid),
        "event": "customer.stuck",
        "created_at": body["created_at"],
        "workspace": workspace.slug,
        "data": {"customer": "c-42", "stage": "Onboard"},
    }
    assert dt.datetime.fromisoformat(body["created_at"]) == delivery.created_at
    signature = request.headers["X-Engage-Signature"]
    assert verify(endpoint.secret, request.body, signature)
    assert not verify(endpoint.secret, request.body.replace(b"c-42", b"c-43"), signature)
    assert not verify("whsec_someone-else", request.body, signature)
    endpoint.refresh_from_db()
    assert (endpoint.last_status, endpoint.last_status_code) == ("delivered", 200)


def test_a_rotated_secret_signs_the_next_attempt(endpoint, receiver):
    old = endpoint.secret
    delivery = send(endpoint)
    new = webhook_endpoint_rotate_secret(endpoint=endpoint)
    assert new != old and new.startswith("whsec_") and endpoint.secret_rotated_at
    webhook_attempt(delivery)
    [request] = receiver.requests
    assert verify(new, request.body, request.headers["X-Engage-Signature"])
    assert not verify(old, request.body, request.headers["X-Engage-Signature"])


def waited(delivery) -> float:
    """Seconds from the start of the last attempt to the next one (its POST comes between)."""
    return (delivery.next_attempt_at - delivery.last_attempt_at).total_seconds()


def test_a_server_error_is_tried_again_later_with_the_same_body(endpoint, receiver, settings):
    settings.WEBHOOK_RETRY_DELAYS = [30, 600]
    receiver.answer(500)
    delivery = webhook_attempt(send(endpoint))
    assert delivery.status == "retrying" and delivery.attempts == 1
    assert delivery.last_status_code == 500 and delivery.last_error == ""
    assert delivery.last_response == "nope " * 100  # the first 500 characters
    assert 27 <= waited(delivery) <= 34  # the first step of the schedule ± 10 %
    assert webhook_attempt(delivery) is None  # not due yet: nothing sent
    assert len(receiver.requests) == 1
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    delivery = webhook_attempt(delivery)
    assert delivery.status == "delivered" and delivery.attempts == 2
    assert delivery.last_error == "" and delivery.delivered_at
    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers["X-Engage-Delivery"] == second.headers["X-Engage-Delivery"]


def test_429_waits_as_long_as_retry_after_says(endpoint, receiver):
    receiver.answer((429, {"Retry-After": "120"}))
    delivery = webhook_attempt(send(endpoint))
    assert delivery.status == "retrying"
    assert 120 <= waited(delivery) < 124


def test_after_the_last_retry_the_delivery_has_failed(endpoint, receiver):
    receiver.answer(503, 502, 500, 504)
    delivery = send(endpoint)
    assert delivery.attempts_allowed == 4  # three delays, so four attempts
    for _ in range(4):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        delivery = webhook_attempt(delivery)
    assert delivery.status == "failed" and delivery.attempts == 4
    assert delivery.next_attempt_at is None and delivery.last_status_code == 504
    assert len(receiver.requests) == 4
    assert webhook_attempt(delivery) is None


@pytest.mark.parametrize("status", [400, 401, 404, 410, 422])
def test_a_permanent_client_error_fails_at_once(endpoint, receiver, status):
    receiver.answer(status)
    delivery = webhook_attempt(send(endpoint))
    assert delivery.status == "failed" and delivery.attempts == 1
    assert delivery.next_attempt_at is None and delivery.last_status_code == status
    assert len(receiver.requests) == 1


def test_a_redirect_is_not_followed(endpoint, receiver):
    receiver.answer((302, {"Location": receiver.url + "/elsewhere"}))
    delivery = webhook_attempt(send(endpoint))
    assert delivery.status == "failed" and delivery.last_status_code == 302
    assert delivery.last_error == f"Redirect to {receiver.url}/elsewhere not followed."
    assert [request.path for request in receiver.requests] == ["/hooks"]


def test_a_receiver_that_does_not_answer_times_out_and_is_tried_again(endpoint, receiver, settings):
    settings.WEBHOOK_TIMEOUT = 0.5
    receiver.answer(HANG)
    started = time.monotonic()
    delivery = webhook_attempt(send(endpoint))
    assert time.monotonic() - started < 10  # the receiver would hang for 30 s
    assert delivery.status == "retrying" and delivery.last_error == "No answer within 0.5 s."
    assert delivery.last_status_code is None


def test_a_closed_port_is_tried_again(workspace, endpoint, receiver):
    port = receiver.server.server_port
    receiver.stop()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=f"http://127.0.0.1:{port}/")
    delivery = webhook_attempt(send(endpoint))
    assert delivery.status == "retrying" and delivery.last_error == "Connection refused."


def test_events_for_a_disabled_endpoint_are_logged_not_sent_and_can_be_retried(endpoint, receiver):
    webhook_endpoint_set_active(endpoint=endpoint, active=False)
    delivery = send(endpoint)
    assert delivery.status == "failed" and delivery.attempts == 0
    assert delivery.last_error == "Not sent: the endpoint was disabled."
    with pytest.raises(WebhookRefused, match="Enable the endpoint"):
        webhook_retry(delivery=delivery)
    with pytest.raises(WebhookRefused, match="Enable the endpoint"):
        webhook_endpoint_test(endpoint=endpoint)
    webhook_endpoint_set_active(endpoint=endpoint, active=True)
    delivery = webhook_attempt(webhook_retry(delivery=delivery))
    assert delivery.status == "delivered" and len(receiver.requests) == 1


def test_a_delivery_waiting_when_its_endpoint_is_disabled_fails_unsent(endpoint, receiver):
    delivery = send(endpoint)
    webhook_endpoint_set_active(endpoint=endpoint, active=False)
    delivery = webhook_attempt(delivery)
    assert delivery.status == "failed" and delivery.last_error == "The endpoint is disabled."
    assert receiver.requests == []


def test_retry_now_makes_one_more_attempt_of_a_failed_delivery(endpoint, receiver):
    receiver.answer(410, 500)
    delivery = webhook_attempt(send(endpoint))
    assert delivery.status == "failed"
    delivery = webhook_retry(delivery=delivery)
    assert delivery.status == "retrying" and delivery.attempts_allowed == 2
    delivery = webhook_attempt(delivery)
    assert delivery.status == "failed" and delivery.attempts == 2  # 500, but no more tries
    assert len(receiver.requests) == 2
    delivery = webhook_attempt(webhook_retry(delivery=delivery))
    assert delivery.status == "delivered" and delivery.attempts == 3
    with pytest.raises(WebhookRefused, match="delivered"):
        webhook_retry(delivery=delivery)


def test_retry_now_brings_a_waiting_retry_forward(endpoint, receiver):
    receiver.answer(500)
    delivery = webhook_attempt(send(endpoint))
    assert delivery.next_attempt_at > timezone.now()
    delivery = webhook_attempt(webhook_retry(delivery=delivery))
    assert delivery.status == "delivered" and delivery.attempts == 2


def test_a_delivery_someone_is_attempting_is_left_alone(endpoint, receiver):
    delivery = send(endpoint)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        claimed_until=timezone.now() + dt.timedelta(minutes=5)
    )
    assert webhook_attempt(delivery) is None
    with pytest.raises(WebhookRefused):
        webhook_retry(delivery=delivery)
    assert receiver.requests == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_attempting_one_delivery_send_it_once(workspace, endpoint, receiver):
    # As webhook_send stores it, without queueing a task that could take it first.
    delivery = WebhookDelivery.objects.create(
        workspace=workspace,
        endpoint=endpoint,
        event="customer.stuck",
        attempts_allowed=4,
        next_attempt_at=timezone.now(),
    )
    start = threading.Barrier(4)
    results = []

    def attempt():
        try:
            start.wait()
            results.append(webhook_attempt(WebhookDelivery.objects.get(pk=delivery.pk)))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(receiver.requests) == 1 and results.count(None) == 3
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 1


@pytest.fixture
def eager():
    """Tasks run in this process at once, as when Engage runs embedded (no REDIS_URL)."""
    conf = deliver_webhook.app.conf
    before, conf.task_always_eager = conf.task_always_eager, True
    yield
    conf.task_always_eager = before


@pytest.mark.usefixtures("eager")
def test_without_a_broker_a_retry_waits_instead_of_blocking_the_request(
    endpoint, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_DELAYS = [30, 60]
    receiver.answer(500)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        delivery = send(endpoint)
    assert time.monotonic() - started < 10  # one attempt, not a 30 s sleep for the retry
    delivery.refresh_from_db()
    assert delivery.status == "retrying" and delivery.attempts == 1
    assert 27 <= waited(delivery) <= 34
    assert len(receiver.requests) == 1


# --- What may be sent, and where --------------------------------------------------------


@pytest.mark.parametrize(
    "event,data,message",
    [
        ("Customer Stuck", {}, "lower-case"),
        ("", {}, "lower-case"),
        ("x" * 101, {}, "lower-case"),
        ("customer.stuck", ["not", "a", "dict"], "must be a dict"),
        ("customer.stuck", {"when": object()}, "JSON-serialisable"),
        ("customer.stuck", {"blob": "x" * 70_000}, "the limit is 65536"),
    ],
)
def test_bad_events_are_refused_and_nothing_is_stored(endpoint, event, data, message):
    with pytest.raises(ValueError, match=message):
        webhook_send(endpoint=endpoint, event=event, data=data)
    assert not WebhookDelivery.objects.exists()


def test_dates_and_decimals_in_data_are_sent_as_strings(endpoint, receiver):
    from decimal import Decimal

    data = {"since": dt.date(2026, 3, 1), "value": Decimal("12.50"), "ref": uuid.UUID(int=1)}
    webhook_attempt(send(endpoint, data=data))
    sent = json.loads(receiver.requests[0].body)["data"]
    assert sent == {
        "since": "2026-03-01",
        "value": "12.50",
        "ref": "00000000-0000-0000-0000-000000000001",
    }


def test_the_test_event(endpoint, receiver):
    delivery = webhook_attempt(webhook_endpoint_test(endpoint=endpoint))
    assert delivery.status == "delivered" and delivery.event == "webhook.test"
    assert receiver.requests[0].headers["X-Engage-Event"] == "webhook.test"


PRIVATE_URLS = [
    ("http://127.0.0.1:8000/hook", "loopback"),
    ("http://localhost/hook", "loopback"),
    ("http://[::1]/hook", "loopback"),
    ("http://10.0.0.7/hook", "private"),
    ("http://192.168.1.20/hook", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[fe80::1]/hook", "link-local"),
    ("http://0.0.0.0/hook", "private"),
    ("http://[::ffff:127.0.0.1]/hook", "loopback"),
    ("http://100.64.0.1/hook", "reserved"),
    ("http://224.0.0.1/hook", "multicast"),
]


@pytest.mark.parametrize("url,kind", PRIVATE_URLS)
def test_private_addresses_are_refused_at_save_when_the_setting_is_off(
    workspace, settings, url, kind
):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    with pytest.raises(ValidationError, match=f"is a {kind} address"):
        webhook_endpoint_create(workspace=workspace, name="Inside", url=url, actor=None)
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "url,message",
    [
        ("ftp://example.com/hook", "Only http:// and https://"),
        ("file:///etc/passwd", "Only http:// and https://"),
        ("https:///hook", "no host name"),
        ("https://user:secret@93.184.215.14/hook", "Leave credentials out"),
        ("https://93.184.215.14:99999/hook", "port is not valid"),
    ],
)
def test_addresses_that_are_not_plain_http_are_refused(workspace, url, message):
    with pytest.raises(ValidationError, match=message):
        webhook_endpoint_create(workspace=workspace, name="Odd", url=url, actor=None)


def test_an_endpoint_needs_a_name_and_a_url_that_fits(workspace, receiver):
    with pytest.raises(ValidationError, match="name"):
        webhook_endpoint_create(workspace=workspace, name="  ", url=receiver.url, actor=None)
    with pytest.raises(ValidationError, match="at most 500 characters"):
        long = f"{receiver.url}?{'x' * 500}"
        webhook_endpoint_create(workspace=workspace, name="Long", url=long, actor=None)
    assert not WebhookEndpoint.objects.exists()


def test_a_public_address_passes_the_check():
    check_url("https://93.184.215.14/hooks", allow_private=False)
    check_url("https://[2606:4700:4700::1111]:8443/hooks", allow_private=False)


def test_a_private_address_is_refused_at_send_too(endpoint, receiver, settings):
    """Saved while allowed (or before its name pointed inside): refused when it is sent."""
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    delivery = webhook_attempt(send(endpoint))
    assert delivery.status == "failed" and delivery.attempts == 1
    assert delivery.last_error.startswith("127.0.0.1 is a loopback address")
    assert receiver.requests == []


def readme_verifier():
    """The receiver's snippet from README.md "Webhooks", as a function."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("## Webhooks") :]
    code = section[section.index("```python\n") + 10 :]
    namespace = {}
    exec(code[: code.index("```")], namespace)
    return namespace["verify_engage_signature"]


def test_the_readme_snippet_verifies_a_real_delivery(endpoint, receiver):
    verify_engage_signature = readme_verifier()
    webhook_attempt(send(endpoint))
    [request] = receiver.requests
    header = request.headers["X-Engage-Signature"]
    assert verify_engage_signature(endpoint.secret, request.body, header)
    assert not verify_engage_signature(endpoint.secret, request.body + b" ", header)
    assert not verify_engage_signature("whsec_wrong", request.body, header)
    stamp = int(header.split(",")[0].removeprefix("t="))
    replayed = sign(endpoint.secret, request.body, stamp - 301)
    assert not verify_engage_signature(endpoint.secret, request.body, replayed)


@pytest.fixture
def tls_receiver(tmp_path):
    """The receiver over HTTPS, with a self-signed certificate for 127.0.0.1."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    receiver = Receiver()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    receiver.server.socket = context.wrap_socket(receiver.server.socket, server_side=True)
    receiver.thread.start()
    yield receiver, cert
    receiver.stop()


def test_https_verifies_the_certificate(workspace, tls_receiver, monkeypatch):
    receiver, cert = tls_receiver
    url = receiver.url.replace("http://", "https://")
    endpoint, _ = webhook_endpoint_create(workspace=workspace, name="TLS", url=url, actor=None)
    delivery = webhook_attempt(send(endpoint))
    assert delivery.status == "retrying" and receiver.requests == []
    assert delivery.last_error.startswith("TLS certificate refused: self-signed certificate")
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # now trusted, as a real CA's would be
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    delivery = webhook_attempt(delivery)
    assert delivery.status == "delivered" and len(receiver.requests) == 1
    [request] = receiver.requests
    assert verify(endpoint.secret, request.body, request.headers["X-Engage-Signature"])
