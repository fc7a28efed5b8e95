import socket

from django.urls import reverse


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthz_reports_database_and_broker_ok(client, db, settings):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"].startswith("ok")
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_says_503_and_what_is_down_when_redis_is_unreachable(client, db, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"].startswith("down")
    assert response.json()["database"] == "ok"


def test_healthz_reports_embedded_broker_without_redis(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert "embedded" in response.json()["broker"]
