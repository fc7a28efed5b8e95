"""Two people on one live board, each in a browser context of their own."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from canvases import services, types
from engage.roles import Role
from tests.canvases.factories import CanvasFactory
from tests.engage.factories import MembershipFactory

LIVE = 2000  # ms: a change must reach the other screen within this (the board polls every 1.5 s)


@pytest.fixture
def team():
    lead = MembershipFactory(role=Role.FACILITATOR, user__name="Fay Facilitator")
    facilitator, workspace = lead.user, lead.workspace
    participant = MembershipFactory(
        workspace=workspace, role=Role.PARTICIPANT, user__name="Pat Participant"
    ).user
    canvas = CanvasFactory(
        workspace=workspace,
        type=types.JTBD_FORCES.slug,
        title="Switching to self-service reporting",
        created_by=facilitator,
    )
    # The shared cache outlives test databases, and ids repeat from one run to the next.
    cache.delete_many([services.revision_cache_key(canvas.pk), f"canvas:{canvas.pk}:presence"])
    return SimpleNamespace(facilitator=facilitator, participant=participant, canvas=canvas)


@pytest.fixture
def open_canvas(browser, live_server):
    """open_canvas(user, canvas) → a page of its own browser context, logged in, on the board."""
    contexts, errors = [], []

    def open_as(user, canvas):
        client = Client()
        client.force_login(user)
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1440, "height": 900}
        )
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{user}: {error}"))
        page.on(
            "console",
            lambda msg: errors.append(f"{user}: {msg.text}") if msg.type == "error" else None,
        )
        page.goto(canvas.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text(canvas.title)
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors in the browser: {errors}"


@pytest.fixture
def open_board(open_canvas, team):
    """open_board(user) → the team's board in a browser context of the user's own."""
    return lambda user: open_canvas(user, team.canvas)
