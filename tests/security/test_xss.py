"""The XSS corpus in every user-editable text field, then every page, htmx partial, SVG and
PDF that shows them: the payloads must arrive as text, never as markup.

The world is built through the services with hostile text wherever they take text
(personas, jobs, notes, header fields, BDN nodes, outcomes and decisions, journeys, stages,
touchpoints, data needs, states and transitions, ecosystem parties and dimensions, OKRs,
rules, alerts, imported customers, events, answers and mentions). Then every text, JSON
and URL column of every model (`xss.free_text_fields`) that still holds no payload gets
one directly, so a field added later is covered without editing this file; a field no
page shows must be listed in NOT_SHOWN, and a column that is not text a person or a client
typed in NOT_TEXT, each with its reason.
"""

import datetime as dt
import http.server
import io
import itertools
import json
import threading

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from canvases import services as canvas_services
from canvases.models import Canvas, CanvasPack
from canvases.packs import pack_sections
from canvases.pdf import canvas_context
from canvases.services.fields import is_persona_bound
from engage import services as engage_services
from engage.roles import Role
from engage.selectors import invitation_signed_token
from journeys import services as journey_services
from journeys.ecosystem import services as ecosystem_services
from journeys.statemachine import services as machine_services
from metrics.models import (
    Alert,
    Customer,
    DataImport,
    MetricsRun,
    NudgeDecision,
    PositionRun,
    WebhookDelivery,
    WebhookEndpoint,
)
from metrics.services import alerts as alert_services
from metrics.services import keys as key_services
from metrics.services import okrs as okr_services
from metrics.services.imports import import_file
from metrics.services.position_rules import position_rule_create
from tests.engage.factories import InvitationFactory, MembershipFactory
from tests.engage.test_access import LOGIN_URLS, PATTERNS, WORKSPACE_URLS, url_for
from tests.metrics.factories import AlertFactory

from .xss import Corpus, dangers, free_text_fields

pytestmark = pytest.mark.django_db

APPS = ("engage", "canvases", "journeys", "metrics")
# Columns that hold no text a person or client typed: identifiers, digests, generated state.
NOT_TEXT = {
    "engage.User.password": "a hash",
    "engage.User.username": "the email address, validated",
    "engage.User.first_name": "Django's, unused (Engage uses name)",
    "engage.User.last_name": "Django's, unused (Engage uses name)",
    "canvases.Note.area": "an area slug of the canvas type",
    "canvases.FieldValue.field": "a field slug of the canvas type",
    "canvases.CanvasEvent.field": "a field slug of the canvas type",
    "metrics.WriteKey.prefix": "generated from the secret",
    "metrics.WriteKey.digest": "a SHA-256 digest",
    "metrics.WebhookEndpoint.secret": "generated",
    "metrics.SocialMention.key": "a digest",
    "metrics.Snapshot.source": "computed",
    "metrics.Snapshot.key": "computed",
    "metrics.Snapshot.data": "computed numbers",
    "metrics.Measure.key": "computed from the filters",
    "metrics.MetricsRun.step": "the step's name, from code",
    "metrics.DataImport.kind": "a kind slug",
    "metrics.Alert.health": "a health value, from code",
    "metrics.ContactPolicy.timezone": "an IANA zone, chosen from the list",
    "metrics.WebhookDelivery.event": "an event name from code (lower-case dotted words)",
}
# Text no page, partial or PDF shows (kept, exported, or used elsewhere).
NOT_SHOWN = {
    "canvases.Canvas.header": "unused: header fields are FieldValue rows",
    "canvases.CanvasPack.error": "kept for operators; the page says the pack failed",
    "metrics.InteractionEvent.message_id": "dedupe key",
    "metrics.InteractionEvent.anonymous_id": "anonymous events have no page",
    "canvases.SurveyAnswer.respondent": "respondents are counted, not named",
    "metrics.InteractionEvent.properties": "matched by position rules, not shown",
    "metrics.NudgeDecision.detail": "kept for operators; the timeline shows the reason",
    "metrics.SocialMention.url": "dedupes mentions; the timeline shows the text",
    "metrics.OrchestrationRule.nudge_body": "the plain-text mail (pages show the subject)",
}


PRINT = "canvases/pdf/canvas.html"
PRINTED_TYPES = {"stakeholder_engagement_card", "benefits_dependency_network", "journey_map"}


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    server = http.server.HTTPServer(("127.0.0.1", 0), RecordingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    RecordingHandler.requests = []
    yield server
    server.shutdown()


def csv_file(header: list[str], *rows: list[str]) -> io.BytesIO:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode())


