"""Whole-workspace export and import, on a rich workspace: the demo (smaller) plus members,
an image, a webhook endpoint, votes, and a history full of removed things.

The rich workspace is built, exported, imported and exported again once for the module
(seeding the demo takes seconds); each test then reads it inside its own transaction.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from canvases import services as canvas_services
from canvases.models import FILTER_SCORES, BdnLink, BdnNode, Canvas, CanvasEvent, Note, Vote
from canvases.portability import state_keys
from engage import services as engage_services
from engage.demo import DEMO_EMAIL, seed_demo
from engage.models import Membership, Persona, Segment, User, Workspace
from engage.portability import (
    ArchiveRefused,
    parts,
    workspace_export,
    workspace_import,
)
from engage.roles import Role
from journeys import services as journey_services
from journeys.ecosystem import services as ecosystem_services
from journeys.models import Touchpoint
from metrics.models import (
    Alert,
    ContactPolicy,
    InteractionEvent,
    Measure,
    MetricsSettings,
    NudgeDecision,
    OrchestrationRule,
    Snapshot,
    WebhookEndpoint,
)
from metrics.services import okrs as okr_services
from tests.conftest import REPO
from tests.engage.factories import MembershipFactory

# Keys of event states that hold numbers, not ids.
NUMBERS = {"position", "version", "count", "votes", "votes_per_person", "remaining", "emotion"}
NUMBERS |= {"expected_hours", "stuck_hours", "score", *FILTER_SCORES}


def png(colour="teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def export_bytes(workspace) -> bytes:
    target = io.BytesIO()
    workspace_export(workspace=workspace, target=target)
    return target.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewrite(data: bytes, changes: dict, *, fix_checksums: bool = True) -> bytes:
    """The export with some members replaced (None drops one), its manifest's checksums
    recomputed unless told not to (a forger would)."""
    files = {**members(data), **changes}
    files = {name: content for name, content in files.items() if content is not None}
    manifest = json.loads(files["manifest.json"])
    if fix_checksums:
        for entry in manifest["models"] + manifest["media"]:
            if entry["file"] in files:
                entry["sha256"] = hashlib.sha256(files[entry["file"]]).hexdigest()
                if "size" in entry:
                    entry["size"] = len(files[entry["file"]])
        if "manifest.json" not in changes:
            files["manifest.json"] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def enrich(workspace: Workspace, owner: User) -> SimpleNamespace:
    """What the demo lacks: members, an image, votes, a webhook endpoint, settings, and
    history naming rows that are gone (each kind of state that names ids)."""
    fay = MembershipFactory(workspace=workspace, role=Role.FACILITATOR, user__name="Fay").user
    bob = MembershipFactory(workspace=workspace, role=Role.PARTICIPANT, user__name="Bob").user
    persona = Persona.objects.filter(workspace=workspace).order_by("pk").first()
    engage_services.persona_update(
        persona=persona, avatar_image=SimpleUploadedFile("face.png", png(), "image/png")
    )
    canvases = Canvas.objects.filter(workspace=workspace)
    # Votes, by someone who will have no account where the file is imported (a test).
    board = canvases.get(type="empathy_map")
    canvas_services.round_start(canvas=board, actor=owner)
    for note in board.notes.order_by("pk")[:2]:
        canvas_services.vote_cast(note=note, voter=bob)
    canvas_services.note_create(
        canvas=board, area=board.notes.first().area, text="Bob's", author=bob
    )
    # A benefit bound to a measure (its event names the measure), then a node and its
    # links removed: undo puts them back under the ids the history names.
    network = canvases.get(type="benefits_dependency_network")
    benefit = network.bdn_nodes.filter(column="benefits").first()
    canvas_services.node_change(
        node=benefit,
        actor=owner,
        expected_version=benefit.version,
        label=benefit.label,
        owner=benefit.owner,
        measure=benefit.measure,
        stakeholder=benefit.stakeholder,
        job=benefit.job_id,
        metric_id=okr_services.measure_for(workspace=workspace, metric="nps", window_days=30).pk,
    )
    objective = network.bdn_nodes.filter(column="objectives").first()
    temporary = canvas_services.node_add(canvas=network, column="enablers", label="SSO", actor=fay)
    canvas_services.link_add(canvas=network, source=temporary, target=objective, actor=fay)
    canvas_services.node_remove(node=temporary, actor=fay)
    # A filter row, a prioritization item, a touchpoint, a party and a dimension removed;
    # survey answers imported and taken back; a persona card's segment changed; a copy.
    filter_canvas = canvases.get(type="jtbd_filter")
    canvas_services.filter_row_remove(row=filter_canvas.filter_rows.first(), actor=owner)
    prioritization = canvases.get(type="jtbd_prioritization")
    canvas_services.item_remove(item=prioritization.priority_items.first(), actor=owner)
    answers = b"respondent_id,outcome,importance,satisfaction\nr1,get set up fast,5,2\n"
    canvas_services.survey_import(canvas=prioritization, data=answers, actor=owner)
    canvas_services.undo_last(canvas=prioritization, actor=owner)
    answers = answers.replace(b"r1,", b"r2,")
    canvas_services.survey_import(canvas=prioritization, data=answers, actor=owner)
    touchpoint = Touchpoint.objects.filter(stage__journey__workspace=workspace).first()
    journey_services.touchpoint_remove(touchpoint=touchpoint, actor=fay, facilitating=True)
    ecosystem = canvases.get(type="ecosystem_map")
    ecosystem_services.party_remove(party=ecosystem.parties.first(), actor=fay)
    extra = ecosystem_services.dimension_add(canvas=ecosystem, name="Health", actor=fay)
    ecosystem_services.dimension_remove(dimension=extra, actor=fay)
    card = canvases.get(type="persona_card")
    other = Segment.objects.filter(workspace=workspace).exclude(pk=card.persona.segment_id).first()
    canvas_services.field_set(canvas=card, field="segment", value=str(other.pk), actor=owner)
    canvas_services.canvas_copy(canvas=canvases.get(type="jtbd_forces"), actor=owner)
    # Measures sliced by a persona, one of them by a persona since deleted.
    okr_services.measure_for(workspace=workspace, metric="nps", dimension="persona", key=persona.pk)
    gone = engage_services.persona_create(workspace=workspace, created_by=owner, name="Gone")
    okr_services.measure_for(workspace=workspace, metric="csat", dimension="persona", key=gone.pk)
    engage_services.persona_delete(persona=gone)
    # Rows of kinds the demo has none of.
    WebhookEndpoint.objects.create(
        workspace=workspace, name="CRM", url="https://crm.example.com/hooks", secret="whsec_x1"
    )
    MetricsSettings.objects.create(workspace=workspace, default_margin="0.300")
    ContactPolicy.objects.create(workspace=workspace, timezone="Europe/Berlin", max_nudges=2)
    alert = Alert.objects.filter(workspace=workspace).first()
    NudgeDecision.objects.create(
        workspace=workspace,
        alert=alert,
        customer=alert.customer,
        sent=False,
        reason="quiet_hours",
        decided_at=alert.created_at,
    )
    InteractionEvent.objects.create(
        workspace=workspace,
        customer=alert.customer,
        event="Big number",
        timestamp=alert.created_at,
        properties={"n": 10**30, "nested": {"b": 1, "a": [1.5, None, "ü"]}},
        message_id="big-number",
    )
    return SimpleNamespace(fay=fay, bob=bob, persona=persona, network=network)


@pytest.fixture(scope="module")
def media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("portability-media")


@pytest.fixture(autouse=True)
def _media_root(settings, media_dir):
    """The module's files outlive a test (conftest gives each test a fresh folder)."""
    settings.MEDIA_ROOT = media_dir


