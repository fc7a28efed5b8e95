"""Walk every URL of the project with every kind of visitor.

Each URL name must appear in exactly one table below; a new view that is not
listed fails `test_every_url_is_classified`, and a view that forgets its access
check fails the sweeps.
"""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from canvases import services as canvas_services
from canvases.models import CanvasPack
from engage.models import Transfer
from engage.roles import Capability, Role, role_can
from engage.selectors import invitation_signed_token
from journeys import services as journey_services
from journeys.ecosystem import services as ecosystem_services
from journeys.models import JobState
from metrics.models import DataImport, MetricsRun, WebhookDelivery, WebhookEndpoint
from metrics.services import keys as key_services
from metrics.services import okrs as okr_services
from metrics.services.position_rules import position_rule_create
from tests.engage.factories import (
    InvitationFactory,
    JobFactory,
    MembershipFactory,
    PersonaFactory,
    SegmentFactory,
    WorkspaceFactory,
)
from tests.metrics.factories import AlertFactory

V, P, R, E, M = (
    Capability.VIEW,
    Capability.PARTICIPATE,
    Capability.REVIEW,
    Capability.EDIT,
    Capability.MANAGE,
)

# URL name -> (capability needed to GET, capability needed to POST); None = method not offered.
WORKSPACE_URLS = {
    "workspace_home": (V, None),
    "workspace_settings": (M, M),
    "workspace_delete": (M, M),
    "workspace_export": (M, M),
    "workspace_export_download": (M, None),
    "persona_list": (V, E),
    "persona_create": (E, E),
    "persona_detail": (V, None),
    "persona_edit": (E, E),
    "persona_delete": (E, E),
    "persona_avatar": (V, None),
    "job_list": (V, E),
    "job_create": (E, E),
    "job_detail": (V, None),
    "job_edit": (E, E),
    "job_delete": (E, E),
    "segment_list": (V, E),
    "segment_edit": (E, E),
    "segment_delete": (E, E),
    "member_list": (V, M),
    "member_role": (None, M),
    "member_remove": (None, M),
    "invitation_revoke": (None, M),
    "canvases:index": (V, E),
    "canvases:board": (V, None),
    "canvases:board_poll": (V, None),
    "canvases:board_undo": (None, P),
    "canvases:board_facilitate": (None, E),
    "canvases:note_vote": (None, P),
    "canvases:canvas_copy": (None, E),
    "canvases:canvas_history": (V, None),
    "canvases:canvas_pdf": (V, None),
    "canvases:field_update": (None, E),
    "canvases:note_add": (None, P),
    "canvases:note_detail": (V, P),
    "canvases:note_move": (V, P),
    "canvases:note_delete": (None, P),
    "canvases:note_restore": (None, P),
    "canvases:panel_options": (V, None),
    "canvases:filter_row_add": (None, P),
    "canvases:filter_row_update": (None, P),
    "canvases:filter_row_remove": (None, P),
    "canvases:item_add": (None, P),
    "canvases:item_update": (None, P),
    "canvases:item_remove": (None, P),
    "canvases:item_decide": (None, R),
    "canvases:survey_import": (None, E),
    "canvases:pack_list": (V, V),
    "canvases:pack_progress": (V, None),
    "canvases:pack_download": (V, None),
    "canvases:pack_delete": (None, M),
    "canvases:pack_retry": (None, V),
    "canvases:bdn_node_add": (None, P),
    "canvases:bdn_node_change": (None, P),
    "canvases:bdn_node_remove": (None, P),
    "canvases:bdn_link_add": (None, P),
    "canvases:bdn_link_remove": (None, P),
    "canvases:job_trace": (V, None),
    "journeys:index": (V, E),
    "journeys:journey_update": (None, E),
    "journeys:stage_add": (None, E),
    "journeys:stage_detail": (V, E),
    "journeys:stage_update": (None, E),
    "journeys:stage_emotion": (None, P),
    "journeys:touchpoint_add": (None, P),
    "journeys:touchpoint_update": (None, P),
    "journeys:touchpoint_remove": (None, P),
    "journeys:data_need_add": (None, P),
    "journeys:data_need_remove": (None, P),
    "journeys:ecosystem_party_add": (None, P),
    "journeys:ecosystem_party_change": (None, P),
    "journeys:ecosystem_party_move": (None, P),
    "journeys:ecosystem_party_remove": (None, P),
    "journeys:ecosystem_dimension_add": (None, E),
    "journeys:ecosystem_dimension_rename": (None, E),
    "journeys:ecosystem_dimension_remove": (None, E),
    "journeys:digital_mix": (V, E),
    "journeys:digital_mix_pdf": (V, None),
    "journeys:job_machine": (V, E),
    "journeys:job_machine_pdf": (V, None),
    "metrics:index": (V, None),
    "metrics:imports": (V, E),
    "metrics:import_progress": (V, None),
    "metrics:import_example": (V, None),
    "metrics:write_keys": (M, M),
    "metrics:write_key_revoke": (M, M),
    "metrics:webhooks": (V, M),
    "metrics:webhook_rotate": (M, M),
    "metrics:webhook_active": (None, M),
    "metrics:webhook_test": (None, M),
    "metrics:webhook_delivery": (V, None),
    "metrics:webhook_retry": (None, M),
    "metrics:recompute": (None, E),
    "metrics:run_progress": (V, None),
    "metrics:dashboard_pdf": (V, None),
    "metrics:okrs": (V, None),
    "metrics:okrs_pdf": (V, None),
    "metrics:objective_add": (None, E),
    "metrics:objective_change": (None, E),
    "metrics:objective_remove": (None, E),
    "metrics:key_result_add": (None, E),
    "metrics:key_result_change": (None, E),
    "metrics:key_result_remove": (None, E),
    "metrics:inbox": (V, None),
    "metrics:contact_policy": (None, M),
    "metrics:alert_assign": (None, P),
    "metrics:alert_resolve": (None, P),
    "metrics:customers": (V, None),
    "metrics:customer_detail": (V, None),
    "metrics:journey_customers": (V, None),
    "metrics:positions_recompute": (None, E),
    "metrics:position_rule_add": (None, E),
    "metrics:position_rule_remove": (None, E),
    "metrics:orchestration_rule_add": (None, E),
    "metrics:orchestration_rule_change": (None, E),
    "metrics:orchestration_rule_remove": (None, E),
    "metrics:stage_thresholds": (None, E),
    "metrics:job_customers": (V, E),
}
# Open to anyone, signed in or not.
PUBLIC_URLS = {
    "login",
    "signup",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "invitation_accept",
    "logout",
    "ingest:openapi",
}
# The event API: no session and no workspace in the URL; a write key says whose events these
# are, so a request without one is refused with 401 JSON (tests/metrics/test_api.py has more).
API_URLS = {
    "ingest:batch",
    "ingest:track",
    "ingest:identify",
    "ingest:page",
    "ingest:screen",
    "ingest:group",
    "ingest:alias",
}
# Need a signed-in user but no workspace.
LOGIN_URLS = {"root", "workspace_list", "password_change", "password_change_done"}
# Need a signed-in user; an import is seen only by whoever uploaded it (else 404).
LOGIN_URLS |= {"workspace_import", "workspace_import_progress"}


