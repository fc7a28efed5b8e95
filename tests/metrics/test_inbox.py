"""The inbox (assign, resolve with a note, filters, policy) and a customer's one picture."""

import datetime as dt

import pytest
from django.urls import reverse

from engage.roles import Role
from metrics.models import Alert, ContactPolicy, NudgeDecision, SocialMention
from metrics.services import alerts as services
from metrics.services.position_runs import position_run
from tests.engage.factories import MembershipFactory
from tests.metrics.conftest import at, customer_with
from tests.metrics.factories import EventFactory, PurchaseFactory, SurveyResponseFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(workspace, name="metrics:inbox", **kwargs):
    return reverse(name, kwargs={"workspace": workspace.slug, **kwargs})


@pytest.fixture
def stalled(workspace, onboarding, facilitator):
    """Three customers behind at sign-up, with alerts assigned to nobody."""
    services.orchestration_rule_create(
        workspace=workspace, actor=facilitator, stage=onboarding.signup, trigger="behind"
    )
    people = [customer_with(workspace, name, ("Signed up", 0)) for name in ("ada", "bob", "cy")]
    customer_with(workspace, "dee", ("Signed up", 0), ("Setup completed", 1, {"plan": "pro"}))
    position_run(workspace=workspace, now=at(30))
    return people


def test_the_inbox_lists_open_alerts_with_where_and_since(client_as, stalled, facilitator):
    page = client_as(facilitator).get(url(stalled[0].workspace)).content.decode()
    assert page.count('class="cx-alert ') == 3
    assert "ada" in page and "dee" not in page
    assert "Sign up</strong> · Onboarding" in page
    assert 'Open <span class="cx-count">3</span>' in page


def test_assigning_answers_htmx_with_the_row_and_a_stale_form_is_refused(
    client_as, stalled, facilitator, alice
):
    alert = Alert.objects.get(customer=stalled[0])
    client = client_as(facilitator)
    assign = url(alert.workspace, "metrics:alert_assign", alert=alert.pk)
    response = client.post(assign, {"assignee": alice.pk, "version": 1}, **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="cx-alert cx-alert-behind" id="alert-{alert.pk}"')
    assert f'<option value="{alice.pk}" selected>' in html
    stale = client.post(assign, {"assignee": "", "version": 1}, **HTMX).content.decode()
    assert "someone changed this alert meanwhile; it is now assigned to Alice" in stale
    alert.refresh_from_db()
    assert alert.assignee == alice
    mine = client_as(alice).get(url(alert.workspace) + "?status=open&assignee=me")
    assert mine.content.decode().count('class="cx-alert ') == 1


def test_resolving_needs_a_note_and_keeps_it(client_as, stalled, facilitator):
    alert = Alert.objects.get(customer=stalled[1])
    client = client_as(facilitator)
    resolve = url(alert.workspace, "metrics:alert_resolve", alert=alert.pk)
    refused = client.post(resolve, {"note": "", "version": 1}, **HTMX).content.decode()
    assert "resolve with a note" in refused
    response = client.post(resolve, {"note": "Called <b>Bob</b>: SSO was off", "version": 1})
    assert response.status_code == 302 and response.url.endswith(f"#alert-{alert.pk}")
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_by) == ("resolved", facilitator)
    resolved = client.get(url(alert.workspace) + "?status=resolved").content.decode()
    assert "Resolved by Fay Facilitator" in resolved
    assert "Called &lt;b&gt;Bob&lt;/b&gt;: SSO was off" in resolved


def test_viewers_read_the_inbox_without_forms_and_cannot_act(client, stalled, workspace):
    viewer = MembershipFactory(workspace=workspace, role=Role.VIEWER).user
    client.force_login(viewer)
    page = client.get(url(workspace)).content.decode()
    assert "ada" in page and "Resolve…" not in page and 'id="assign-' not in page
    alert = Alert.objects.first()
    response = client.post(
        url(workspace, "metrics:alert_resolve", alert=alert.pk), {"note": "x", "version": 1}
    )
    assert response.status_code == 403


def test_the_inbox_s_queries_do_not_grow_with_alerts(
    client_as, stalled, workspace, onboarding, facilitator, django_assert_max_num_queries
):
    client = client_as(facilitator)
    with django_assert_max_num_queries(30) as few:
        client.get(url(workspace))
    for n in range(20):
        customer_with(workspace, f"late-{n}", ("Signed up", 0))
    position_run(workspace=workspace, now=at(31))
    assert Alert.objects.count() == 23
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url(workspace))