@pytest.fixture(scope="module")
def rich(django_db_setup, django_db_blocker, media_dir):
    """The rich workspace, its export, the workspace imported from it, and its export."""
    made = []
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_dir),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr("metrics.demo.CUSTOMERS", 150)
        patch.setattr("metrics.demo_positions.CUSTOMERS", 30)
        try:
            source, owner, _ = seed_demo("demo-password-1")
            made.append(source)
            people = enrich(source, owner)
            first = export_bytes(source)
            result = workspace_import(source=io.BytesIO(first), owner=owner)
            made.append(result.workspace)
            second = export_bytes(result.workspace)
            yield SimpleNamespace(
                source=source,
                owner=owner,
                first=first,
                result=result,
                imported=result.workspace,
                second=second,
                **vars(people),
            )
        finally:
            for workspace in made:
                workspace.delete()
            User.objects.filter(memberships=None).delete()
            User.objects.filter(email=DEMO_EMAIL).delete()


def workspaces_now() -> int:
    return Workspace.objects.count()


# --- The round trip ----------------------------------------------------------------


def test_exporting_the_import_gives_the_same_file_but_for_its_date(rich):
    first, second = members(rich.first), members(rich.second)
    assert list(first) == list(second)
    for name in first:
        if name != "manifest.json":
            assert first[name] == second[name], f"{name} differs"
    one, two = json.loads(first["manifest.json"]), json.loads(second["manifest.json"])
    assert one.pop("exported_at") != two.pop("exported_at")
    assert one == two