def all_url_patterns():
    """(name, parameter names) for every named URL, includes flattened."""

    def walk(patterns, namespace, params):
        for entry in patterns:
            own = list(entry.pattern.converters) if hasattr(entry.pattern, "converters") else []
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}{entry.namespace}:"
                yield from walk(entry.url_patterns, inner, params + own)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{namespace}{entry.name}", params + own

    yield from walk(get_resolver().url_patterns, "", [])


PATTERNS = [(name, params) for name, params in all_url_patterns() if not name.startswith("admin:")]


def tiny_png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile("face.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def world(db):
    """A workspace with one of everything, and a second workspace owned by an outsider."""
    workspace = WorkspaceFactory()
    owner = MembershipFactory(workspace=workspace, role=Role.OWNER)
    persona = PersonaFactory(workspace=workspace, avatar_image=tiny_png())
    invitation = InvitationFactory(workspace=workspace)
    canvas = canvas_services.canvas_create(
        workspace=workspace, type_slug="stakeholder_engagement_card", created_by=owner.user
    )
    note = canvas_services.note_create(
        canvas=canvas, area="goal", text="Win the board", author=owner.user
    )
    network = canvas_services.canvas_create(
        workspace=workspace, type_slug="benefits_dependency_network", created_by=owner.user
    )
    enabler = canvas_services.node_add(
        canvas=network, column="enablers", label="Portal", actor=owner.user
    )
    objective = canvas_services.node_add(
        canvas=network, column="objectives", label="Grow", actor=owner.user
    )
    link = canvas_services.link_add(
        canvas=network, source=enabler, target=objective, actor=owner.user
    )
    pack = CanvasPack.objects.create(
        workspace=workspace,
        title="Board pack",
        status=CanvasPack.Status.DONE,
        file=ContentFile(b"%PDF-1.7 sample", name="board-pack.pdf"),
    )
    job = JobFactory(workspace=workspace)
    JobState.objects.create(job=job, name="Started", is_start=True)  # a job's Customers page
    ecosystem = canvas_services.canvas_create(
        workspace=workspace, type_slug="ecosystem_map", created_by=owner.user
    )
    dimension = ecosystem.dimensions.first()
    party = ecosystem_services.party_add(
        canvas=ecosystem, name="Okta", ring="valued", dimension=dimension, actor=owner.user
    )
    journey = journey_services.journey_create(
        workspace=workspace, persona=persona, scenario="Renewal", actor=owner.user
    )
    stage = journey.stages.first()
    touchpoint = journey_services.touchpoint_add(
        stage=stage, actor=owner.user, name="Portal", channel="web"
    )
    need = journey_services.data_need_add(
        touchpoint=touchpoint, kind="profile", item="Email", actor=owner.user
    )
    filter_canvas = canvas_services.canvas_create(
        workspace=workspace, type_slug="jtbd_filter", created_by=owner.user
    )
    board = canvas_services.canvas_create(
        workspace=workspace, type_slug="jtbd_prioritization", created_by=owner.user
    )
    write_key, _ = key_services.write_key_create(workspace=workspace, name="Web", actor=owner.user)
    alert = AlertFactory(workspace=workspace, stage=stage)
    goal = okr_services.objective_create(workspace=workspace, actor=owner.user, title="Loved")
    key_result = okr_services.key_result_create(
        objective=goal,
        title="NPS up",
        measure=okr_services.measure_for(workspace=workspace, metric="nps"),
        baseline=10,
        target=30,
        due=dt.date(2099, 1, 1),
    )
    # Made directly: the service would look the host up, and the test network has no DNS.
    endpoint = WebhookEndpoint.objects.create(
        workspace=workspace, name="CRM", url="https://crm.example.com/hooks", secret="whsec_x"
    )
    delivery = WebhookDelivery.objects.create(
        workspace=workspace, endpoint=endpoint, event="customer.stuck", status="failed"
    )
    sample = {
        "endpoint": endpoint.pk,
        "delivery": delivery.pk,
        "row": canvas_services.filter_row_add(canvas=filter_canvas, job=job, actor=owner.user).pk,
        "item": canvas_services.item_add(canvas=board, job=job, actor=owner.user).pk,
        "pack": pack.pk,
        "export": Transfer.objects.create(
            kind=Transfer.Kind.EXPORT,
            workspace=workspace,
            status=Transfer.Status.DONE,
            file=ContentFile(b"PK\x05\x06" + bytes(18), name="export.zip"),
            filename="export.zip",
        ).pk,
        "journey": journey.pk,
        "stage": stage.pk,
        "touchpoint": touchpoint.pk,
        "need": need.pk,
        "run": MetricsRun.objects.create(workspace=workspace, status=MetricsRun.Status.DONE).pk,
        "canvas": canvas.pk,
        "note": note.pk,
        "node": enabler.pk,
        "link": link.pk,
        "party": party.pk,
        "dimension": dimension.pk,
        "field": "initiative",
        "workspace": workspace.slug,
        "persona": persona.pk,
        "job": job.pk,
        "segment": SegmentFactory(workspace=workspace).pk,
        "membership": MembershipFactory(workspace=workspace, role=Role.VIEWER).pk,
        "invitation": invitation.pk,
        "token": invitation_signed_token(invitation),
        "uidb64": "MQ",
        "data_import": DataImport.objects.create(
            workspace=workspace, kind="surveys", filename="answers.csv", status="done"
        ).pk,
        "key": write_key.pk,
        "objective": goal.pk,
        "alert": alert.pk,
        "rule": alert.rule_id,
        "position_rule": position_rule_create(
            journey=journey, stage=stage, event_name="Renewed"
        ).pk,
        "customer": alert.customer_id,
        "key_result": key_result.pk,
    }
    other = MembershipFactory(role=Role.OWNER)
    sample["transfer"] = Transfer.objects.create(
        kind=Transfer.Kind.IMPORT, requested_by=other.user, status=Transfer.Status.DONE
    ).pk
    return {
        "workspace": workspace,
        "owner": owner,
        "sample": sample,
        "outsider": other.user,
        "other": other.workspace,
    }


def url_for(name, params, sample):
    missing = [param for param in params if param not in sample]
    assert not missing, f"Add a sample value for URL parameter(s) {missing} of {name!r}"
    return reverse(name, kwargs={param: sample[param] for param in params})


def test_every_url_is_classified():
    names = {name for name, _ in PATTERNS}
    unclassified = names - set(WORKSPACE_URLS) - PUBLIC_URLS - LOGIN_URLS - API_URLS
    assert not unclassified, f"Say who may use these URLs in test_access.py: {sorted(unclassified)}"
    stale = (set(WORKSPACE_URLS) | PUBLIC_URLS | LOGIN_URLS | API_URLS) - names
    assert not stale, f"These URL names no longer exist: {sorted(stale)}"
    for name, params in PATTERNS:
        assert ("workspace" in params) == (name in WORKSPACE_URLS), name


@pytest.mark.parametrize("name,params", [p for p in PATTERNS if p[0] not in PUBLIC_URLS | API_URLS])
def test_anonymous_visitors_are_sent_to_log_in(client, world, name, params):
    url = url_for(name, params, world["sample"])
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if response.status_code == 405:
            continue
        assert response.status_code == 302, f"{method.upper()} {url}"
        assert response.url.startswith(reverse("login")), f"{method.upper()} {url} → {response.url}"
    htmx = client.get(url, HTTP_HX_REQUEST="true")
    if htmx.status_code != 405 and name in WORKSPACE_URLS:
        assert htmx.headers["HX-Redirect"].startswith(reverse("login"))


@pytest.mark.parametrize("name,params", [p for p in PATTERNS if p[0] in WORKSPACE_URLS])
def test_members_of_another_workspace_get_404(client, world, name, params):
    client.force_login(world["outsider"])
    url = url_for(name, params, world["sample"])
    get_cap, post_cap = WORKSPACE_URLS[name]
    for method, cap in (("get", get_cap), ("post", post_cap)):
        if cap is None:
            continue
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method.upper()} {url} gave {response.status_code}"
        assert world["sample"]["workspace"].encode() not in response.content