def test_only_owners_set_the_contact_policy_and_a_bad_zone_is_refused(
    client_as, workspace, owner, facilitator
):
    form = {
        "quiet_from": "21:00",
        "quiet_until": "07:30",
        "timezone": "Europe/Berlin",
        "max_nudges": 2,
        "per_days": 14,
    }
    policy_url = url(workspace, "metrics:contact_policy")
    assert client_as(facilitator).post(policy_url, form).status_code == 403
    refused = client_as(owner).post(policy_url, form | {"timezone": "Mars/Olympus"})
    assert "is not a time zone" in refused.content.decode()
    assert not ContactPolicy.objects.exists()
    assert client_as(owner).post(policy_url, form).status_code == 302
    policy = ContactPolicy.objects.get(workspace=workspace)
    assert (policy.quiet_from, policy.timezone, policy.max_nudges) == (
        dt.time(21),
        "Europe/Berlin",
        2,
    )


# --- A customer's one picture ---------------------------------------------------------------


@pytest.fixture
def ada(workspace, onboarding, facilitator):
    services.orchestration_rule_create(
        workspace=workspace,
        actor=facilitator,
        stage=onboarding.setup,
        trigger="behind",
        nudge=True,
        nudge_subject="Hi",
        nudge_body="Hi {name}",
    )
    ada = customer_with(
        workspace,
        "ada",
        ("Signed up", 0, {"plan": "pro"}),
        ("Setup completed", 2, {"plan": "pro"}),
        ("Opened <app>", 3),
    )
    ada.email, ada.traits = "ada@example.com", {"name": "Ada L."}
    ada.save()
    EventFactory(customer=ada, event="Called support", channel="phone", timestamp=at(4))
    SurveyResponseFactory(customer=ada, kind="csat", score=2, answered_at=at(5), comment="Slow")
    PurchaseFactory(customer=ada, purchased_at=at(1), amount=99)
    SocialMention.objects.create(
        workspace=workspace,
        platform="LinkedIn",
        posted_at=at(6),
        sentiment="negative",
        author="Ada L.",
        text="Setup is slow",
        key="m1",
    )
    position_run(workspace=workspace, now=at(60))  # behind at set-up since 2 + 48 h
    return ada


def test_a_customer_s_history_shows_everything_newest_first(client_as, ada, alice):
    page = client_as(alice).get(url(ada.workspace, "metrics:customer_detail", customer=ada.pk))
    html = page.content.decode()
    titles = [
        "Alert: behind at Set up",  # 60 h
        "Not nudged",  # 60 h too: no consent
        "Negative mention on LinkedIn",  # 6 h, by her name
        "CSAT 2",  # 5 h
        "Called support",  # 4 h
        "Opened &lt;app&gt;",  # 3 h, escaped
        "Reached Set up of Onboarding",  # 2 h, by the event below
        "Setup completed",
        "Bought for 99.00",  # 1 h
        "Reached Sign up of Onboarding",  # 0 h
        "Signed up",
    ]
    positions = [html.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Did not consent to be contacted" in html
    assert "Behind</span>" in html and "<strong>Set up</strong> · Onboarding" in html
    assert NudgeDecision.objects.filter(customer=ada, reason="no_consent").exists()


def test_the_history_filters_by_channel(client_as, ada, alice):
    response = client_as(alice).get(
        url(ada.workspace, "metrics:customer_detail", customer=ada.pk) + "?channel=phone", **HTMX
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="timeline"')
    assert "Called support" in html and "Signed up" not in html and "Bought" not in html


def test_another_workspace_s_customer_is_not_found(client_as, ada, other_user):
    MembershipFactory(user=other_user)
    response = client_as(other_user).get(
        url(ada.workspace, "metrics:customer_detail", customer=ada.pk)
    )
    assert response.status_code == 404


def test_the_history_s_queries_do_not_grow_with_the_events(
    client_as, ada, alice, django_assert_max_num_queries
):
    client = client_as(alice)
    detail = url(ada.workspace, "metrics:customer_detail", customer=ada.pk)
    with django_assert_max_num_queries(30) as few:
        client.get(detail)
    for hour in range(100):
        EventFactory(customer=ada, event="Viewed page", timestamp=at(7 + hour))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(detail).content.decode()
    assert html.count('class="cx-moment ') == 60 and "Older</a>" in html


def test_customers_are_found_by_id_or_email(client_as, ada, alice):
    page = client_as(alice).get(url(ada.workspace, "metrics:customers") + "?q=ADA@example")
    assert "ada" in page.content.decode()
    none = client_as(alice).get(url(ada.workspace, "metrics:customers") + "?q=zed")
    assert "No customer matches" in none.content.decode()