def test_every_model_comes_back_with_as_many_rows(db, rich):
    for part in parts():
        if part.label == "engage.workspace":
            continue
        count = part.rows(rich.source).count()
        assert count > 0, f"the rich workspace should have {part.label} rows"
        assert part.rows(rich.imported).count() == count, part.label


def test_the_file_is_deterministic_json_lines_with_rows_numbered_and_media(rich):
    files = members(rich.first)
    manifest = json.loads(files["manifest.json"])
    assert (manifest["format"], manifest["version"]) == ("engage-workspace", 1)
    for entry in manifest["models"]:
        lines = files[entry["file"]].splitlines()
        assert len(lines) == entry["rows"]
        rows = [json.loads(line) for line in lines]
        assert [row["id"] for row in rows] == list(range(1, entry["rows"] + 1))
        assert all(list(row) == sorted(row) for row in rows)
    (image,) = manifest["media"]
    assert image["file"].startswith("media/engage.persona/")
    assert files[image["file"]] == png()
    assert "whsec_x1" not in files["data/metrics.webhookendpoint.jsonl"].decode()
    assert manifest["models"][0]["model"] == "engage.workspace"


def test_timestamps_are_kept_and_a_number_past_64_bits_is_exact(db, rich):
    source_events = CanvasEvent.objects.filter(canvas__workspace=rich.source).order_by("pk")
    imported_events = CanvasEvent.objects.filter(canvas__workspace=rich.imported).order_by("pk")
    assert list(source_events.values_list("created_at", "revision", "kind")) == list(
        imported_events.values_list("created_at", "revision", "kind")
    )
    assert rich.imported.created_at == rich.source.created_at
    big = InteractionEvent.objects.get(workspace=rich.imported, message_id="big-number")
    assert big.properties["n"] == 10**30


def test_references_inside_fields_name_the_imported_rows(db, rich):
    bound = BdnNode.objects.filter(canvas__workspace=rich.imported, metric_id__isnull=False)
    measures = Measure.objects.filter(pk__in=bound.values("metric_id"), workspace=rich.imported)
    assert bound.exists() and measures.count() == bound.values("metric_id").distinct().count()
    personas = set(Persona.objects.filter(workspace=rich.imported).values_list("pk", flat=True))
    sliced = dict(
        Measure.objects.filter(workspace=rich.imported, dimension="persona").values_list(
            "metric", "key"
        )
    )
    assert int(sliced["nps"]) in personas
    # The deleted persona's measure names an id drawn for it, which no persona will get.
    assert not Persona.objects.filter(pk=int(sliced["csat"])).exists()
    assert int(sliced["csat"]) > max(personas)
    keys = Snapshot.objects.filter(workspace=rich.imported, dimension="persona")
    assert keys.exists() and {int(key) for key in keys.values_list("key", flat=True)} <= personas
    card = Canvas.objects.get(workspace=rich.imported, type="persona_card")
    change = card.events.get(kind="field_changed", field="segment")
    segments = Segment.objects.filter(workspace=rich.imported).values_list("pk", flat=True)
    assert int(change.after["value"]) in segments


def test_every_id_held_in_an_event_state_is_registered(db, rich):
    """A new kind of event whose state names rows must register its keys
    (canvases.portability.register_state_key), or an import would keep the old ids."""
    holding_numbers = set()
    for before, after in CanvasEvent.objects.filter(canvas__workspace=rich.source).values_list(
        "before", "after"
    ):
        for state in (before or {}, after or {}):
            for key, value in state.items():
                values = value if isinstance(value, list) else [value]
                flat = [v for item in values for v in (item if isinstance(item, list) else [item])]
                if any(type(v) is int for v in flat):
                    holding_numbers.add(key)
    unregistered = holding_numbers - state_keys() - NUMBERS
    assert not unregistered, f"event state keys holding ids: register {sorted(unregistered)}"
    assert {"node", "links", "answers", "stage", "touchpoint", "party", "metric"} <= holding_numbers


