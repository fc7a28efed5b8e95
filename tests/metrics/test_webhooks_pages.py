"""The webhooks page: owners manage endpoints (the secret shown once), everyone who reads
the workspace reads the delivery log; filters, pages, payloads, "Retry now"."""

import datetime as dt
import json

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from engage.roles import Role
from metrics.models import WebhookDelivery, WebhookEndpoint
from metrics.services.webhooks import webhook_endpoint_create, webhook_send
from tests.conftest import wait_for
from tests.engage.factories import MembershipFactory

pytestmark = pytest.mark.usefixtures("webhook_settings")


def page_url(workspace, **query):
    url = reverse("metrics:webhooks", kwargs={"workspace": workspace.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def url(name, workspace, **kwargs):
    return reverse(f"metrics:{name}", kwargs={"workspace": workspace.slug, **kwargs})


@pytest.fixture
def endpoint(workspace, owner):
    endpoint, _ = webhook_endpoint_create(
        workspace=workspace, name="CRM", url="http://127.0.0.1:9/hooks", actor=owner
    )
    return endpoint


def delivery(endpoint, event="customer.stuck", **fields):
    sent = webhook_send(endpoint=endpoint, event=event, data={"customer": "c-1"})
    if fields:
        WebhookDelivery.objects.filter(pk=sent.pk).update(**fields)
        sent.refresh_from_db()
    return sent


def test_an_owner_adds_an_endpoint_and_sees_its_secret_once(client, workspace, owner):
    client.force_login(owner)
    response = client.post(
        page_url(workspace), {"name": "CRM <prod>", "url": "http://127.0.0.1:9/hooks"}
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.name == "CRM <prod>" and endpoint.created_by == owner
    page = response.content.decode()
    assert page.count(endpoint.secret) == 1 and endpoint.secret.startswith("whsec_")
    assert "Endpoint “CRM &lt;prod&gt;” created" in page
    again = client.get(page_url(workspace)).content.decode()
    assert endpoint.secret not in again and f"{endpoint.secret[:10]}…" in again


def test_an_endpoint_inside_the_network_is_refused_with_a_message(
    client, workspace, owner, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    client.force_login(owner)
    response = client.post(
        page_url(workspace), {"name": "Metadata", "url": "http://169.254.169.254/latest"}
    )
    assert response.status_code == 200 and "secret" not in response.context
    assert "169.254.169.254 is a link-local address" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()
    response = client.post(page_url(workspace), {"name": "FTP", "url": "ftp://example.com/x"})
    assert "Only http:// and https:// addresses can receive webhooks." in response.content.decode()


def test_rotating_asks_first_then_shows_the_new_secret_once(client, workspace, owner, endpoint):
    old = endpoint.secret
    client.force_login(owner)
    rotate = url("webhook_rotate", workspace, endpoint=endpoint.pk)
    assert "Rotate the signing secret of “CRM”?" in client.get(rotate).content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret == old
    response = client.post(rotate)
    endpoint.refresh_from_db()
    assert endpoint.secret != old and response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert endpoint.secret in page and old not in page
    assert "New signing secret for “CRM”" in page
    assert endpoint.secret not in client.get(page_url(workspace)).content.decode()


def test_disable_enable_and_send_a_test(client, workspace, owner, endpoint):
    client.force_login(owner)
    active = url("webhook_active", workspace, endpoint=endpoint.pk)
    response = client.post(active)
    endpoint.refresh_from_db()
    assert response.status_code == 302 and not endpoint.is_active
    test = url("webhook_test", workspace, endpoint=endpoint.pk)
    response = client.post(test, follow=True)
    assert "Enable the endpoint before sending it a test event." in response.content.decode()
    assert not WebhookDelivery.objects.exists()
    client.post(active, {"active": "1"})
    endpoint.refresh_from_db()
    assert endpoint.is_active
    response = client.post(test, follow=True)
    assert "A test event is on its way to “CRM”." in response.content.decode()
    sent = WebhookDelivery.objects.get()
    assert (sent.event, sent.status, sent.endpoint) == ("webhook.test", "pending", endpoint)


def test_the_log_shows_attempts_answers_and_next_attempts_newest_first(
    client, workspace, member, endpoint
):
    soon = timezone.now() + dt.timedelta(minutes=2)
    delivery(endpoint, "customer.behind", status="delivered", attempts=1, last_status_code=204)
    delivery(
        endpoint,
        "customer.stuck",
        status="retrying",
        attempts=3,
        last_status_code=503,
        last_error="No answer within 10 s.",
        next_attempt_at=soon,
    )
    client.force_login(member(Role.VIEWER))
    response = client.get(page_url(workspace))
    rows = response.context["deliveries"]
    assert [d.event for d in rows] == ["customer.stuck", "customer.behind"]
    page = response.content.decode()
    stuck = page[page.index(f'id="delivery-{rows[0].pk}"') :]
    stuck = stuck[: stuck.index("</tr>")]
    assert ">retrying<" in stuck and '<td class="text-end">3</td>' in stuck
    assert "503" in stuck and "No answer within 10 s." in stuck
    assert f'datetime="{soon.isoformat()}"' in stuck
    # A viewer reads, and is offered nothing to change.
    assert "Retry now" not in page and "Add an endpoint" not in page and "Rotate" not in page


def test_the_log_filters_by_endpoint_and_status_and_pages(client, workspace, owner, endpoint):
    other, _ = webhook_endpoint_create(
        workspace=workspace, name="Slack", url="http://127.0.0.1:9/slack", actor=owner
    )
    for n in range(30):
        delivery(endpoint, f"event.n{n}", status="delivered")
    delivery(endpoint, "event.failed", status="failed")
    delivery(other, "event.slack")
    client.force_login(owner)
    first = client.get(page_url(workspace)).context["deliveries"]
    assert first.paginator.count == 32 and len(first) == 25
    assert first[0].event == "event.slack"
    second = client.get(page_url(workspace, page=2)).context["deliveries"]
    assert [d.event for d in second] == [f"event.n{n}" for n in range(6, -1, -1)]
    only = client.get(page_url(workspace, endpoint=other.pk)).context["deliveries"]
    assert [d.event for d in only] == ["event.slack"]
    failed = client.get(page_url(workspace, status="failed", endpoint=endpoint.pk))
    assert [d.event for d in failed.context["deliveries"]] == ["event.failed"]
    assert 'href="?endpoint=' not in failed.content.decode()  # one page: no page links
    paged = client.get(page_url(workspace, status="delivered")).content.decode()
    assert 'href="?status=delivered&amp;page=2"' in paged
    nothing = client.get(page_url(workspace, status="retrying")).content.decode()
    assert "No deliveries match" in nothing
    ignored = client.get(page_url(workspace, status="lost", endpoint="x")).context
    assert ignored["deliveries"].paginator.count == 32


def test_filters_over_htmx_swap_the_log_only(client, workspace, owner, endpoint):
    delivery(endpoint)
    client.force_login(owner)
    response = client.get(page_url(workspace, status="pending"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="webhook-log"')
    assert "customer.stuck" in page and "Add an endpoint" not in page
    assert "HX-Request" in response["Vary"]


def test_a_deliverys_payload_on_its_own_page_and_inline(client, workspace, member, endpoint):
    sent = delivery(endpoint, status="failed", last_response="Bad <token>", last_status_code=401)
    client.force_login(member(Role.VIEWER))
    detail = url("webhook_delivery", workspace, delivery=sent.pk)
    page = client.get(detail).content.decode()
    assert str(sent.uuid) in page and "Bad &lt;token&gt;" in page
    assert "&quot;customer&quot;: &quot;c-1&quot;" in page
    body = json.loads(client.get(detail).context["body"])
    assert body["id"] == str(sent.uuid) and body["workspace"] == workspace.slug
    inline = client.get(detail, HTTP_HX_REQUEST="true").content.decode()
    assert inline.startswith('<tr class="webhook-detail-row">') and "<html" not in inline


def test_retry_now_queues_a_failed_delivery_again_and_keeps_the_filters(
    client, workspace, owner, endpoint
):
    failed = delivery(endpoint, status="failed", attempts=6, attempts_allowed=6)
    client.force_login(owner)
    retry = url("webhook_retry", workspace, delivery=failed.pk)
    response = client.post(retry, {"query": "status=failed&page=2&evil=1"})
    assert response.status_code == 302
    assert response.url == page_url(workspace) + "?status=failed&page=2"
    failed.refresh_from_db()
    assert failed.status == "retrying" and failed.attempts_allowed == 7
    assert failed.next_attempt_at <= timezone.now()
    response = client.post(retry, follow=True)  # no longer failed: refused, with why
    assert response.status_code == 200
    delivered = delivery(endpoint, status="delivered")
    response = client.post(url("webhook_retry", workspace, delivery=delivered.pk), follow=True)
    assert "This delivery is delivered, or being attempted right now." in response.content.decode()


def test_only_owners_manage_and_viewers_read(client, workspace, member, endpoint):
    sent = delivery(endpoint, status="failed")
    for role in (Role.FACILITATOR, Role.VIEWER):
        client.force_login(member(role))
        assert client.get(page_url(workspace)).status_code == 200
        post = client.post(page_url(workspace), {"name": "X", "url": "http://127.0.0.1:9/x"})
        assert post.status_code == 403
        for name, kwargs in [
            ("webhook_rotate", {"endpoint": endpoint.pk}),
            ("webhook_active", {"endpoint": endpoint.pk}),
            ("webhook_test", {"endpoint": endpoint.pk}),
            ("webhook_retry", {"delivery": sent.pk}),
        ]:
            assert client.post(url(name, workspace, **kwargs)).status_code == 403
    assert WebhookEndpoint.objects.count() == 1


def test_another_workspaces_delivery_and_endpoint_are_404(client, workspace, endpoint):
    sent = delivery(endpoint)
    stranger = MembershipFactory(role=Role.OWNER)
    client.force_login(stranger.user)
    theirs = stranger.workspace
    assert client.get(url("webhook_delivery", theirs, delivery=sent.pk)).status_code == 404
    assert client.post(url("webhook_retry", theirs, delivery=sent.pk)).status_code == 404
    assert client.post(url("webhook_rotate", theirs, endpoint=endpoint.pk)).status_code == 404
    assert "customer.stuck" not in client.get(page_url(theirs)).content.decode()
    assert client.get(page_url(workspace)).status_code == 404


def test_the_dashboard_links_to_the_webhooks_for_everyone(client, workspace, member):
    client.force_login(member(Role.VIEWER))
    index = url("index", workspace)
    assert page_url(workspace).encode() in client.get(index).content


def test_the_page_costs_the_same_queries_whatever_the_number_of_deliveries(
    client, workspace, owner, endpoint
):
    client.force_login(owner)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(workspace)).status_code == 200
        return len(captured)

    delivery(endpoint, status="delivered")
    few = queries()
    for n in range(60):
        delivery(endpoint, f"event.n{n}", status="failed", last_error="Connection refused.")
    assert queries() == few <= 8


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker")
def test_the_webhooks_page_in_a_browser(
    browser, live_server, workspace, owner, receiver, artifact_path
):
    client = Client()
    client.force_login(owner)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1440, "height": 900})
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(url("index", workspace))
    page.get_by_role("link", name="Webhooks").click()
    page.get_by_label("Name").fill("CRM")
    page.get_by_label("URL").fill(receiver.url)
    page.get_by_role("button", name="Add endpoint").click()
    expect(page.get_by_role("heading", name="Endpoint “CRM” created")).to_be_visible()
    secret = page.get_by_label("Signing secret").input_value()
    assert secret == WebhookEndpoint.objects.get().secret
    page.get_by_role("button", name="Send a test event to CRM").click()
    expect(page.get_by_role("status")).to_contain_text("A test event is on its way")
    wait_for(lambda: WebhookDelivery.objects.filter(status="delivered").exists())
    page.reload()
    row = page.locator("#webhook-log tbody tr").first
    expect(row).to_contain_text("webhook.test")
    expect(row).to_contain_text("delivered")
    row.get_by_role("link", name="Payload").click()
    expect(page.locator(".webhook-detail-row")).to_contain_text("A test event from Engage")
    page.screenshot(path=artifact_path("webhooks.png"), full_page=True)
    context.close()
