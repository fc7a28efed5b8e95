"""The ecosystem map on the board: drawing, list, forms (htmx and plain), access, live, PDF, demo."""

import re
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvases import services as canvas_services
from canvases.pdf import render_canvas_pdf
from engage.roles import Role
from journeys.ecosystem import services
from journeys.ecosystem.demo import seed_ecosystem
from journeys.models import EcosystemDimension, EcosystemParty
from tests.engage.factories import MembershipFactory, PersonaFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
HOSTILE = '<script>alert("x")</script> & <b>Co</b>'


def url(name, workspace, **kwargs):
    return reverse(f"journeys:{name}", kwargs={"workspace": workspace.slug, **kwargs})


def dim(canvas, name="Tools & platforms"):
    return canvas.dimensions.get(name=name)


def add(canvas, actor, name="Okta", ring="valued", dimension="Tools & platforms"):
    return services.party_add(
        canvas=canvas, name=name, ring=ring, dimension=dim(canvas, dimension), actor=actor
    )


def test_the_board_draws_rings_sectors_subject_and_chips(client_as, alice, ecomap):
    party = add(ecomap, alice, "Okta", "essential")
    canvas_services.field_set(canvas=ecomap, field="subject", value="Dana Okafor", actor=alice)
    content = client_as(alice).get(ecomap.get_absolute_url()).content.decode()
    assert content.count('class="eco-svg"') == 1
    assert "Dana Okafor</tspan>" in content
    for name in services.DEFAULT_DIMENSIONS:
        assert f">{name.replace('&', '&amp;')}</tspan>" in content
    chip = re.search(
        rf'<g class="eco-chip eco-ring-essential" id="eco-chip-{party.pk}"[^>]*>', content
    )
    assert chip and 'tabindex="0"' in chip.group(0)
    assert f'data-dimension="{party.dimension_id}"' in chip.group(0)
    assert url("ecosystem_party_move", ecomap.workspace, party=party.pk) in chip.group(0)
    assert 'src="/static/js/ecosystem.js"' in content
    assert 'id="eco-party-' in content and 'aria-label="Menu for Okta"' in content


def test_the_subject_defaults_to_the_persona(client_as, alice, workspace, facilitator):
    persona = PersonaFactory(workspace=workspace, name="Marco Rossi")
    canvas = canvas_services.canvas_create(
        workspace=workspace, type_slug="ecosystem_map", persona=persona, created_by=facilitator
    )
    content = client_as(alice).get(canvas.get_absolute_url()).content.decode()
    assert "Marco Rossi</tspan>" in content


def test_hostile_names_are_escaped_in_the_drawing_and_the_list(client_as, alice, ecomap):
    add(ecomap, alice, HOSTILE)
    content = client_as(alice).get(ecomap.get_absolute_url()).content.decode()
    assert "<script>alert" not in content and "<b>Co</b>" not in content
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;" in content
    )


def test_a_participant_adds_a_party_with_a_plain_post(client_as, alice, ecomap, workspace):
    response = client_as(alice).post(
        url("ecosystem_party_add", workspace, canvas=ecomap.pk),
        {"name": "Okta", "ring": "essential", "dimension": dim(ecomap).pk, "note": "SSO"},
    )
    party = EcosystemParty.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#eco-party-{party.pk}")
    assert (party.name, party.ring, party.note) == ("Okta", "essential", "SSO")


