import os
import re
import shutil
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from canvases import packs, services, types
from canvases.models import Canvas, CanvasPack, CanvasPackPart
from canvases.tasks import assemble_canvas_pack, render_canvas_pack, render_pack_part
from engage.roles import Role
from tests.conftest import CeleryWorker, own_queue, wait_for
from tests.engage.factories import PersonaFactory, WorkspaceFactory

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


def squeeze(text: str) -> str:
    return "".join(text.split())


def pdf_text(path) -> str:
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True
    )
    return result.stdout


def three_canvases(workspace, owner):
    persona = PersonaFactory(workspace=workspace, created_by=owner, name="Priya Nair")
    canvases, texts = [], []
    for index, canvas_type in enumerate(types.all_types()[:3]):
        canvas = services.canvas_create(
            workspace=workspace,
            type_slug=canvas_type.slug,
            created_by=owner,
            persona=persona,
            title=f"Pack canvas {index}",
        )
        area = canvas_type.note_areas[0]
        text = f"Packed note number {index}"
        services.note_create(
            canvas=canvas,
            area=area.slug,
            text=text,
            author=owner,
            score=3 if area.note_score else None,
        )
        canvases.append(canvas)
        texts.append(text)
    return canvases, texts


def request_pack(workspace, owner, canvases, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        pack = services.pack_request(
            workspace=workspace, requested_by=owner, canvases=canvases, title="Quarterly review"
        )
    assert len(callbacks) == 1
    return pack


@pytest.fixture
def render_now(django_capture_on_commit_callbacks):
    """render_now(pack): run the pack's tasks here, eagerly, as workers would; the pack after."""
    from engage.celery import app

    def run(pack):
        eager, app.conf.task_always_eager = app.conf.task_always_eager, True
        try:
            with django_capture_on_commit_callbacks(execute=True):
                render_canvas_pack.delay(pack.pk)
        finally:
            app.conf.task_always_eager = eager
        return CanvasPack.objects.get(pk=pack.pk)

    return run


def test_a_pack_prints_cover_contents_and_every_canvas(
    workspace, owner, django_capture_on_commit_callbacks, render_now
):
    canvases, texts = three_canvases(workspace, owner)
    pack = request_pack(workspace, owner, canvases, django_capture_on_commit_callbacks)

    started = time.monotonic()
    pack = render_now(pack)
    print(f"3-canvas pack rendered in {time.monotonic() - started:.2f} s")

    assert pack.status == CanvasPack.Status.DONE
    assert (pack.progress_done, pack.progress_total) == (3, 3)
    assert pack.size == pack.file.size > 0
    assert pack.started_at <= pack.finished_at
    text = pdf_text(pack.file.path)
    flat = squeeze(text)
    assert "Quarterly review" in text
    assert "Requestedby" in flat and squeeze(owner.display_name) in flat
    pages = text.split("\f")
    for canvas, note in zip(canvases, texts, strict=True):
        row = re.search(rf"{re.escape(str(canvas))}.*?(\d+)\s*$", text, re.MULTILINE)
        assert row, f"no contents entry for {canvas}"
        page = int(row.group(1))
        assert squeeze(canvas.title) in squeeze(pages[page - 1])
        assert squeeze(note) in flat
    assert not CanvasPackPart.objects.filter(pack=pack).exists(), "parts are cleared away"
    assert os.listdir(os.path.join(os.path.dirname(pack.file.path), "parts")) == []


def test_rendering_a_done_pack_again_does_nothing(
    workspace, owner, django_capture_on_commit_callbacks, render_now
):
    canvases, _ = three_canvases(workspace, owner)
    pack = render_now(request_pack(workspace, owner, canvases, django_capture_on_commit_callbacks))
    name, finished = pack.file.name, pack.finished_at

    again = render_now(pack)

    assert (again.file.name, again.finished_at) == (name, finished)


def test_starting_again_renders_only_the_parts_not_yet_rendered(
    workspace, owner, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(packs, "_sections", {})  # canvases only: higher apps register sections
    canvases, _ = three_canvases(workspace, owner)
    pack = request_pack(workspace, owner, canvases, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks() as queued:
        services.pack_start(pack=pack)
    sections = len(packs.pack_sections())  # higher apps (journeys) register sections of their own
    assert len(queued) == 3 + sections, "one task per canvas and per section"
    first = CanvasPackPart.objects.get(pack=pack, position=0)
    with django_capture_on_commit_callbacks() as queued:
        render_pack_part.apply(args=[pack.pk, first.pk])
    assert queued == [], "two parts are still missing: no join yet"
    pack.refresh_from_db()
    assert (pack.status, pack.progress_done) == (CanvasPack.Status.RENDERING, 1)
    rendered = CanvasPackPart.objects.get(pk=first.pk).file.name

    with (
        django_capture_on_commit_callbacks() as queued
    ):  # the worker died; the sweep starts it again
        services.pack_start(pack=pack)

    assert len(queued) == 2 + sections
    assert CanvasPackPart.objects.get(pk=first.pk).file.name == rendered


def test_a_failing_render_is_recorded_and_can_be_retried(
    workspace, owner, django_capture_on_commit_callbacks, render_now
):
    canvases, _ = three_canvases(workspace, owner)
    pack = request_pack(workspace, owner, canvases, django_capture_on_commit_callbacks)
    Canvas.objects.filter(pk=canvases[1].pk).update(type="retired_type")

    render_now(pack)  # each part is tried four times; the failure is kept, not raised

    pack.refresh_from_db()
    assert pack.status == CanvasPack.Status.FAILED
    assert "retired_type" in pack.error
    assert not pack.file
    with django_capture_on_commit_callbacks() as callbacks:
        services.pack_retry(pack=pack)
    pack.refresh_from_db()
    assert (pack.status, pack.error) == (CanvasPack.Status.QUEUED, "")
    assert pack.progress_done == 2, "the two canvases that printed are kept"
    assert len(callbacks) == 1
    Canvas.objects.filter(pk=canvases[1].pk).update(type=canvases[1].type)
    assert render_now(pack).status == CanvasPack.Status.DONE


def test_download_only_for_a_done_pack_of_your_workspace(
    client, workspace, owner, django_capture_on_commit_callbacks, render_now
):
    canvases, _ = three_canvases(workspace, owner)
    pack = request_pack(workspace, owner, canvases, django_capture_on_commit_callbacks)
    client.force_login(owner)
    url = reverse("canvases:pack_download", kwargs={"workspace": workspace.slug, "pack": pack.pk})
    assert client.get(url).status_code == 404

    other = WorkspaceFactory(created_by=owner)
    other.memberships.create(user=owner, role=Role.OWNER)
    render_now(pack)
    foreign = reverse("canvases:pack_download", kwargs={"workspace": other.slug, "pack": pack.pk})
    assert client.get(foreign).status_code == 404
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_only_owners_delete_packs(
    client, workspace, owner, member, django_capture_on_commit_callbacks, render_now
):
    canvases, _ = three_canvases(workspace, owner)
    pack = render_now(request_pack(workspace, owner, canvases, django_capture_on_commit_callbacks))
    path = pack.file.path
    url = reverse("canvases:pack_delete", kwargs={"workspace": workspace.slug, "pack": pack.pk})

    client.force_login(member(Role.FACILITATOR))
    assert client.post(url).status_code == 403
    client.force_login(owner)
    assert client.post(url).status_code == 302

    assert not CanvasPack.objects.filter(pk=pack.pk).exists()
    assert not os.path.exists(path)


def test_the_form_selects_the_latest_versions(client, workspace, owner):
    canvases, _ = three_canvases(workspace, owner)
    newer = services.canvas_copy(canvas=canvases[0], actor=owner)
    client.force_login(owner)

    page = client.get(reverse("canvases:pack_list", kwargs={"workspace": workspace.slug}))

    checked = {
        int(pk) for pk in re.findall(rb'value="(\d+)" id="pack-canvas-\d+" checked', page.content)
    }
    assert checked == {newer.pk, canvases[1].pk, canvases[2].pk}


@pytest.mark.django_db(transaction=True)
def test_two_joins_queued_at_once_make_one_pack(workspace, owner, monkeypatch):
    """Two parts finishing together both see the set complete and both queue the join:
    the second must not join too (the first deletes the parts it would read)."""
    monkeypatch.setattr(packs, "_sections", {})
    canvases, _ = three_canvases(workspace, owner)
    pack = services.pack_request(
        workspace=workspace, requested_by=owner, canvases=canvases, title="Raced"
    )
    services.pack_start(pack=pack)
    for part in CanvasPackPart.objects.filter(pack=pack):
        render_pack_part.apply(args=[pack.pk, part.pk])
    joins, second_started, assemble = [], threading.Event(), packs.assemble

    def slow_assemble(pack):
        joins.append(pack.pk)
        second_started.wait(10)
        time.sleep(0.5)  # the second join has time to look at the pack
        assemble(pack)

    monkeypatch.setattr(packs, "assemble", slow_assemble)

    def join(second):
        if second:
            while not joins:
                time.sleep(0.01)
            second_started.set()
        try:
            return assemble_canvas_pack.apply(args=[pack.pk]).state
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        states = list(pool.map(join, [False, True]))

    pack.refresh_from_db()
    assert joins == [pack.pk], "one join"
    assert states == ["SUCCESS", "SUCCESS"]
    assert (pack.status, pack.error) == (CanvasPack.Status.DONE, "")
    assert len(PdfReader(pack.file.path).pages) > 3
    assert not CanvasPackPart.objects.filter(pack=pack).exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_makes_a_requested_pack(
    client, celery_worker, worker_media_root, settings, workspace, owner
):
    settings.MEDIA_ROOT = worker_media_root
    canvases, _ = three_canvases(workspace, owner)
    client.force_login(owner)
    response = client.post(
        reverse("canvases:pack_list", kwargs={"workspace": workspace.slug}),
        {"title": "Worker pack", "canvases": [canvas.pk for canvas in canvases]},
    )
    assert response.status_code == 302

    started = time.monotonic()
    pack = wait_for(
        lambda: CanvasPack.objects.filter(workspace=workspace, status="done").first(), timeout=60
    )
    print(f"worker made the pack within {time.monotonic() - started:.2f} s of the request")
    assert pack.progress_done == 3
    download = client.get(
        reverse("canvases:pack_download", kwargs={"workspace": workspace.slug, "pack": pack.pk})
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_packs_left_behind_by_a_killed_worker_are_queued_again(
    workspace, owner, django_capture_on_commit_callbacks
):
    canvases, _ = three_canvases(workspace, owner)
    long_ago = timezone.now() - timedelta(hours=1)
    titles = ("Stuck", "Never started", "Busy for long", "Done")
    stuck, never, busy, done = (
        services.pack_request(
            workspace=workspace, requested_by=owner, canvases=canvases, title=title
        )
        for title in titles
    )
    CanvasPack.objects.filter(pk=stuck.pk).update(
        status="rendering", created_at=long_ago, touched_at=long_ago, progress_done=2
    )
    CanvasPack.objects.filter(pk=never.pk).update(created_at=long_ago)
    CanvasPack.objects.filter(pk=busy.pk).update(
        status="rendering", created_at=long_ago, touched_at=timezone.now()
    )
    CanvasPack.objects.filter(pk=done.pk).update(status="done", created_at=long_ago)

    with django_capture_on_commit_callbacks() as callbacks:
        assert services.pack_requeue_stale() == 2

    assert len(callbacks) == 2, "a start task each is queued again"
    statuses = dict(CanvasPack.objects.values_list("title", "status"))
    assert statuses == dict(zip(titles, ["queued", "queued", "rendering", "done"], strict=True))


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_leaves_a_pack_that_completes_after_restart(
    worker_env, worker_media_root, tmp_path, settings, workspace, owner
):
    """SIGKILL the worker and its processes halfway; after a restart the pack completes."""
    settings.MEDIA_ROOT = worker_media_root
    persona = PersonaFactory(workspace=workspace, created_by=owner, name="Priya Nair")
    canvases = []
    for index in range(8):
        canvas = services.canvas_create(
            workspace=workspace,
            type_slug="empathy_map",
            created_by=owner,
            persona=persona,
            title=f"Workshop {index}",
        )
        areas = canvas.canvas_type.note_areas
        for n in range(40):
            services.note_create(
                canvas=canvas, area=areas[n % len(areas)].slug, text=f"Note {n}", author=owner
            )
        canvases.append(canvas)

    with own_queue() as queue:
        worker = CeleryWorker(worker_env, queue, tmp_path / "first-worker.log").start()
        try:
            pack = services.pack_request(
                workspace=workspace, requested_by=owner, canvases=canvases, title="Killed"
            )
            wait_for(
                lambda: CanvasPack.objects.filter(pk=pack.pk, progress_done__gte=1).exists(),
                timeout=60,
                interval=0.02,
            )
        finally:
            worker.kill()
        pack.refresh_from_db()
        assert pack.status == CanvasPack.Status.RENDERING, "killed before it finished"
        assert 1 <= pack.progress_done < 8

        # The scheduler's sweep (beat runs it every few minutes) finds it once it is stale.
        settings.CELERY_TASK_TIME_LIMIT = 1
        time.sleep(2.1)
        assert services.pack_requeue_stale() == 1
        second = CeleryWorker(worker_env, queue, tmp_path / "second-worker.log").start()
        try:
            done = wait_for(
                lambda: CanvasPack.objects.filter(pk=pack.pk, status="done").first(), timeout=90
            )
        finally:
            second.stop()

    assert done.progress_done == 8 and not done.error
    text = pdf_text(done.file.path)
    for canvas in canvases:
        assert squeeze(canvas.title) in squeeze(text)
    # Exactly once: each canvas is in the pack once, and the dead worker's tasks, handed
    # out again by the broker, leave the done pack as it is.
    outline = PdfReader(done.file.path).outline
    titles = Counter(item.title for item in outline if not isinstance(item, list))
    assert [titles[canvas.title] for canvas in canvases] == [1] * 8, titles
    render_canvas_pack(pack.pk)
    assemble_canvas_pack(pack.pk)
    again = CanvasPack.objects.get(pk=pack.pk)
    assert (again.file.name, again.finished_at) == (done.file.name, done.finished_at)


def test_a_registered_section_prints_after_the_canvases(
    monkeypatch, workspace, owner, django_capture_on_commit_callbacks, render_now
):
    """How journeys and metrics add to packs: a renderer of the workspace, registered."""
    from canvases import packs

    def journey_section(workspace):
        return f"<h1>Journeys of {workspace.name}</h1><p>Onboarding stalls at step 3</p>"

    monkeypatch.setattr(packs, "_sections", {})
    packs.register_pack_section("journeys", "Customer journeys", journey_section)
    canvases, _ = three_canvases(workspace, owner)

    pack = render_now(request_pack(workspace, owner, canvases, django_capture_on_commit_callbacks))

    assert pack.status == CanvasPack.Status.DONE and pack.progress_done == 3
    text = pdf_text(pack.file.path)
    pages = text.split("\f")
    row = re.search(r"Customer journeys\s+Section\s+(\d+)", text)
    assert row, "the contents list the section"
    assert "Onboarding stalls at step 3" in pages[int(row.group(1)) - 1]
