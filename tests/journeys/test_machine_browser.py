"""The machine page in a real browser: htmx redraws the machine, nothing breaks the CSP."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from journeys.statemachine.demo import seed_machine
from tests.engage.factories import JobFactory

pytestmark = pytest.mark.browser


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_the_demo_machine_and_an_htmx_edit(page, live_server, workspace, owner, artifact_path):
    job = JobFactory(workspace=workspace, verb="Onboard", object="new hires")
    JobFactory(workspace=workspace, verb="Provision", object="accounts and devices")
    seed_machine(workspace, owner)
    log_in(page, live_server, owner)
    page.goto(reverse("journeys:job_machine", args=[workspace.slug, job.pk]))
    expect(page.get_by_text("Sound: every state can reach done or cancel.")).to_be_visible()
    expect(page.locator("svg.machine-svg [data-state]")).to_have_count(6)
    page.screenshot(path=artifact_path("machine-page.png"), full_page=True)
    page.locator("svg.machine-svg").screenshot(path=artifact_path("machine-diagram.png"))

    page.get_by_label("Name of the state").fill("Left on a shelf")
    page.get_by_role("button", name="Add state").click()
    expect(page.get_by_text("Added “Left on a shelf”.")).to_be_visible()
    expect(page.get_by_text("Unreachable: Left on a shelf")).to_be_visible()
    expect(page.locator("svg.machine-svg .is-flagged")).to_have_count(1)
    assert page.url.endswith("/machine/"), "htmx swapped the machine in place"
    page.locator("svg.machine-svg").screenshot(path=artifact_path("machine-flagged.png"))

    page.goto(reverse("job_detail", args=[workspace.slug, job.pk]))
    panel = page.locator("section.panel", has=page.get_by_role("heading", name="State machine"))
    expect(panel).to_contain_text("7 states, 10 transitions")
    panel.screenshot(path=artifact_path("machine-job-panel.png"))

    page.goto(reverse("canvases:job_trace", args=[workspace.slug, job.pk]))
    expect(page.locator(".machine-figure.is-small svg")).to_be_visible()
    page.screenshot(path=artifact_path("machine-trace.png"), full_page=True)


def test_a_branching_machine_draws_cleanly(page, live_server, workspace, owner, artifact_path):
    from journeys.statemachine import services

    job = JobFactory(workspace=workspace, verb="Plan", object="a vacation")
    names = ["Dreaming", "Choosing a place", "Comparing prices", "Booking", "Waiting", "Away"]
    st = {name: services.state_add(job=job, name=name) for name in names}
    for source, target, kind, label in [
        ("Dreaming", "Choosing a place", "information", "Ideas from friends"),
        ("Dreaming", "Comparing prices", "information", "A price alert"),
        ("Choosing a place", "Booking", "service", "Rooms available"),
        ("Comparing prices", "Booking", "service", "A fair price"),
        ("Booking", "Waiting", "blocker", "Card declined"),
        ("Waiting", "Booking", "information", "Bank unblocks the card"),
        ("Booking", "Away", "service", "Tickets and check-in"),
        ("Dreaming", "Away", "spawn", "Last-minute trip"),
        ("Away", None, "done", "Home again"),
        ("Comparing prices", None, "cancel", "Too expensive"),
    ]:
        services.transition_add(
            source=st[source],
            target=st[target] if target else None,
            kind=kind,
            label=label,
            spawns=JobFactory(workspace=workspace, verb="Visit", object="a city")
            if kind == "spawn"
            else None,
        )
    log_in(page, live_server, owner)
    page.goto(reverse("journeys:job_machine", args=[workspace.slug, job.pk]))
    expect(page.locator("svg.machine-svg [data-transition]")).to_have_count(10)
    page.locator("svg.machine-svg").screenshot(path=artifact_path("machine-branching.png"))
