"""Median response time of the core list pages as their rows grow.

Baseline: /healthz (one trivial query) in the same process. Each page is timed with
10 and with 200 personas/jobs; the ratio says how render cost grows with rows (query
counts are fixed by the tests). Creates a throwaway workspace and deletes it after.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "engage.settings")
os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="engage-bench-static-")

import django
from django.core.management import call_command

django.setup()
call_command("collectstatic", interactive=False, verbosity=0)  # production's hashed static names

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from engage import services  # noqa: E402
from engage.models import User, Workspace  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))


def median_ms(client, url) -> float:
    client.get(url)  # warm up
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def fill(workspace, owner, count):
    existing = workspace.personas.count()
    for n in range(existing, count):
        persona = services.persona_create(
            workspace=workspace, created_by=owner, name=f"Persona {n}"
        )
        services.job_create(
            workspace=workspace,
            created_by=owner,
            verb="Do",
            object=f"thing {n}",
            personas=[persona],
        )


def main():
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    email = "bench@engage.example"
    User.objects.filter(email=email).delete()
    owner = services.user_sign_up(email=email, name="Bench", password="bench-password-1")
    workspace = services.workspace_create(name="Benchmark workspace", created_by=owner)
    client = Client()
    client.force_login(owner)
    slug = workspace.slug
    pages = {
        "workspace home": reverse("workspace_home", args=[slug]),
        "persona list": reverse("persona_list", args=[slug]),
        "job list": reverse("job_list", args=[slug]),
    }
    try:
        baseline = median_ms(client, reverse("healthz"))
        results = {}
        for rows in (10, 200):
            fill(workspace, owner, rows)
            results[rows] = {name: median_ms(client, url) for name, url in pages.items()}
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(
            f"database: {engine}; {ROUNDS} requests per figure; baseline /healthz {baseline:.2f} ms"
        )
        print(f"{'page':<16}{'10 rows ms':>12}{'200 rows ms':>13}{'200/10':>9}{'vs healthz':>12}")
        for name in pages:
            small, large = results[10][name], results[200][name]
            print(
                f"{name:<16}{small:>12.2f}{large:>13.2f}{large / small:>9.2f}{large / baseline:>12.1f}"
            )
    finally:
        Workspace.objects.filter(pk=workspace.pk).delete()
        owner.delete()


if __name__ == "__main__":
    main()