@pytest.fixture
def hostile(recorder):
    c = Corpus(recorder.server_port)
    owner = engage_services.user_sign_up(
        email="owner@example.com", name=c.text("engage.User.name", 150), password="x-Pass-1234"
    )
    ws = engage_services.workspace_create(
        name=c.text("engage.Workspace.name", 120),
        created_by=owner,
        customer_organisation=c.text("engage.Workspace.customer_organisation", 120),
        description=c.text("engage.Workspace.description"),
    )
    segment = engage_services.segment_create(
        workspace=ws,
        name=c.text("engage.Segment.name", 120),
        offering=c.text("engage.Segment.offering", 120),
        industry=c.text("engage.Segment.industry", 80),
        region=c.text("engage.Segment.region", 80),
    )
    persona = engage_services.persona_create(
        workspace=ws,
        created_by=owner,
        name=c.text("engage.Persona.name", 120),
        short_description=c.text("engage.Persona.short_description", 240),
        segment=segment,
        sex=c.text("engage.Persona.sex", 40),
        scenario=c.text("engage.Persona.scenario"),
        expectations=c.text("engage.Persona.expectations"),
        personal_story=c.text("engage.Persona.personal_story"),
    )
    job = engage_services.job_create(
        workspace=ws,
        created_by=owner,
        personas=[persona],
        verb=c.text("engage.Job.verb", 80),
        object=c.text("engage.Job.object", 160),
        context=c.text("engage.Job.context", 240),
    )
    canvases = {}
    for slug in ("stakeholder_engagement_card", "empathy_map", "persona_card", "jtbd_forces"):
        canvas = canvas_services.canvas_create(
            workspace=ws, type_slug=slug, created_by=owner, persona=persona, job=job,
            title=c.text("canvases.Canvas.title", 160),
            facilitator=c.text("canvases.Canvas.facilitator", 120),
        )  # fmt: skip
        canvases[slug] = canvas
        ctype = canvas.canvas_type
        for area in ctype.note_areas:
            canvas_services.note_create(
                canvas=canvas, area=area.slug, text=c.text("canvases.Note.text"), author=owner
            )
        fields = [*ctype.header_fields, *(field for area in ctype.areas for field in area.fields)]
        for field in fields:
            if field.kind in ("text", "long_text") and not is_persona_bound(canvas, field.slug):
                canvas_services.field_set(
                    canvas=canvas, field=field.slug, value=c.text("canvases.FieldValue.value"),
                    actor=owner,
                )  # fmt: skip
    card = canvases["stakeholder_engagement_card"]
    network = canvas_services.canvas_create(
        workspace=ws, type_slug="benefits_dependency_network", created_by=owner
    )
    nodes = [
        canvas_services.node_add(
            canvas=network,
            column=column,
            actor=owner,
            label=c.text("canvases.BdnNode.label", 200),
            owner=c.text("canvases.BdnNode.owner", 120),
            measure=c.text("canvases.BdnNode.measure", 200),
            stakeholder=c.text("canvases.BdnNode.stakeholder", 120),
        )
        for column in ("enablers", "business_changes", "benefits", "objectives", "drivers")
    ]
    for source, target in itertools.pairwise(nodes):
        link = canvas_services.link_add(canvas=network, source=source, target=target, actor=owner)
    filter_canvas = canvas_services.canvas_create(
        workspace=ws, type_slug="jtbd_filter", created_by=owner
    )
    row = canvas_services.filter_row_add(canvas=filter_canvas, job=job, actor=owner)
    board = canvas_services.canvas_create(
        workspace=ws, type_slug="jtbd_prioritization", created_by=owner, job=job
    )
    item = canvas_services.outcome_item_add(
        canvas=board, actor=owner, job=job,
        direction=c.text("canvases.Outcome.direction", 40),
        metric=c.text("canvases.Outcome.metric", 120),
        object=c.text("canvases.Outcome.object", 160),
        context=c.text("canvases.Outcome.context", 160),
    )  # fmt: skip
    canvas_services.item_decide(
        item=item, actor=owner, decision="accept",
        comment=c.text("canvases.PriorityItem.decision_comment"),
    )  # fmt: skip
    survey = csv_file(
        ["respondent_id", "outcome", "importance", "satisfaction"],
        [c.text("canvases.SurveyAnswer.respondent", 120), c.text("canvases.Outcome.statement", 200), 5, 2],
    )  # fmt: skip
    canvas_services.survey_import(canvas=board, data=survey.getvalue(), actor=owner)

    journey = journey_services.journey_create(
        workspace=ws, persona=persona, actor=owner, job=job,
        scenario=c.text("journeys.Journey.scenario", 200),
    )  # fmt: skip
    stage = journey.stages.order_by("position").first()
    stage = journey_services.stage_change(
        stage=stage, actor=owner, expected_version=stage.version,
        name=c.text("journeys.Stage.name", 80), goals=c.text("journeys.Stage.goals"),
        expected_duration=c.text("journeys.Stage.expected_duration", 80),
    )  # fmt: skip
    touchpoint = journey_services.touchpoint_add(
        stage=stage, actor=owner, channel="web",
        name=c.text("journeys.Touchpoint.name", 120),
        value=c.text("journeys.Touchpoint.value", 240),
        pains=c.text("journeys.Touchpoint.pains", 240),
        expected_duration=c.text("journeys.Touchpoint.expected_duration", 80),
    )  # fmt: skip
    need = journey_services.data_need_add(
        touchpoint=touchpoint, kind="profile", actor=owner,
        item=c.text("journeys.DataNeed.item", 120), source=c.text("journeys.DataNeed.source", 120),
    )  # fmt: skip
    start = machine_services.state_add(job=job, name=c.text("journeys.JobState.name", 80))
    done = machine_services.state_add(job=job, name=c.text("journeys.JobState.name", 80))
    machine_services.transition_add(
        source=start, target=done, kind="service", label=c.text("journeys.JobTransition.label", 160)
    )
    ecosystem = canvas_services.canvas_create(
        workspace=ws, type_slug="ecosystem_map", created_by=owner
    )
    dimension = ecosystem_services.dimension_add(
        canvas=ecosystem, name=c.text("journeys.EcosystemDimension.name", 60), actor=owner
    )
    party = ecosystem_services.party_add(
        canvas=ecosystem, name=c.text("journeys.EcosystemParty.name", 80), ring="valued",
        dimension=dimension, actor=owner, note=c.text("journeys.EcosystemParty.note", 240),
    )  # fmt: skip

    customer_id = c.text("metrics.Customer.external_id", 60).replace('"', "'")
    imports = {
        "customers": csv_file(
            ["customer_id", "email", "plan", c.text("metrics.Customer.traits", 40)],
            [customer_id, "c@example.com", c.text("metrics.Customer.traits"), "x"],
        ),
        "events": csv_file(
            ["customer_id", "event", "timestamp", "properties"],
            [customer_id, c.text("metrics.InteractionEvent.event", 200), "2026-03-01T10:00:00Z",
             json.dumps(c.json("metrics.InteractionEvent.properties"))],
        ),
        "surveys": csv_file(
            ["customer_id", "kind", "score", "answered_at", "comment"],
            [customer_id, "nps", "9", "2026-03-02", c.text("metrics.SurveyResponse.comment")],
        ),
        "mentions": csv_file(
            ["platform", "posted_at", "sentiment", "author", "url", "text"],
            [c.text("metrics.SocialMention.platform", 60), "2026-03-03", "positive",
             customer_id, "https://example.com/p",
             c.text("metrics.SocialMention.text")],
        ),
    }  # fmt: skip
    for kind, binary in imports.items():
        import_file(workspace=ws, kind=kind, binary=binary)
    failed = DataImport.objects.create(
        workspace=ws, kind="events", status="failed",
        filename=c.text("metrics.DataImport.filename", 200),
        errors=[[2, c.text("metrics.DataImport.errors")]],
    )  # fmt: skip
    rule = alert_services.orchestration_rule_create(
        workspace=ws, actor=owner, stage=stage, nudge=True, active=False,
        nudge_subject=c.text("metrics.OrchestrationRule.nudge_subject", 200),
        nudge_body=c.text("metrics.OrchestrationRule.nudge_body"),
    )  # fmt: skip
    customer = Customer.objects.get(workspace=ws, external_id=customer_id)
    alert = AlertFactory(workspace=ws, stage=stage, rule=rule, customer=customer)
    NudgeDecision.objects.create(
        workspace=ws, alert=alert, customer=customer, sent=False, reason="quiet_hours",
        decided_at=dt.datetime(2026, 3, 4, tzinfo=dt.UTC),
        detail=c.text("metrics.NudgeDecision.detail", 200),
    )  # fmt: skip
    PositionRun.objects.create(
        workspace=ws, status="failed", error=c.text("metrics.PositionRun.error")
    )
    resolved = AlertFactory(workspace=ws, stage=stage, rule=rule)
    alert_services.alert_resolve(
        alert=resolved,
        actor=owner,
        note=c.text("metrics.Alert.note"),
        expected_version=resolved.version,
    )
    position_rule = position_rule_create(
        journey=journey, stage=stage,
        event_name=c.text("metrics.PositionRule.event_name", 200),
        property_key=c.text("metrics.PositionRule.property_key", 100).replace('"', "'"),
        property_value=c.text("metrics.PositionRule.property_value", 200),
    )  # fmt: skip
    goal = okr_services.objective_create(
        workspace=ws, actor=owner, title=c.text("metrics.Objective.title", 200),
        description=c.text("metrics.Objective.description"),
    )  # fmt: skip
    key_result = okr_services.key_result_create(
        objective=goal, title=c.text("metrics.KeyResult.title", 200), baseline=10, target=30,
        measure=okr_services.measure_for(workspace=ws, metric="nps"), due=dt.date(2099, 1, 1),
    )  # fmt: skip
    write_key, _ = key_services.write_key_create(
        workspace=ws, name=c.text("metrics.WriteKey.name", 120), actor=owner
    )
    # Made directly: saving through the service looks the host up, and tests have no DNS.
    endpoint = WebhookEndpoint.objects.create(
        workspace=ws, name=c.text("metrics.WebhookEndpoint.name", 120),
        url="https://crm.example.com/hooks", secret="whsec_x",
    )  # fmt: skip
    delivery = WebhookDelivery.objects.create(
        workspace=ws, endpoint=endpoint, event="customer.stuck", status="failed",
        payload={"data": c.json("metrics.WebhookDelivery.payload")},
        last_error=c.text("metrics.WebhookDelivery.last_error", 200),
        last_response=c.text("metrics.WebhookDelivery.last_response", 200),
    )  # fmt: skip
    invitation = InvitationFactory(workspace=ws, created_by=owner)
    pack = CanvasPack.objects.create(
        workspace=ws, title=c.text("canvases.CanvasPack.title", 200), status="done",
        file=ContentFile(b"%PDF-1.7 sample", name="pack.pdf"),
    )  # fmt: skip
    fill_the_rest(c)
    sample = {
        "workspace": ws.slug, "persona": persona.pk, "job": job.pk, "canvas": card.pk,
        "note": card.notes.first().pk, "field": "initiative", "node": nodes[0].pk,
        "link": link.pk, "row": row.pk, "item": item.pk, "pack": pack.pk,
        "journey": journey.pk, "stage": stage.pk, "touchpoint": touchpoint.pk, "need": need.pk,
        "party": party.pk, "dimension": dimension.pk, "segment": segment.pk,
        "membership": MembershipFactory(workspace=ws, role=Role.VIEWER).pk,
        "invitation": invitation.pk, "token": invitation_signed_token(invitation), "uidb64": "MQ",
        "run": MetricsRun.objects.create(
            workspace=ws, status="failed", error=c.text("metrics.MetricsRun.error")
        ).pk,
        "data_import": failed.pk, "key": write_key.pk, "objective": goal.pk,
        "key_result": key_result.pk, "alert": alert.pk, "rule": rule.pk,
        "position_rule": position_rule.pk, "customer": alert.customer_id,
        "endpoint": endpoint.pk, "delivery": delivery.pk,
    }  # fmt: skip
    return {"corpus": c, "workspace": ws, "owner": owner, "sample": sample}