def test_an_htmx_add_redraws_the_map_and_the_list_out_of_band(client_as, alice, ecomap, workspace):
    response = client_as(alice).post(
        url("ecosystem_party_add", workspace, canvas=ecomap.pk),
        {"name": "Okta", "ring": "valued", "dimension": dim(ecomap).pk},
        **HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="panel-map" hx-swap-oob="true"' in content
    assert 'id="panel-parties" hx-swap-oob="true"' in content
    assert "Okta</tspan>" in content


def test_a_refused_add_shows_the_message_in_the_list(
    client_as, alice, ecomap, workspace, facilitator
):
    other = canvas_services.canvas_create(
        workspace=workspace, type_slug="ecosystem_map", created_by=facilitator
    )
    response = client_as(alice).post(
        url("ecosystem_party_add", workspace, canvas=ecomap.pk),
        {"name": "Okta", "ring": "valued", "dimension": other.dimensions.first().pk},
        **HTMX,
    )
    assert "That dimension is not on this map." in response.content.decode()
    assert not EcosystemParty.objects.exists()


def test_moving_by_the_menu_form_and_a_stale_move(client_as, alice, facilitator, ecomap, workspace):
    party = add(ecomap, alice, ring="desirable")
    move = url("ecosystem_party_move", workspace, party=party.pk)
    target = dim(ecomap, "Regulators").pk
    client = client_as(alice)
    response = client.post(move, {"ring": "essential", "dimension": target, "version": 1}, **HTMX)
    assert response.status_code == 200
    party.refresh_from_db()
    assert (party.ring, party.dimension_id, party.version) == ("essential", target, 2)
    stale = client.post(move, {"ring": "valued", "dimension": target, "version": 1}, **HTMX)
    assert "Not saved: someone changed “Okta”" in stale.content.decode()
    party.refresh_from_db()
    assert party.ring == "essential"


def test_renaming_and_removing_a_party(client_as, alice, ecomap, workspace):
    party = add(ecomap, alice)
    client = client_as(alice)
    client.post(
        url("ecosystem_party_change", workspace, party=party.pk),
        {"name": "Okta SSO", "note": "Logins", "version": 1},
    )
    party.refresh_from_db()
    assert (party.name, party.note) == ("Okta SSO", "Logins")
    response = client.post(url("ecosystem_party_remove", workspace, party=party.pk))
    assert response.status_code == 302
    assert not EcosystemParty.objects.exists()


def test_dimensions_need_the_right_to_edit(client_as, alice, facilitator, ecomap, workspace):
    add_url = url("ecosystem_dimension_add", workspace, canvas=ecomap.pk)
    assert client_as(alice).post(add_url, {"name": "Family"}).status_code == 403
    assert (
        'id="eco-dimensions"'
        not in client_as(alice).get(ecomap.get_absolute_url()).content.decode()
    )
    client = client_as(facilitator)
    assert 'id="eco-dimensions"' in client.get(ecomap.get_absolute_url()).content.decode()
    client.post(add_url, {"name": "Family"})
    family = EcosystemDimension.objects.get(name="Family")
    client.post(
        url("ecosystem_dimension_rename", workspace, dimension=family.pk),
        {"name": "Home", "original": "Family"},
    )
    family.refresh_from_db()
    assert family.name == "Home"
    client.post(url("ecosystem_dimension_remove", workspace, dimension=family.pk))
    assert not EcosystemDimension.objects.filter(pk=family.pk).exists()


def test_removing_a_dimension_with_parties_says_why(
    client_as, alice, facilitator, ecomap, workspace
):
    add(ecomap, alice)
    response = client_as(facilitator).post(
        url("ecosystem_dimension_remove", workspace, dimension=dim(ecomap).pk), **HTMX
    )
    assert "still holds 1 party: move or remove them first" in response.content.decode()


def test_viewers_see_the_map_but_no_forms_and_cannot_post(client, workspace, alice, ecomap):
    party = add(ecomap, alice)
    viewer = MembershipFactory(workspace=workspace, role=Role.VIEWER).user
    client.force_login(viewer)
    content = client.get(ecomap.get_absolute_url()).content.decode()
    assert "Okta</tspan>" in content
    assert "/journeys/ecosystem/" not in content and 'class="eco-add"' not in content
    assert "ecosystem.js" in content, "it keeps the stylesheet through live redraws"
    response = client.post(
        url("ecosystem_party_move", workspace, party=party.pk),
        {"ring": "essential", "dimension": party.dimension_id},
    )
    assert response.status_code == 403


def test_another_workspace_cannot_reach_the_parties(client, alice, ecomap):
    party = add(ecomap, alice)
    stranger = MembershipFactory(role=Role.OWNER)
    client.force_login(stranger.user)
    own_slug = url("ecosystem_party_remove", stranger.workspace, party=party.pk)
    assert client.post(own_slug).status_code == 404
    assert EcosystemParty.objects.exists()


def test_a_move_redraws_the_map_on_the_next_poll(
    client_as, alice, facilitator, ecomap, django_capture_on_commit_callbacks
):
    party = add(ecomap, alice, ring="desirable")
    client = client_as(facilitator)
    board = client.get(ecomap.get_absolute_url()).content.decode()
    poll = re.search(r'data-poll-url="([^"]+)"', board).group(1).replace("&amp;", "&")
    with django_capture_on_commit_callbacks(execute=True):
        services.party_move(party=party, ring="essential", dimension=party.dimension, actor=alice)
    content = client.get(poll).content.decode()
    assert 'id="panel-map" hx-swap-oob="true"' in content
    assert 'id="panel-parties" hx-swap-oob="true"' in content
    assert 'class="eco-chip eco-ring-essential"' in content


def test_the_history_names_the_party(client_as, alice, ecomap, workspace):
    party = add(ecomap, alice)
    services.party_move(party=party, ring="essential", dimension=party.dimension, actor=alice)
    history = reverse(
        "canvases:canvas_history", kwargs={"workspace": workspace.slug, "canvas": ecomap.pk}
    )
    content = client_as(alice).get(history).content.decode()
    assert "moved a party" in content and "“Okta”" in content


def fill(canvas, actor, count):
    dimensions = list(canvas.dimensions.all())
    rings = ["essential", "valued", "desirable"]
    for i in range(count):
        services.party_add(
            canvas=canvas,
            name=f"Party {i}",
            ring=rings[i % 3],
            dimension=dimensions[i % len(dimensions)],
            actor=actor,
        )


def test_the_board_query_count_does_not_grow_with_parties(
    client_as, alice, ecomap, django_assert_max_num_queries
):
    client = client_as(alice)
    fill(ecomap, alice, 2)
    client.get(ecomap.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(ecomap.get_absolute_url())
    fill(ecomap, alice, 40)
    with django_assert_max_num_queries(len(few)):
        response = client.get(ecomap.get_absolute_url())
    assert response.content.decode().count('class="eco-item"') == 42


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_map_prints_with_its_register_and_hostile_names_literally(
    tmp_path, alice, ecomap, artifact_path
):
    add(ecomap, alice, "Okta", "essential")
    add(ecomap, alice, HOSTILE, "desirable", "Regulators")
    path = artifact_path("ecosystem-map.pdf")
    path.write_bytes(render_canvas_pdf(ecomap))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    for expected in ("Work & colleagues", "Regulators", "Okta", "Essential", "Desirable"):
        assert expected in flat, expected
    # The register prints the name whole, wrapped in its cell, as text and never as markup.
    assert "".join(HOSTILE.split()) in "".join(text.split())
    assert "<script>alert…" in flat, "the chip shortens it"
    assert "Add a party" not in flat and "Rename" not in flat, "no forms on paper"
    if shutil.which("qpdf"):
        assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / "page")])
        assert [p.name for p in tmp_path.glob("page*.png")] == ["page-1.png"], "one page"


