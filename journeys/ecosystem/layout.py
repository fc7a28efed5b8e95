"""Geometry of an ecosystem map, as pure functions: the board, its script and the PDF draw
the same picture from it, and the drop target of a drag is found the same way.

The subject sits in a centre circle; three rings (essential inside, desirable outside)
surround it; dimensions divide the rings into equal sectors, the first starting at the
top and going clockwise. A party is a chip placed inside its ring × sector cell, at the
first free spot from the cell's inner edge outwards, never overlapping another chip or
the cell's edges. A chip that finds no room is drawn as a dot; one that finds no room
even for a dot is counted as hidden in its cell.
"""

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 1010.0, 800.0
CX, CY = WIDTH / 2, HEIGHT / 2
CENTRE_RADIUS = 62.0
RING_EDGES = (CENTRE_RADIUS, 180.0, 275.0, 355.0)  # essential | valued | desirable, outwards
RINGS = ("essential", "valued", "desirable")
START_ANGLE = -90.0  # degrees; SVG angles grow clockwise
LABEL_GAP = 16.0

LINE_CHARS = 14  # a chip's name wraps onto two lines of this many characters
NARROW_CHARS = 8  # …or of this many, where a cell has no room for the wider chip
LINE_HEIGHT = 12.0
CHIP_HEIGHT = 16.0  # one line; two lines add LINE_HEIGHT
CHIP_MIN_WIDTH = 34.0
CHAR_WIDTH = 5.4  # average advance of a 10 px Inter character
CHIP_PADDING = 10.0
CHIP_GAP = 3.0  # between chips, and between a chip and the cell's edges
DOT_RADIUS = 5.0
STEP = 6.0  # spacing of the spots tried in a cell


@dataclass(frozen=True)
class Party:
    pk: int
    name: str
    ring: str
    dimension: int  # the dimension's pk


@dataclass(frozen=True)
class Chip:
    pk: int
    name: str
    lines: tuple[str, ...]  # the name as drawn on the chip; none for a dot
    ring: str
    dimension: int
    x: float  # centre
    y: float
    width: float
    height: float
    is_dot: bool = False

    @property
    def left(self) -> float:
        return round(self.x - self.width / 2, 2)

    @property
    def top(self) -> float:
        return round(self.y - self.height / 2, 2)

    @property
    def text_lines(self) -> tuple[tuple[float, str], ...]:
        first = self.y + 3.5 - LINE_HEIGHT * (len(self.lines) - 1) / 2
        return tuple((round(first + LINE_HEIGHT * i, 2), line) for i, line in enumerate(self.lines))


@dataclass(frozen=True)
class Sector:
    pk: int
    name: str
    start: float  # degrees
    end: float
    line: tuple[float, float, float, float]  # the divider at its start, centre circle to rim
    label_x: float
    label_y: float
    anchor: str  # SVG text-anchor
    label_lines: tuple[tuple[float, str], ...]  # (y, text)


@dataclass(frozen=True)
class Ring:
    slug: str
    inner: float
    outer: float


@dataclass(frozen=True)
class Overflow:
    """Parties of one cell that found no room on the drawing (the list shows them all)."""

    ring: str
    dimension: int
    count: int


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    cx: float
    cy: float
    rings: tuple[Ring, ...]
    sectors: tuple[Sector, ...]
    chips: tuple[Chip, ...]
    overflows: tuple[Overflow, ...]
    subject_lines: tuple[tuple[float, str], ...]

    @property
    def edges(self) -> str:
        return " ".join(f"{edge:g}" for edge in RING_EDGES)

    @property
    def dimension_pks(self) -> str:
        return " ".join(str(sector.pk) for sector in self.sectors)