@pytest.mark.parametrize(
    "name,params", [p for p in PATTERNS if p[0] in WORKSPACE_URLS and len(p[1]) > 1]
)
def test_objects_of_another_workspace_are_404_even_through_your_own(client, world, name, params):
    """Your own workspace's slug with another workspace's object ids shows nothing."""
    client.force_login(world["outsider"])
    sample = {**world["sample"], "workspace": world["other"].slug}
    url = url_for(name, params, sample)
    get_cap, post_cap = WORKSPACE_URLS[name]
    for method, cap in (("get", get_cap), ("post", post_cap)):
        if cap is not None:
            response = getattr(client, method)(url)
            assert response.status_code == 404, (
                f"{method.upper()} {url} gave {response.status_code}"
            )


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("name,params", [p for p in PATTERNS if p[0] in WORKSPACE_URLS])
def test_each_role_gets_exactly_its_capabilities(client, world, name, params, role):
    user = MembershipFactory(workspace=world["workspace"], role=role).user
    client.force_login(user)
    url = url_for(name, params, world["sample"])
    get_cap, post_cap = WORKSPACE_URLS[name]
    for method, cap in (("get", get_cap), ("post", post_cap)):
        response = getattr(client, method)(url)
        if cap is None:
            assert response.status_code == 405, f"{method.upper()} {url} should not be offered"
        elif role_can(role, cap):
            assert response.status_code in (200, 302), (
                f"{role} {method.upper()} {url}: {response.status_code}"
            )
        else:
            assert response.status_code == 403, (
                f"{role} {method.upper()} {url}: {response.status_code}"
            )


@pytest.mark.parametrize("name,params", [p for p in PATTERNS if p[0] in LOGIN_URLS])
def test_login_only_pages_open_for_any_signed_in_user(client, world, name, params):
    client.force_login(world["outsider"])
    response = client.get(url_for(name, params, world["sample"]))
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("name,params", [p for p in PATTERNS if p[0] in PUBLIC_URLS])
def test_public_pages_answer_anonymous_visitors(client, world, name, params):
    response = client.get(url_for(name, params, world["sample"]))
    assert response.status_code in (200, 302, 405)


@pytest.mark.parametrize("name,params", [p for p in PATTERNS if p[0] in API_URLS])
def test_api_urls_refuse_requests_without_a_write_key(client, world, name, params):
    client.force_login(world["owner"].user)  # a session is no key
    url = url_for(name, params, world["sample"])
    assert client.get(url).status_code == 405
    response = client.post(url, {"batch": []}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_admin_needs_staff(client, world):
    client.force_login(world["owner"].user)
    for url in (reverse("admin:index"), reverse("admin:engage_persona_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
