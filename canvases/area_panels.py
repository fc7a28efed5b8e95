"""Areas drawn by code rather than notes: a table of jobs, a plot, a network, a balance.

A PANEL area names a registered AreaPanel: one template (a partial the board, its
live updates and the PDF all include) and a function giving that template its
context. Registered from CanvasesConfig.ready(); the system check refuses a PANEL
area whose panel is missing.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Viewer:
    """Who is looking, as far as a panel needs to know; no user means a printout."""

    user: object = None
    can_write: bool = False  # add and change entries
    can_edit: bool = False  # change the canvas's settings
    can_review: bool = False  # record decisions
    facilitating: bool = False
    # How this person asked panels to show themselves, e.g. {"sort": "importance"}.
    options: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_print(self) -> bool:
        return self.user is None


PRINT = Viewer()


@dataclass(frozen=True)
class AreaPanel:
    slug: str
    template: str
    context: Callable  # (canvas, viewer) -> dict for the template, under the name `panel`


_panels: dict[str, AreaPanel] = {}


def register_area_panel(slug: str, template: str, context: Callable) -> None:
    _panels[slug] = AreaPanel(slug, template, context)


def area_panel(slug: str) -> AreaPanel:
    return _panels[slug]


def is_registered(slug: str) -> bool:
    return slug in _panels