def field_label(field) -> str:
    return f"{field.model._meta.app_label}.{field.model.__name__}.{field.name}"


def hostile_fields():
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for field in free_text_fields(model):
                if field_label(field) not in NOT_TEXT:
                    yield field


def holds_payload(field, c: Corpus) -> bool:
    values = json.dumps(list(field.model.objects.values_list(field.name, flat=True)))
    return any(marker in values for marker in c.markers.values())


def fill_the_rest(c: Corpus) -> None:
    """Give a payload to every free-text column the services left without one (columns
    that copy others, like an event's before and after, hold the services' payloads)."""
    for field in hostile_fields():
        label, model = field_label(field), field.model
        if holds_payload(field, c):
            continue
        for pk in model.objects.values_list("pk", flat=True):
            if isinstance(field, models.JSONField):
                value = c.json(label)
            elif isinstance(field, models.URLField):
                value = f"javascript:alert(1)//{c.marker(label)}"
            else:
                value = c.text(label, field.max_length and field.max_length - 8) + f"#{pk}"
            model.objects.filter(pk=pk).update(**{field.name: value})


def owner_urls(sample) -> list[str]:
    """Every URL a member may GET, with each canvas for the canvas pages."""
    canvases = Canvas.objects.filter(workspace__slug=sample["workspace"]).values_list("pk")
    urls = []
    for name, params in PATTERNS:
        if name in WORKSPACE_URLS and WORKSPACE_URLS[name][0] is None:
            continue
        if name not in WORKSPACE_URLS and name not in LOGIN_URLS | {"invitation_accept"}:
            continue
        per_canvas = "canvas" in params and set(params) <= {"workspace", "canvas"}
        choices = [{"canvas": pk} for (pk,) in canvases] if per_canvas else [{}]
        urls += [url_for(name, params, {**sample, **choice}) for choice in choices]
    return sorted(set(urls))


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_every_page_partial_chart_and_pdf_shows_the_corpus_as_text(hostile, recorder):
    corpus, sample = hostile["corpus"], hostile["sample"]
    client = Client()
    client.force_login(hostile["owner"])
    seen, problems, pdfs = set(), {}, {}

    def look(where: str, body: str):
        if found := dangers(body):
            problems[where] = found
        seen.update(marker for marker in corpus.markers.values() if marker in body)

    # Every canvas's printed HTML is checked; three kinds of sheet (cards, an SVG network, a
    # journey map shaped by its stages) are also printed, the slow part (~0.5-1 s a canvas).
    printed = set()
    for canvas in Canvas.objects.filter(workspace=hostile["workspace"]):
        look(f"canvas {canvas.pk} print", render_to_string(PRINT, canvas_context(canvas)))
        if canvas.type in PRINTED_TYPES:
            printed.add(reverse("canvases:canvas_pdf", args=[sample["workspace"], canvas.pk]))
    urls = [
        url for url in owner_urls(sample) if not url.endswith("/pdf/") or "/canvases/" not in url
    ] + sorted(printed)
    ws = sample["workspace"]
    extra = [
        f"{reverse('canvases:board_poll', args=[ws, sample['canvas']])}?revision=0",
        f"{reverse('metrics:inbox', args=[ws])}?status=resolved",
    ]
    for url in urls + extra:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            if headers and url in pdfs:
                continue  # a download is the same for htmx
            response = client.get(url, **headers)
            if url.endswith("/avatar/"):
                continue  # no image: this persona has none (uploads: test_uploads.py)
            assert response.status_code in (200, 204, 302), f"{url}: {response.status_code}"
            assert settings.SECRET_KEY.encode() not in getattr(response, "content", b"")
            kind = response.get("Content-Type", "")
            if kind.startswith(("text/html", "image/svg")):
                look(f"{url} {headers}", response.content.decode())
            elif kind == "application/pdf" and not response.streaming:
                pdfs[url] = response.content
    for section in pack_sections():  # printed as the pages' own PDFs above
        look(f"pack section {section.slug}", section.render(hostile["workspace"]))

    assert not problems, json.dumps(problems, indent=1)[:6000]
    assert len(pdfs) >= 5, sorted(pdfs)
    for where, data in pdfs.items():
        text = pdf_text(data)
        seen.update(marker for marker in corpus.markers.values() if marker in text)
        if "xq" in text:
            assert "<" in text or "＜" in text, (
                f"{where}: the payloads' markup is not shown as text"
            )
    assert RecordingHandler.requests == [], "a page or PDF fetched a URL from user text"

    labels = {marker: label for label, marker in corpus.markers.items()}
    unseen = sorted(labels[marker] for marker in set(labels) - seen)
    assert unseen == sorted(NOT_SHOWN), f"shown nowhere, not in NOT_SHOWN: {unseen}"


def test_every_free_text_column_holds_a_payload(hostile):
    """The walk left no free-text column out, and every exception names a real column."""
    corpus = hostile["corpus"]
    empty = [field_label(field) for field in hostile_fields() if not holds_payload(field, corpus)]
    assert not empty, f"no row to hold a payload: create one in `hostile` for {empty}"
    labels = {
        f"{model._meta.app_label}.{model.__name__}.{field.name}"
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.concrete_fields
    }
    assert not (set(NOT_TEXT) | set(NOT_SHOWN)) - labels
    assert Alert.objects.filter(note__contains="xq").exists()