def wrap(text: str, width: int, lines: int) -> list[str]:
    """Greedy word wrap into at most `lines` lines; the last one ends in … if text is left."""
    result, current, left_over = [], "", False
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate  # a word longer than a line is shortened below
        elif len(result) + 1 == lines:
            left_over = True
            break
        else:
            result.append(current)
            current = word
    if current:
        result.append(current)
    result = [shorten(line, width) for line in result]
    if left_over and not result[-1].endswith("…"):
        result[-1] = shorten(result[-1], width - 1, force=True)
    return result


def shorten(text: str, width: int, *, force: bool = False) -> str:
    if len(text) <= width and not force:
        return text
    return text[: max(width - 1, 1)].rstrip() + "…"


def point(angle: float, radius: float) -> tuple[float, float]:
    rad = math.radians(angle)
    return CX + radius * math.cos(rad), CY + radius * math.sin(rad)


def sector_angles(count: int) -> list[tuple[float, float]]:
    span = 360.0 / count
    return [(START_ANGLE + i * span, START_ANGLE + (i + 1) * span) for i in range(count)]


def cell_at(x: float, y: float, dimensions: Sequence[int]) -> tuple[str, int] | None:
    """The (ring, dimension pk) under a point of the drawing; None outside the rings."""
    radius = math.hypot(x - CX, y - CY)
    if not dimensions or radius < RING_EDGES[0] or radius > RING_EDGES[-1]:
        return None
    ring = next(RINGS[i] for i in range(3) if radius <= RING_EDGES[i + 1])
    angle = (math.degrees(math.atan2(y - CY, x - CX)) - START_ANGLE) % 360.0
    index = min(int(angle / (360.0 / len(dimensions))), len(dimensions) - 1)
    return ring, dimensions[index]


def _inside_cell(corners, inner: float, outer: float, start: float, end: float, full: bool):
    """Whether a convex shape given by its corners lies in the ring × sector cell."""
    if any(math.hypot(x - CX, y - CY) > outer for x, y in corners):
        return False
    if full:
        return True
    for angle, sign in ((start, 1), (end, -1)):
        dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        # cross > 0: clockwise of the start line (SVG y points down); < 0: before the end line
        if any(sign * (dx * (y - CY) - dy * (x - CX)) < 0 for x, y in corners):
            return False
    return True


def _clear_of_centre(left, top, right, bottom, inner: float) -> bool:
    nearest_x = min(max(CX, left), right)
    nearest_y = min(max(CY, top), bottom)
    return math.hypot(nearest_x - CX, nearest_y - CY) >= inner


@functools.lru_cache(maxsize=64)
def _spots(inner: float, outer: float, start: float, end: float) -> tuple[tuple[float, float], ...]:
    return tuple(_each_spot(inner, outer, start, end))


def _each_spot(inner: float, outer: float, start: float, end: float):
    """Spots to try in a cell: from the inner edge out, each arc from its middle outwards."""
    middle = (start + end) / 2
    radius = inner + CHIP_HEIGHT / 2 + CHIP_GAP
    while radius < outer:
        step = math.degrees(STEP / radius)
        half = (end - start) / 2
        offsets = [0.0]
        k = 1
        while k * step < half:
            offsets += [k * step, -k * step]
            k += 1
        for offset in offsets:
            yield point(middle + offset, radius)
        radius += STEP


def _overlaps(box, placed) -> bool:
    left, top, right, bottom = box
    return any(
        left < x2 + CHIP_GAP
        and x1 < right + CHIP_GAP
        and top < y2 + CHIP_GAP
        and y1 < bottom + CHIP_GAP
        for x1, y1, x2, y2 in placed
    )


def chip_size(name: str, line_chars: int = LINE_CHARS) -> tuple[float, float, tuple[str, ...]]:
    """Width, height and lines of a party's chip."""
    lines = tuple(wrap(name, line_chars, 2)) or ("?",)
    width = max(max(len(line) for line in lines) * CHAR_WIDTH + CHIP_PADDING, CHIP_MIN_WIDTH)
    return round(width, 2), CHIP_HEIGHT + LINE_HEIGHT * (len(lines) - 1), lines