def test_an_imported_canvas_renders_shows_its_history_and_undo_works(client, db, rich):
    client.force_login(rich.fay)  # a facilitator of the imported workspace too
    network = Canvas.objects.get(workspace=rich.imported, type="benefits_dependency_network")
    board = reverse("canvases:board", args=[rich.imported.slug, network.pk])
    assert client.get(board).status_code == 200
    history = client.get(reverse("canvases:canvas_history", args=[rich.imported.slug, network.pk]))
    assert history.status_code == 200 and "removed a node" in history.content.decode()
    removal = network.events.get(kind="node_removed")
    assert not BdnNode.objects.filter(pk=removal.before["node"]).exists()
    response = client.post(reverse("canvases:board_undo", args=[rich.imported.slug, network.pk]))
    assert response.status_code == 302
    restored = BdnNode.objects.get(pk=removal.before["node"], canvas=network)
    assert restored.label == "SSO"
    (link,) = BdnLink.objects.filter(source=restored)
    assert link.pk == removal.before["links"][0][0] and link.target.canvas_id == network.pk
    source_removal = CanvasEvent.objects.get(
        canvas__workspace=rich.source, kind="node_removed", before__label="SSO"
    )
    assert restored.pk != source_removal.before["node"]  # a new id, drawn for the import


def test_members_come_back_by_email_and_the_importer_owns_it(db, rich):
    roles = dict(
        Membership.objects.filter(workspace=rich.imported).values_list("user__email", "role")
    )
    assert roles == {
        DEMO_EMAIL: Role.OWNER,
        rich.fay.email: Role.FACILITATOR,
        rich.bob.email: Role.PARTICIPANT,
    }
    result = workspace_import(source=io.BytesIO(rich.first), owner=rich.fay, name="Fay's copy")
    roles = dict(
        Membership.objects.filter(workspace=result.workspace).values_list("user__email", "role")
    )
    assert roles[rich.fay.email] == Role.OWNER and roles[DEMO_EMAIL] == Role.OWNER
    assert result.workspace.name == "Fay's copy" and result.workspace.slug == "fays-copy"


def test_people_without_an_account_here_are_named_and_their_votes_left_out(db, rich):
    email = rich.bob.email
    rich.bob.delete()
    result = workspace_import(source=io.BytesIO(rich.first), owner=rich.owner)
    assert result.strangers == [email]
    assert result.left_out == {"engage.membership": 1, "canvases.vote": 2}
    assert not Vote.objects.filter(round__canvas__workspace=result.workspace).exists()
    note = Note.objects.get(canvas__workspace=result.workspace, text="Bob's")
    assert note.author is None


def test_webhook_endpoints_come_without_their_secret_switched_off(db, rich):
    endpoint = WebhookEndpoint.objects.get(workspace=rich.imported)
    assert endpoint.secret.startswith("whsec_") and endpoint.secret != "whsec_x1"
    assert endpoint.is_active is False
    assert any("without their secrets" in note for note in rich.result.notes)


def test_stall_rules_that_email_people_come_back_paused(db, rich):
    OrchestrationRule.objects.filter(workspace=rich.source).update(email_owner=True, active=True)
    result = workspace_import(source=io.BytesIO(export_bytes(rich.source)), owner=rich.owner)
    rules = OrchestrationRule.objects.filter(workspace=result.workspace)
    assert rules.exists() and not rules.filter(active=True).exists()
    assert result.notes[next(note for note in result.notes if "paused" in note)] == rules.count()


def test_an_imported_workspace_can_be_deleted(db, rich):
    result = workspace_import(source=io.BytesIO(rich.first), owner=rich.owner)
    engage_services.workspace_delete(workspace=result.workspace)
    assert not Workspace.objects.filter(pk=result.workspace.pk).exists()


# --- Files that are wrong: nothing is imported, and the message says why ---------------


def refused(data: bytes, match: str, media_dir=None):
    before, files = workspaces_now(), set(media_dir.rglob("*")) if media_dir else set()
    with pytest.raises(ArchiveRefused, match=match):
        workspace_import(source=io.BytesIO(data), owner=User.objects.get(email=DEMO_EMAIL))
    assert workspaces_now() == before
    if media_dir:
        assert set(media_dir.rglob("*")) == files, "a refused import leaves no file behind"


