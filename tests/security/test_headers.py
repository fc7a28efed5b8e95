"""The production headers: Content-Security-Policy without 'unsafe-inline', framing,
sniffing, HSTS, and the session and CSRF cookies. The suite runs with DEBUG off, so these
are the headers production sends (only the HTTPS redirect is off, for the test client)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.engage.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in policy.split(";")
        if directive.strip()
    }


def nonce_of(response) -> str:
    (nonce,) = {
        source[len("'nonce-") : -1]
        for source in csp(response)["script-src"]
        if source.startswith("'nonce-")
    }
    return nonce


def test_scripts_and_styles_run_from_our_origin_or_with_the_requests_nonce_only(client):
    policy = csp(client.get(reverse("login")))

    for directive in ("script-src", "style-src"):
        assert policy[directive][0] == "'self'"
        assert policy[directive][1].startswith("'nonce-")
        assert len(policy[directive]) == 2, policy[directive]  # no 'unsafe-inline', no hosts
    assert "'unsafe-eval'" not in str(policy)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]


def test_each_response_gets_a_fresh_unguessable_nonce(client):
    nonces = {nonce_of(client.get(reverse("login"))) for _ in range(5)}
    assert len(nonces) == 5
    assert all(len(nonce) >= 16 for nonce in nonces)


def test_pages_carry_no_inline_script_and_only_nonced_styles(client, workspace, owner):
    """With 'unsafe-inline' off, an inline script or style without the nonce would not run:
    the pages must not need one."""
    from canvases import services

    canvas = services.canvas_create(
        workspace=workspace, type_slug="empathy_map", created_by=owner, title="Map"
    )
    client.force_login(owner)
    for url in (workspace.get_absolute_url(), canvas.get_absolute_url()):
        response = client.get(url)
        page, nonce = response.content.decode(), nonce_of(response)
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert "src=" in tag, f"inline script on {url}: {tag}"
        for tag in re.findall(r"<style\b[^>]*>", page):
            assert f'nonce="{nonce}"' in tag, f"style without this response's nonce on {url}"
        assert not re.search(r"\son[a-z]+\s*=", page), f"an inline event handler on {url}"
        assert not re.search(r"\sstyle\s*=", page), f"a style attribute on {url}"
        assert f'"inlineScriptNonce": "{nonce}"' in page  # htmx's own inserted styles/scripts


def test_framing_sniffing_referrer_and_opener_are_closed(client):
    response = client.get(reverse("login"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_https_responses_ask_for_https_for_a_year(client):
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_the_session_and_csrf_cookies_are_secure_httponly_and_same_site(client):
    UserFactory(email="priya@example.com")
    client.get(reverse("login"), secure=True)
    response = client.post(
        reverse("login"),
        {"username": "priya@example.com", "password": PASSWORD},
        secure=True,
        HTTP_REFERER="https://testserver/accounts/login/",
    )

    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    assert int(session["max-age"]) == 14 * 24 * 3600
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]  # rotated at log-in
    assert csrf["secure"] and csrf["httponly"]
    assert csrf["samesite"] == "Lax"


def test_a_post_without_the_csrf_token_is_refused(workspace, owner):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    response = strict.post(reverse("persona_create", kwargs={"workspace": workspace.slug}))
    assert response.status_code == 403
