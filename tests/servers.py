"""Real servers on loopback for the fault tests and the load benchmark: Redis, a PostgreSQL
cluster, gunicorn as in production and Celery workers. Each runs in its own process group
so it can be stopped, killed or restarted whole, and nothing else is ever touched.
"""

import glob
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent

# A production-settings server that tests and benchmarks talk to over plain HTTP.
PLAIN_HTTP = {
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(interval)
    raise RuntimeError(f"{what} within {timeout:.0f} s")


class Process:
    """A server in its own process group, its output in a log file.

    `start()` launches it and waits until it serves; `launch()` and then `wait()` let
    several start side by side (each takes seconds to import the app on this machine).
    """

    process: subprocess.Popen | None = None

    def __init__(self, log_path: Path):
        self.log_path = log_path

    def spawn(self, command: list[str], env: dict | None = None) -> None:
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip

    def start(self):
        self.launch()
        return self.wait()

    def launch(self) -> None:
        raise NotImplementedError

    def wait(self):
        raise NotImplementedError

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole group, as when a machine dies: no clean-up at all."""
        if self.running():
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM to the main process, which stops its own children; SIGKILL if it hangs."""
        if not self.running():
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()

    def group_pids(self) -> list[int]:
        """Every live process of the group (gunicorn's arbiter and workers, a worker's pool)."""
        pids = []
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.process.pid:  # the process group id
                pids.append(int(stat.split("/")[2]))
        return pids


class RedisServer(Process):
    """redis-server on a fixed port: stop it and start it again where the app expects it."""

    def __init__(self, folder: Path, port: int | None = None):
        super().__init__(folder / "redis.log")
        self.folder, self.port = folder, port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def launch(self) -> None:
        self.spawn(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)]
        )  # fmt: skip

    def wait(self) -> "RedisServer":
        wait_until(self._answers, 20, f"Redis did not start on port {self.port}:\n{self.log()}")
        return self

    def _answers(self) -> bool:
        probe = subprocess.run(
            ["redis-cli", "-p", str(self.port), "info", "server"], capture_output=True, text=True
        )
        return f"process_id:{self.process.pid}" in probe.stdout


class PostgresCluster:
    """A throwaway cluster of one's own (tests/services.sh), to restart under a running app."""

    def __init__(self):
        # Under /tmp: the postgres user must reach it (pytest's tmp_path is root's alone).
        self.folder = Path(tempfile.mkdtemp(prefix="engage-services."))
        self.url = ""

    def start(self) -> "PostgresCluster":
        # services.sh leaves alone a service whose URL is set: only PostgreSQL starts here.
        env = {**os.environ, "REDIS_URL": "redis://unused"}
        env.pop("DATABASE_URL", None)
        result = subprocess.run(
            [str(REPO / "tests" / "services.sh"), "up", str(self.folder)],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        self.url = result.stdout.split("DATABASE_URL=", 1)[1].split()[0]
        return self

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: every connection is cut, the server is back in a second."""
        pg_ctl = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]
        command = [pg_ctl, "-D", str(self.folder / "pg"), "-w", "-l", str(self.folder / "pg.log"),
                   "restart", "-m", "fast"]  # fmt: skip
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run([str(REPO / "tests" / "services.sh"), "down", str(self.folder)], check=True)


class Gunicorn(Process):
    """The app as README "Production" runs it: gunicorn, gthread workers, app preloaded."""

    def __init__(self, env: dict, log_path: Path, *, workers: int = 1, threads: int = 4):
        super().__init__(log_path)
        self.env = {**env, **PLAIN_HTTP}
        self.workers, self.threads = workers, threads
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def launch(self) -> None:
        self.spawn(
            [sys.executable, "-m", "gunicorn", "engage.wsgi", "--preload",
             "--worker-class", "gthread", "--workers", str(self.workers),
             "--threads", str(self.threads), "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning"],
            env=self.env,
        )  # fmt: skip

    def wait(self, timeout: float = 120) -> "Gunicorn":
        wait_until(self._answers, timeout, f"gunicorn did not start:\n{self.log()}", 0.3)
        return self

    def _answers(self) -> bool:
        if not self.running():
            raise RuntimeError(f"gunicorn exited:\n{self.log()}")
        try:
            requests.get(f"{self.url}/healthz", timeout=5)
        except requests.ConnectionError:
            return False
        return True


class CeleryWorker(Process):
    """A `celery worker` process (prefork, as in production) listening on one queue."""

    def __init__(self, env: dict, queue: str, log_path: Path, *, concurrency: int = 2):
        super().__init__(log_path)
        self.env, self.queue = {**env, "CELERY_QUEUE": queue}, queue
        self.concurrency = concurrency

    def launch(self) -> None:
        self.log_path.write_text("")
        self.spawn(
            [sys.executable, "-m", "celery", "-A", "engage", "worker", "--pool=prefork",
             f"--concurrency={self.concurrency}", "--loglevel=INFO", f"--queues={self.queue}"],
            env=self.env,
        )  # fmt: skip

    def wait(self, timeout: float = 120) -> "CeleryWorker":
        try:
            wait_until(self._ready, timeout, "the Celery worker did not start", 0.2)
        except RuntimeError:
            self.kill()
            raise RuntimeError("Celery worker did not start:\n" + self.log()) from None
        return self

    def _ready(self) -> bool:
        if not self.running():
            raise RuntimeError("Celery worker exited:\n" + self.log())
        return "ready." in self.log()