def test_a_damaged_zip_is_refused(db, rich):
    refused(rich.first[: len(rich.first) // 2], "not a ZIP file, or it is damaged")
    refused(b"name,email\n", "not a ZIP file")


def test_another_format_version_is_refused(db, rich):
    manifest = json.loads(members(rich.first)["manifest.json"])
    manifest["version"] = 2
    data = rewrite(rich.first, {"manifest.json": json.dumps(manifest).encode()})
    refused(data, "format version 2; this Engage reads version 1")


def test_a_file_missing_from_the_zip_is_refused(db, rich):
    data = rewrite(rich.first, {"data/canvases.note.jsonl": None})
    refused(data, "lacks data/canvases.note.jsonl, which its manifest lists")


def test_a_row_changed_after_export_is_refused(db, rich, media_dir):
    notes = members(rich.first)["data/canvases.note.jsonl"]
    tampered = notes.replace(b'"colour":"yellow"', b'"colour":"green"', 1)
    assert tampered != notes
    data = rewrite(rich.first, {"data/canvases.note.jsonl": tampered}, fix_checksums=False)
    refused(data, r"data/canvases.note.jsonl was changed after it was exported", media_dir)


def test_a_forged_row_is_refused_by_line(db, rich, media_dir):
    """Even with checksums made to match, rows are checked one by one."""
    lines = members(rich.first)["data/canvases.note.jsonl"].splitlines(keepends=True)
    row = json.loads(lines[2])
    for change, match in (
        ({"canvas": 9999}, "line 3: names canvas 9999, which the file does not hold"),
        ({"colour": "ultraviolet"}, "line 3: colour: “ultraviolet” is not one of its choices"),
        ({"created_at": "yesterday"}, "line 3: created_at"),
        ({"text": None}, "line 3: text is empty"),
    ):
        forged = json.dumps({**row, **change}, sort_keys=True).encode() + b"\n"
        notes = b"".join([*lines[:2], forged, *lines[3:]])
        refused(rewrite(rich.first, {"data/canvases.note.jsonl": notes}), match, media_dir)


def test_rows_that_break_a_rule_of_the_database_are_refused(db, rich, media_dir):
    segments = members(rich.first)["data/engage.segment.jsonl"].splitlines(keepends=True)
    twin = {**json.loads(segments[1]), "name": json.loads(segments[0])["name"]}
    forged = segments[0] + json.dumps(twin, sort_keys=True).encode() + b"\n"
    data = rewrite(rich.first, {"data/engage.segment.jsonl": forged})
    refused(data, "data/engage.segment.jsonl: its rows break a rule of the database", media_dir)


def test_an_image_that_is_not_one_is_refused(db, rich, media_dir):
    (name,) = [name for name in members(rich.first) if name.startswith("media/")]
    data = rewrite(rich.first, {name: b"<svg onload=alert(1)>"})
    refused(data, "not an image we can read", media_dir)


# --- The commands --------------------------------------------------------------------


def test_the_commands_export_and_import(db, rich, tmp_path, capsys):
    path = tmp_path / "brightwave.zip"
    call_command("export_workspace", rich.source.slug, str(path))
    assert "Exported “Brightwave onboarding”" in capsys.readouterr().out
    call_command("import_workspace", str(path), "--name", "Copy of Brightwave")
    out = capsys.readouterr().out
    assert out.startswith("Imported “Copy of Brightwave” (/w/copy-of-brightwave/), owned by demo@")
    copy = Workspace.objects.get(slug="copy-of-brightwave")
    assert copy.memberships.get(role=Role.OWNER).user == rich.owner
    call_command("import_workspace", str(path), "--owner", rich.fay.email)
    with pytest.raises(CommandError, match=r"No account with the email nobody@example\.com"):
        call_command("import_workspace", str(path), "--owner", "nobody@example.com")
    path.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match=r"not a ZIP file.*Nothing was imported"):
        call_command("import_workspace", str(path))
    with pytest.raises(CommandError, match="No workspace “nowhere”"):
        call_command("export_workspace", "nowhere", str(tmp_path / "x.zip"))


def test_the_embedded_mode_exports_and_imports_the_same(db, tmp_path):
    """Ids are drawn from SQLite's own sequence there, and rows go in through the ORM:
    run this module again on SQLite, as `make run` uses it with nothing configured."""
    if connection.vendor != "postgresql":
        pytest.skip("this is the SQLite run's launcher; it runs under PostgreSQL")
    unset = {"DATABASE_URL", "REDIS_URL", "MAKEFLAGS", "MAKELEVEL", "MFLAGS"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__],
        cwd=REPO,
        env={**env, "SQLITE_PATH": str(tmp_path / "db.sqlite3")},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and result.stdout.count("skipped") <= 1
