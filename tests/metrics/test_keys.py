"""Write keys: the service keeps a digest only; owners create, see once and revoke keys."""

import hashlib

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from engage.roles import Role
from metrics.models import WriteKey
from metrics.services.keys import write_key_authenticate, write_key_create, write_key_revoke


def keys_url(workspace):
    return reverse("metrics:write_keys", kwargs={"workspace": workspace.slug})


def test_a_key_is_stored_as_its_digest_and_shown_by_its_prefix(workspace, owner):
    key, secret = write_key_create(workspace=workspace, name="  Web app ", actor=owner)
    assert secret.startswith("ek_") and len(secret) >= 35
    assert key.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert key.prefix == secret[:10] and key.name == "Web app" and key.created_by == owner
    assert secret not in str(WriteKey.objects.filter(pk=key.pk).values().get())
    found = write_key_authenticate(secret)
    assert (found.id, found.workspace_id) == (key.pk, workspace.pk)
    assert write_key_authenticate(secret[:-1] + "x") is None
    assert write_key_authenticate("") is None


def test_revoking_twice_keeps_the_first_moment_and_the_key_stops_working(workspace):
    key, secret = write_key_create(workspace=workspace, name="Web", actor=None)
    assert write_key_authenticate(secret) is not None  # cached from here on
    first = write_key_revoke(key=key).revoked_at
    assert write_key_revoke(key=key).revoked_at == first
    assert write_key_authenticate(secret) is None


def test_an_owner_creates_a_key_and_sees_it_once_with_the_client_snippet(client, workspace, owner):
    client.force_login(owner)
    response = client.post(keys_url(workspace), {"name": "Web <app>"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    key = WriteKey.objects.get()
    secret = response.context["created"]["secret"]
    assert key.digest == hashlib.sha256(secret.encode()).hexdigest()
    page = response.content.decode()
    assert page.count(secret) == 2  # the field to copy and the snippet
    assert 'analytics.host = "http://testserver/ingest"' in page
    assert "Web &lt;app&gt;" in page and "Web <app>" not in page
    again = client.get(keys_url(workspace)).content.decode()
    assert secret not in again and key.prefix in again


def test_an_empty_name_is_refused(client, workspace, owner):
    client.force_login(owner)
    response = client.post(keys_url(workspace), {"name": " "})
    assert response.status_code == 200 and response.context["created"] is None
    assert not WriteKey.objects.exists()


def test_revoke_asks_first_then_revokes(client, workspace, owner):
    key, _ = write_key_create(workspace=workspace, name="CRM", actor=owner)
    client.force_login(owner)
    url = reverse("metrics:write_key_revoke", kwargs={"workspace": workspace.slug, "key": key.pk})
    confirm = client.get(url)
    assert b"Revoke write key" in confirm.content
    key.refresh_from_db()
    assert key.revoked_at is None
    response = client.post(url)
    assert response.status_code == 302 and response.url == keys_url(workspace)
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert b"revoked" in client.get(keys_url(workspace)).content


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.VIEWER])
def test_only_owners_see_the_link_from_the_metrics_page(client, workspace, member, owner, role):
    index = reverse("metrics:index", kwargs={"workspace": workspace.slug})
    client.force_login(owner)
    assert keys_url(workspace).encode() in client.get(index).content
    client.force_login(member(role))
    assert keys_url(workspace).encode() not in client.get(index).content


def test_the_key_list_costs_a_fixed_number_of_queries(
    client, workspace, owner, django_assert_max_num_queries
):
    for n in range(15):
        write_key_create(workspace=workspace, name=f"Key {n}", actor=owner)
    client.force_login(owner)
    with django_assert_max_num_queries(8):
        client.get(keys_url(workspace))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_keys_page_in_a_browser(browser, live_server, workspace, owner, artifact_path):
    write_key_create(workspace=workspace, name="Old CRM export", actor=owner)
    client = Client()
    client.force_login(owner)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1440, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(reverse("metrics:index", kwargs={"workspace": workspace.slug}))
    page.get_by_role("link", name="Write keys").click()
    page.get_by_label("Name").fill("Web app")
    page.get_by_role("button", name="Create key").click()
    expect(page.get_by_role("heading", name="Key “Web app” created")).to_be_visible()
    secret = page.get_by_label("New write key").input_value()
    assert secret.startswith("ek_") and WriteKey.objects.filter(name="Web app").exists()
    expect(page.locator("#new-key-snippet")).to_contain_text(f'analytics.write_key = "{secret}"')
    page.screenshot(path=artifact_path("write-keys.png"), full_page=True)
    page.get_by_role("link", name="Revoke Old CRM export").click()
    page.get_by_role("button", name="Revoke key").click()
    expect(page.locator("tr", has_text="Old CRM export")).to_contain_text("revoked")
    context.close()