def test_the_demo_map_has_a_dozen_parties_on_every_ring_and_is_made_once(workspace, facilitator):
    PersonaFactory(workspace=workspace, name="Marco Rossi")
    seed_ecosystem(workspace, facilitator)
    seed_ecosystem(workspace, facilitator)
    canvas = workspace.canvases.get(type="ecosystem_map")
    parties = list(canvas.parties.all())
    assert len(parties) >= 12
    assert {p.ring for p in parties} == {"essential", "valued", "desirable"}
    assert len({p.dimension_id for p in parties}) == 6
    assert canvas.persona.name == "Marco Rossi"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_a_pack_prints_the_map(
    workspace, facilitator, alice, ecomap, django_capture_on_commit_callbacks
):
    from canvases.models import CanvasPack
    from canvases.tasks import render_canvas_pack
    from engage.celery import app

    add(ecomap, alice, "Okta", "essential")
    add(ecomap, alice, "Care quality auditors", "valued", "Regulators")
    with django_capture_on_commit_callbacks(execute=False):
        pack = canvas_services.pack_request(
            workspace=workspace, requested_by=facilitator, canvases=[ecomap], title="Ecosystem pack"
        )
    eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            render_canvas_pack.delay(pack.pk)
    finally:
        app.conf.task_always_eager = eager
    pack = CanvasPack.objects.get(pk=pack.pk)
    assert pack.status == CanvasPack.Status.DONE
    text = subprocess.run(["pdftotext", pack.file.path, "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    for expected in ("Ecosystem pack", "Dana's ecosystem", "Okta", "Care quality auditors"):
        assert expected in flat, expected
