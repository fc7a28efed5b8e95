"""Panels on the workspace home that higher apps fill in.

`engage` must not import canvases, journeys or metrics, so each of those apps
registers its panel here from its AppConfig.ready(), as django.contrib.admin is filled.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class HomePanel:
    slug: str
    title: str
    template: str
    order: int = 100
    context: Callable = field(default=lambda request, workspace: {})


_panels: dict[str, HomePanel] = {}


def register_home_panel(panel: HomePanel) -> None:
    _panels[panel.slug] = panel


def home_panels() -> list[HomePanel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.slug))
