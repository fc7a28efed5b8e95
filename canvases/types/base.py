"""The shape of a canvas type: areas on a grid, each holding notes or fields.

Types are code, not data: a canvas row names its type by slug, and the board, the
PDF and the checks all read the same frozen definitions.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class AreaKind(StrEnum):
    NOTES = "notes"  # sticky notes
    FIELDS = "fields"  # one or more single values (text, choice, scale)
    LABEL = "label"  # a printed caption of the sheet, e.g. a phase between timeline rows
    PANEL = "panel"  # drawn by a registered panel (canvases.panels): a table, a plot, a network


class FieldKind(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    CHOICE = "choice"
    SCALE = "scale"


@dataclass(frozen=True)
class Field:
    slug: str
    label: str
    kind: FieldKind = FieldKind.TEXT
    choices: tuple[tuple[str, str], ...] = ()
    scale: tuple[int, int] = (1, 5)
    ends: tuple[str, ...] = ()  # captions along a scale: ("chat", "structured")
    help: str = ""
    default: str = ""  # what an unset field means, shown and compared as its value


@dataclass(frozen=True)
class Area:
    slug: str
    title: str
    prompt: str
    kind: AreaKind = AreaKind.NOTES
    fields: tuple[Field, ...] = ()
    note_score: tuple[int, int] | None = None  # notes here carry a score, e.g. strength 1–5
    step: int | None = None  # suggested filling order, shown as a number
    tone: str = ""  # colour family of the area: "promote", "block", "head", "muted"
    panel: str = ""  # PANEL areas: the registered panel that draws them
    depends_on: tuple[str, ...] = ()  # areas whose changes redraw this one, e.g. a balance


@dataclass(frozen=True)
class CanvasType:
    slug: str
    title: str
    summary: str
    areas: tuple[Area, ...]
    grid: tuple[str, ...]  # rows of CSS grid-template-areas
    columns: str  # CSS grid-template-columns; a fixed count (the PDF renderer needs it)
    header_fields: tuple[Field, ...] = ()
    links: frozenset[str] = field(default_factory=lambda: frozenset({"persona", "job"}))
    family: str = "people"  # people / jobs / value: grouping in the "new canvas" menu;
    # another family (journeys) keeps the type out of the menu: its app creates those canvases.
    # A type whose areas come from the canvas's own rows (a journey's stages): shape(canvas)
    # returns the type with that canvas's areas and grid. Its app registers the type.
    shape: Callable | None = None
    # create_rows(canvas, actor): a new canvas starts with rows its app keeps (e.g. sectors);
    # copy_rows(source, copy): a new version of a canvas copies them.
    create_rows: Callable | None = None
    copy_rows: Callable | None = None

    def area(self, slug: str) -> Area:
        for area in self.areas:
            if area.slug == slug:
                return area
        raise KeyError(f"{self.slug} has no area {slug!r}")

    @property
    def note_areas(self) -> tuple[Area, ...]:
        return tuple(area for area in self.areas if area.kind == AreaKind.NOTES)

    @property
    def grid_names(self) -> set[str]:
        return {name for row in self.grid for name in row.split() if name != "."}

    @property
    def columns_css(self) -> str:
        """Fractions as minmax(0, …): columns never widen for content, and layout needn't measure it."""
        return " ".join(
            f"minmax(0, {width})" if width.endswith("fr") else width
            for width in self.columns.split()
        )

    @property
    def grid_css(self) -> str:
        return " ".join(f'"{row}"' for row in self.grid)


def choices(*pairs: str) -> tuple[tuple[str, str], ...]:
    """choices("analytical", "decision_maker:Decision-maker") → ((value, label), ...)."""
    result = []
    for pair in pairs:
        value, _, label = pair.partition(":")
        result.append((value, label or value.replace("_", " ").capitalize()))
    return tuple(result)
