"""Panels on core pages that higher apps fill in.

`engage` must not import canvases, journeys or metrics, so each of those apps
registers its panels here from its AppConfig.ready(), as django.contrib.admin is
filled. A panel names the page it belongs on ("workspace_home", "persona_detail",
"job_detail"); its context callable gets the request and the page's object.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    slug: str
    title: str
    template: str
    order: int = 100
    context: Callable = field(default=lambda request, obj: {})


_panels: dict[str, dict[str, Panel]] = {}


def register_panel(page: str, panel: Panel) -> None:
    _panels.setdefault(page, {})[panel.slug] = panel


def panels_for(page: str, request, obj) -> list[dict]:
    """The page's panels in order, each with the context it computed for `obj`."""
    panels = sorted(_panels.get(page, {}).values(), key=lambda panel: (panel.order, panel.slug))
    return [{"panel": panel, "context": panel.context(request, obj)} for panel in panels]
