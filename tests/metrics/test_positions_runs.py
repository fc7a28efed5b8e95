"""Running the positions pass: the command, one busy pass per workspace, the beat pass,
a real worker, and the embedded mode (SQLite) computing the same answers."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from metrics.models import Health, PathStep, Position, PositionRun
from metrics.services.position_runs import (
    PositionsBusy,
    position_run,
    position_run_execute,
    position_run_request,
)
from metrics.tasks import compute_all_positions
from tests.conftest import REPO, wait_for
from tests.engage.factories import WorkspaceFactory
from tests.metrics.conftest import at, customer_with


def test_the_command_runs_the_pass_at_the_clock_given(workspace, onboarding, capsys):
    ada = customer_with(workspace, "ada", ("Signed up", 0))
    call_command("compute_positions", workspace.slug, "--now", "2026-03-03T10:00")  # 25 h later
    assert Position.objects.get(customer=ada).health == Health.BEHIND
    out = capsys.readouterr().out
    assert out.startswith(
        f"Positions of {workspace.name} as of 2026-03-03 10:00 UTC: 1 placed, 1 behind, 0 stuck ("
    )
    call_command("compute_positions", workspace.slug, "--now", "2026-03-04T11:30+02:00")
    assert Position.objects.get(customer=ada).health == Health.STUCK
    run = PositionRun.objects.first()
    assert (run.status, run.as_of, run.stuck) == ("done", at(48.5), 1)


def test_the_command_refuses_bad_input(workspace):
    with pytest.raises(CommandError, match="No workspace “nowhere”"):
        call_command("compute_positions", "nowhere")
    with pytest.raises(CommandError, match="“03/03/2026” is not an ISO 8601 date or time"):
        call_command("compute_positions", workspace.slug, "--now", "03/03/2026")
    position_run_request(workspace=workspace)
    with pytest.raises(CommandError, match="being computed already"):
        call_command("compute_positions", workspace.slug)


def test_one_busy_pass_per_workspace(workspace, onboarding):
    run = position_run_request(workspace=workspace)
    with pytest.raises(PositionsBusy):
        position_run_request(workspace=workspace)
    position_run_request(workspace=WorkspaceFactory())  # another workspace is not held up
    position_run_execute(run, now=at(1))
    assert position_run_execute(run, now=at(2)).as_of == at(1)  # done: not run twice
    position_run_request(workspace=workspace)  # free again


def test_a_pass_whose_worker_went_away_is_given_up(workspace, settings):
    stale = position_run_request(workspace=workspace)
    long_ago = timezone.now() - dt.timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT + 1)
    PositionRun.objects.filter(pk=stale.pk).update(created_at=long_ago)
    position_run_request(workspace=workspace)
    stale.refresh_from_db()
    assert stale.status == PositionRun.Status.FAILED and "worker went away" in stale.error


def test_finished_runs_are_kept_for_a_week(workspace, onboarding):
    old = position_run(workspace=workspace, now=at(1))
    PositionRun.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=8))
    recent = position_run(workspace=workspace, now=at(2))
    assert list(PositionRun.objects.all()) == [recent]


def test_the_beat_pass_queues_workspaces_with_rules_or_positions(workspace, onboarding):
    assert settings.CELERY_BEAT_SCHEDULE["compute-positions"] == {
        "task": "metrics.tasks.compute_all_positions",
        "schedule": 900.0,
    }
    idle = WorkspaceFactory()
    left_over = WorkspaceFactory()  # its rules were removed; its old positions must go
    PathStep.objects.create(
        workspace=left_over,
        customer=customer_with(left_over, "old"),
        journey=onboarding.journey,
        stage=onboarding.signup,
        entered_at=at(0),
    )
    assert compute_all_positions() == 2
    assert compute_all_positions() == 0  # both still queued
    queued = set(PositionRun.objects.values_list("workspace", flat=True))
    assert queued == {workspace.pk, left_over.pk} and idle.pk not in queued


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_pass(celery_worker, workspace, onboarding):
    ada = customer_with(workspace, "ada", ("Signed up", -100))
    run = position_run_request(workspace=workspace, enqueue=True)
    done = wait_for(lambda: PositionRun.objects.filter(pk=run.pk, status="done").first(), 60)
    assert (done.positions, done.stuck) == (1, 1)  # its clock: now, long after 2 March 2026
    assert done.as_of > timezone.now() - dt.timedelta(minutes=5)
    assert Position.objects.get(customer=ada).health == Health.STUCK


POSITIONS_TESTS = [
    "tests/metrics/test_positions.py",
    "tests/metrics/test_positions_learned.py",
    "tests/metrics/test_positions_selectors.py",
    "tests/metrics/test_position_rules.py",
]


def test_the_embedded_mode_computes_the_same_answers(db, tmp_path):
    """The pass's SQL has PostgreSQL and SQLite fragments: run the positions tests again on
    SQLite, as `make run` uses it with nothing configured."""
    if connection.vendor != "postgresql":
        pytest.skip("this is the SQLite run's launcher; it runs under PostgreSQL")
    unset = {"DATABASE_URL", "REDIS_URL", "MAKEFLAGS", "MAKELEVEL", "MFLAGS"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *POSITIONS_TESTS],
        cwd=REPO,
        env={**env, "SQLITE_PATH": str(tmp_path / "db.sqlite3")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout
