"""The customer journey map as a canvas type whose columns are the journey's stages.

Each stage has note areas for doing, thinking, feeling and opportunities, named
`<stage key>-<row>`; touchpoints, the stage heads and the emotion curve are panels that
span the sheet and lay their content on its columns. `shape()` builds the type for
one canvas from its stages, so the board, live updates, history and PDF of the canvas
engine serve journey maps unchanged.
"""

import dataclasses

from canvases.types import Area, AreaKind, CanvasType
from journeys.models import JOURNEY_MAP_TYPE
from journeys.selectors import map_stages
from journeys.services.journeys import journey_copy

LABEL_WIDTH = "8.5rem"

NOTE_ROWS = (
    ("doing", "Doing", "What they do here: steps, actions, workarounds."),
    ("thinking", "Thinking", "What goes through their mind: questions, doubts, hopes."),
    ("feeling", "Feeling", "How it feels, in their words."),
    ("opportunities", "Opportunities", "Where we could serve them better here."),
)

SUMMARY = Area(
    "summary",
    "Journey",
    "Persona, scenario and the journey's digital mix.",
    kind=AreaKind.PANEL,
    panel="journey_summary",
    tone="span",
    depends_on=("touchpoints", "stages", "mix"),
)
STAGES = Area(
    "stages",
    "Stages",
    "The stages of the journey, left to right. Add, rename, reorder or remove them.",
    kind=AreaKind.PANEL,
    panel="journey_stages",
    tone="span",
)
TOUCHPOINTS = Area(
    "touchpoints",
    "Touchpoints",
    "Where the customer meets the business in each stage: channel, digital or not, owner.",
    kind=AreaKind.PANEL,
    panel="journey_touchpoints",
    tone="span",
)
CURVE = Area(
    "curve",
    "Emotion",
    "How the persona feels at each stage, from −2 (very negative) to +2 (very positive).",
    kind=AreaKind.PANEL,
    panel="journey_curve",
    tone="span",
)


def _row_label(row: str, title: str, prompt: str) -> Area:
    return Area(f"label-{row}", title, prompt, kind=AreaKind.LABEL, tone="muted")


def _stage_area(stage, row: str, title: str, prompt: str) -> Area:
    return Area(stage.area(row), f"{stage.name} · {title}", prompt, tone=f"row-{row}")


def shape(canvas) -> CanvasType:
    """The map for this canvas's stages: a label column, then one column per stage."""
    stages = map_stages(canvas)
    if not stages:
        return CUSTOMER_JOURNEY_MAP
    spanning = lambda slug: " ".join([slug] * (len(stages) + 1))  # noqa: E731
    by_row = {
        row: (
            _row_label(row, title, prompt),
            [_stage_area(stage, row, title, prompt) for stage in stages],
        )
        for row, title, prompt in NOTE_ROWS
    }
    areas, grid = [SUMMARY, STAGES], [spanning("summary"), spanning("stages")]

    def add_notes_row(row):
        label, cells = by_row[row]
        areas.extend([label, *cells])
        grid.append(" ".join([label.slug, *(cell.slug for cell in cells)]))

    add_notes_row("doing")
    areas.append(TOUCHPOINTS)
    grid.append(spanning("touchpoints"))
    add_notes_row("thinking")
    add_notes_row("feeling")
    areas.append(CURVE)
    grid.append(spanning("curve"))
    add_notes_row("opportunities")
    return dataclasses.replace(
        CUSTOMER_JOURNEY_MAP,
        areas=tuple(areas),
        grid=tuple(grid),
        columns=" ".join([LABEL_WIDTH, *["1fr"] * len(stages)]),
    )


CUSTOMER_JOURNEY_MAP = CanvasType(
    slug=JOURNEY_MAP_TYPE,
    title="Customer journey map",
    summary="One persona's journey through the stages of a scenario: what they do, think "
    "and feel, the touchpoints that serve them, and where to do better.",
    family="journeys",
    links=frozenset({"persona", "job"}),
    columns="1fr",
    grid=("summary", "stages"),
    areas=(SUMMARY, STAGES),
    shape=shape,
    copy_rows=lambda source, copy: journey_copy(source=source, copy=copy),
)
