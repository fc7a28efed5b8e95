"""Where the network's boxes and arrows go: six fixed columns, links left to right.

Pure geometry from nodes and links, drawn by templates/canvases/panels/bdn_network.html,
so the board and the PDF show the same SVG without a layout engine.
"""

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from canvases.models import BdnColumn

COLUMN_WIDTH, GAP, MARGIN = 150, 44, 8
HEAD = 34  # room for the column titles above the boxes
LINE, PAD, BOX_GAP = 13, 7, 12
WRAP, MAX_LINES = 23, 4
FILLS = {  # calm tints, one per column, left to right
    BdnColumn.ENABLERS: "#e3edf5",
    BdnColumn.ENABLING_CHANGES: "#e4f0ea",
    BdnColumn.BUSINESS_CHANGES: "#edf2dc",
    BdnColumn.BENEFITS: "#fbf0d9",
    BdnColumn.OBJECTIVES: "#f6e4de",
    BdnColumn.DRIVERS: "#ebe5f3",
}


@dataclass(frozen=True)
class Box:
    pk: int
    column: str
    label: str
    lines: tuple[str, ...]
    x: float
    y: float
    width: float
    height: float
    flagged: bool = False

    @property
    def centre_y(self) -> float:
        return self.y + self.height / 2

    @property
    def fill(self) -> str:
        return FILLS.get(self.column, "#ffffff")

    @property
    def text_lines(self) -> tuple[tuple[float, float, str], ...]:
        """(x, baseline y, text) per line, centred in the box."""
        x = self.x + self.width / 2
        return tuple(
            (x, self.y + PAD + LINE * index + 10, line) for index, line in enumerate(self.lines)
        )


@dataclass(frozen=True)
class Arrow:
    source: int
    target: int
    path: str
    label: str  # "from → to", for screen readers


@dataclass(frozen=True)
class Heading:
    title: str
    x: float  # the column's centre
    left: float
    width: float = COLUMN_WIDTH


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    headings: tuple[Heading, ...]
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]

    @property
    def band_top(self) -> float:
        return HEAD - 8

    @property
    def band_height(self) -> float:
        return self.height - HEAD + 8 - MARGIN / 2


def wrap(label: str) -> tuple[str, ...]:
    lines = textwrap.wrap(label, WRAP, break_long_words=True) or [""]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: WRAP - 1].rstrip() + "…"
    return tuple(lines)


def order_columns(nodes: Sequence, links: Iterable[tuple[int, int]]) -> dict[str, list]:
    """Nodes per column, reordered by the barycentre of their neighbours to cut crossings.

    One sweep left to right (by the nodes linking in), one right to left (by the nodes
    linked to); a node without neighbours on that side keeps its place.
    """
    columns = {column.value: [n for n in nodes if n.column == column.value] for column in BdnColumn}
    links = list(links)
    into: dict[int, list[int]] = {}
    out_of: dict[int, list[int]] = {}
    for source, target in links:
        into.setdefault(target, []).append(source)
        out_of.setdefault(source, []).append(target)

    def rank() -> dict[int, float]:
        return {
            node.pk: (index + 0.5) / len(column)
            for column in columns.values()
            for index, node in enumerate(column)
        }

    def sweep(sequence, neighbours):
        for slug in sequence:
            ranks = rank()
            column = columns[slug]

            def key(node, ranks=ranks):
                near = [ranks[other] for other in neighbours.get(node.pk, ()) if other in ranks]
                return sum(near) / len(near) if near else ranks[node.pk]

            columns[slug] = sorted(column, key=key)  # stable: ties keep their order

    slugs = [column.value for column in BdnColumn]
    sweep(slugs[1:], into)
    sweep(slugs[-2::-1], out_of)
    return columns


def layout(nodes: Sequence, links: Iterable[tuple[int, int]], flagged=frozenset()) -> Layout:
    """Boxes stacked in their columns (centred vertically), arrows as S-curves between them."""
    links = [(s, t) for s, t in links]
    columns = order_columns(nodes, links)
    stacks = {}
    for index, column in enumerate(BdnColumn):
        x = MARGIN + index * (COLUMN_WIDTH + GAP)
        stack, y = [], 0.0
        for node in columns[column.value]:
            lines = wrap(node.label)
            height = 2 * PAD + LINE * len(lines)
            stack.append((node, lines, x, y, height))
            y += height + BOX_GAP
        stacks[column.value] = (stack, max(0.0, y - BOX_GAP))
    tallest = max(height for _, height in stacks.values())
    boxes = []
    for stack, height in stacks.values():
        offset = HEAD + (tallest - height) / 2
        boxes += [
            Box(
                node.pk,
                node.column,
                node.label,
                lines,
                x,
                offset + y,
                COLUMN_WIDTH,
                h,
                node.pk in flagged,
            )
            for node, lines, x, y, h in stack
        ]
    by_pk = {box.pk: box for box in boxes}
    arrows = []
    for source, target in links:
        if source not in by_pk or target not in by_pk:
            continue
        a, b = by_pk[source], by_pk[target]
        x1, y1, x2, y2 = a.x + a.width, a.centre_y, b.x - 3, b.centre_y
        if b.x <= a.x:  # a backward link (bad data): loop over the top instead of through boxes
            x2, y2 = b.x + b.width / 2, b.y
            path = (
                f"M{x1:g} {y1:g} C{x1 + 40:g} {HEAD - 20:g} {x2:g} {HEAD - 20:g} {x2:g} {y2 - 3:g}"
            )
        else:
            middle = (x1 + x2) / 2
            path = f"M{x1:g} {y1:g} C{middle:g} {y1:g} {middle:g} {y2:g} {x2:g} {y2:g}"
        arrows.append(Arrow(source, target, path, f"{a.label} → {b.label}"))
    headings = tuple(
        Heading(
            column.label,
            MARGIN + index * (COLUMN_WIDTH + GAP) + COLUMN_WIDTH / 2,
            MARGIN + index * (COLUMN_WIDTH + GAP),
        )
        for index, column in enumerate(BdnColumn)
    )
    width = 2 * MARGIN + 6 * COLUMN_WIDTH + 5 * GAP
    return Layout(width, HEAD + tallest + MARGIN, headings, tuple(boxes), tuple(arrows))