def _place(party: Party, cell, placed: list) -> Chip | None:
    inner, outer, start, end, full = cell
    # The chip, then a narrower one (shorter lines), then a dot: the first that finds room.
    shapes = [(*chip_size(party.name, chars), False) for chars in (LINE_CHARS, NARROW_CHARS)]
    shapes.append((DOT_RADIUS * 2, DOT_RADIUS * 2, (), True))
    for shape_width, height, lines, is_dot in shapes:
        pad_w, pad_h = shape_width / 2 + CHIP_GAP, height / 2 + CHIP_GAP
        for x, y in _spots(inner, outer, start, end):
            box = (x - shape_width / 2, y - height / 2, x + shape_width / 2, y + height / 2)
            padded = (x - pad_w, y - pad_h, x + pad_w, y + pad_h)
            corners = [(padded[0], padded[1]), (padded[2], padded[1])]
            corners += [(padded[0], padded[3]), (padded[2], padded[3])]
            if (
                _clear_of_centre(*padded, inner)
                and _inside_cell(corners, inner, outer, start, end, full)
                and not _overlaps(box, placed)
            ):
                placed.append(box)
                return Chip(
                    party.pk,
                    party.name,
                    lines,
                    party.ring,
                    party.dimension,
                    round(x, 2),
                    round(y, 2),
                    shape_width,
                    height,
                    is_dot,
                )
    return None


def _sector(pk: int, name: str, start: float, end: float) -> Sector:
    middle = (start + end) / 2
    x1, y1 = point(start, RING_EDGES[0])
    x2, y2 = point(start, RING_EDGES[-1])
    lx, ly = point(middle, RING_EDGES[-1] + LABEL_GAP)
    cos = math.cos(math.radians(middle))
    anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
    lines = wrap(name, 20, 2)
    sin = math.sin(math.radians(middle))
    # Below the rings the text hangs down from the label point; above, it sits on it.
    first = ly + 4 if abs(sin) < 0.3 else (ly + 11 if sin > 0 else ly - 13 * (len(lines) - 1))
    return Sector(
        pk,
        name,
        start,
        end,
        tuple(round(v, 2) for v in (x1, y1, x2, y2)),
        round(lx, 2),
        round(ly, 2),
        anchor,
        tuple((round(first + 13 * i, 2), line) for i, line in enumerate(lines)),
    )


def layout(subject: str, dimensions: Sequence[tuple[int, str]], parties: Sequence[Party]) -> Layout:
    """The whole drawing. `parties` in their order of placement; each names a dimension pk."""
    angles = sector_angles(len(dimensions)) if dimensions else []
    sectors = tuple(
        _sector(pk, name, start, end)
        for (pk, name), (start, end) in zip(dimensions, angles, strict=True)
    )
    by_pk = {sector.pk: sector for sector in sectors}
    placed: dict[tuple[str, int], list] = {}
    chips, hidden = [], {}
    for party in parties:
        sector = by_pk.get(party.dimension)
        if sector is None or party.ring not in RINGS:
            continue
        index = RINGS.index(party.ring)
        cell = (
            RING_EDGES[index],
            RING_EDGES[index + 1],
            sector.start,
            sector.end,
            len(sectors) == 1,
        )
        key = (party.ring, party.dimension)
        chip = _place(party, cell, placed.setdefault(key, []))
        if chip is None:
            hidden[key] = hidden.get(key, 0) + 1
        else:
            chips.append(chip)
    lines = wrap(subject or "The customer", 14, 3)
    first = CY + 4 - 7.5 * (len(lines) - 1)
    return Layout(
        WIDTH,
        HEIGHT,
        CX,
        CY,
        tuple(Ring(slug, RING_EDGES[i], RING_EDGES[i + 1]) for i, slug in enumerate(RINGS)),
        sectors,
        tuple(chips),
        tuple(Overflow(ring, pk, count) for (ring, pk), count in hidden.items()),
        tuple((round(first + 15 * i, 2), line) for i, line in enumerate(lines)),
    )
