"""Password guessing: django-axes counts failed log-ins per email address and client."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.engage.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def priya():
    return UserFactory(email="priya@example.com")


def log_in(client, email, password, ip="203.0.113.7", **headers):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip, **headers
    )


def fail(client, times, email="priya@example.com", **kwargs):
    for _ in range(times):
        log_in(client, email, "wrong password", **kwargs)


def test_five_failures_lock_the_address_out_even_with_the_right_password(client, priya, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = log_in(client, "priya@example.com", "wrong password")
        assert response.status_code == 200
        assert "Please enter a correct" in response.content.decode()
    response = log_in(client, "priya@example.com", "wrong password")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed log-ins for this email address" in page
    assert "paused for 15 minutes" in page
    assert 'name="username"' in page  # the form is still there, with the address filled in
    assert 'value="priya@example.com"' in page

    right = log_in(client, "priya@example.com", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_letter_case_and_spaces_do_not_give_an_attacker_fresh_tries(client, priya):
    for email in (
        "priya@example.com",
        "PRIYA@example.com",
        " Priya@Example.com",
        "priya@EXAMPLE.COM",
    ):
        log_in(client, email, "wrong password")
    response = log_in(client, "Priya@example.COM", "wrong password")

    assert response.status_code == 429
    assert AccessAttempt.objects.get().username == "priya@example.com"


def test_the_lockout_holds_one_address_from_one_client_only(priya):
    attacker, colleague = Client(), Client()
    fail(attacker, 5, ip="198.51.100.9")

    # Priya herself, elsewhere, still gets in; the attacker can't try another account either way.
    assert log_in(colleague, "priya@example.com", PASSWORD, ip="203.0.113.7").status_code == 302
    other = UserFactory(email="omar@example.com")
    assert log_in(attacker, other.email, PASSWORD, ip="198.51.100.9").status_code == 302


def test_a_successful_log_in_clears_the_count(client, priya):
    fail(client, 4)
    assert log_in(client, "priya@example.com", PASSWORD).status_code == 302
    client.post(reverse("logout"))

    fail(client, 4)  # four more: would be nine without the reset
    assert log_in(client, "priya@example.com", PASSWORD).status_code == 302


def test_after_the_cool_off_the_address_may_try_again(client, priya):
    fail(client, 5)
    assert log_in(client, "priya@example.com", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert log_in(client, "priya@example.com", PASSWORD).status_code == 302


def test_an_operator_lifts_a_lockout_with_axes_reset_username(client, priya):
    fail(client, 5)
    call_command("axes_reset_username", "priya@example.com")

    assert log_in(client, "priya@example.com", PASSWORD).status_code == 302


def test_behind_one_proxy_the_client_is_the_address_the_proxy_saw(priya, settings):
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.2"  # every request arrives from the proxy
    attacker, colleague = Client(), Client()
    # A forged first entry does not make a new client: the proxy appends the real one.
    for forged in range(5):
        log_in(
            attacker, "priya@example.com", "nope", ip=proxy,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{forged}, 198.51.100.9",
        )  # fmt: skip
    locked = log_in(
        attacker, "priya@example.com", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert locked.status_code == 429

    other = log_in(
        colleague, "priya@example.com", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert other.status_code == 302


def test_force_login_and_the_test_clients_login_are_not_throttled(client, priya):
    fail(client, 5)
    other = Client()
    assert other.login(username="priya@example.com", password=PASSWORD)
    client.force_login(priya)
    assert client.get(reverse("workspace_list")).status_code == 200


def test_admin_log_in_is_throttled_the_same_way(client, priya):
    for _ in range(5):
        client.post(
            reverse("admin:login"),
            {"username": "priya@example.com", "password": "nope"},
            REMOTE_ADDR="203.0.113.7",
        )
    assert log_in(client, "priya@example.com", PASSWORD).status_code == 429
