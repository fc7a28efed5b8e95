"""Where a state machine's states and transitions go: a layered drawing, left to right.

Pure geometry (no ORM, no Graphviz) drawn by templates/journeys/machines/_diagram.html,
so the page, the trace panel and the PDF show the same SVG. States are ranked by their
distance from the start; states the start never reaches stand in a last rank. Within a
rank, states are ordered by the barycentre of their neighbours to cut crossings.
"""

import textwrap
from collections import defaultdict, deque
from collections.abc import Iterable

from .shapes import (
    CHAR,
    END_RADIUS,
    END_ROOM,
    END_SPREAD,
    ENTRY,
    KINDS,
    LABEL_CHAR,
    LABEL_LINE,
    LABEL_WRAP,
    LANE,
    LEGEND_HEIGHT,
    LINE,
    LOOP_ROOM,
    MARGIN,
    MIN_GAP,
    MIN_WIDTH,
    NODE_GAP,
    NODE_MAX_LINES,
    NODE_WRAP,
    PAD,
    Edge,
    Layout,
    LegendItem,
    Node,
    StateIn,
    TransitionIn,
)


def wrap(text: str, width: int, most: int) -> tuple[str, ...]:
    lines = textwrap.wrap(text, width, break_long_words=True) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return tuple(lines)


def edge_text(transition: TransitionIn) -> tuple[str, ...]:
    lines = wrap(transition.label, LABEL_WRAP, 2)
    if transition.kind == "spawn" and transition.spawns:
        lines += wrap(
            f"spawns: {transition.spawns}", LABEL_WRAP + 4, 1
        )  # no arrow glyph: the print fonts lack it
    return lines


def ranks(states: list[StateIn], transitions: list[TransitionIn]) -> dict[int, int]:
    """Distance from the start (BFS); the states it never reaches share one last rank.

    Without a start, the first state stands in for it so the drawing still reads.
    """
    if not states:
        return {}
    forward = defaultdict(list)
    for transition in transitions:
        if transition.target is not None:
            forward[transition.source].append(transition.target)
    root = next((s.pk for s in states if s.is_start), states[0].pk)
    rank, queue = {root: 0}, deque([root])
    while queue:
        state = queue.popleft()
        for target in forward[state]:
            if target not in rank:
                rank[target] = rank[state] + 1
                queue.append(target)
    last = max(rank.values()) + 1
    return {s.pk: rank.get(s.pk, last) for s in states}


def order(states: list[StateIn], transitions: list[TransitionIn], rank: dict[int, int]):
    """States per rank, reordered by the barycentre of their neighbours in nearby ranks:
    two sweeps down (by predecessors), one up (by successors); ties keep their order."""
    layers: dict[int, list[int]] = defaultdict(list)
    for state in states:
        layers[rank[state.pk]].append(state.pk)
    into, out_of = defaultdict(list), defaultdict(list)
    for t in transitions:
        if t.target is not None and rank[t.source] != rank[t.target]:
            into[t.target].append(t.source)
            out_of[t.source].append(t.target)

    def place() -> dict[int, float]:
        return {pk: index for layer in layers.values() for index, pk in enumerate(layer)}

    def sweep(sequence, neighbours):
        for r in sequence:
            where = place()

            def key(pk, where=where):
                near = [where[other] for other in neighbours[pk]]
                return sum(near) / len(near) if near else where[pk]

            layers[r] = sorted(layers[r], key=key)

    numbers = sorted(layers)
    sweep(numbers[1:], into)
    sweep(numbers[-2::-1], out_of)
    sweep(numbers[1:], into)
    return [layers[r] for r in numbers]


def _point(p0, p1, p2, p3, t=0.5) -> tuple[float, float]:
    u = 1 - t
    return tuple(
        u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d
        for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
    )


def _curve(points) -> str:
    return "M{:g} {:g} C{:g} {:g} {:g} {:g} {:g} {:g}".format(
        *(round(v, 1) for point in points for v in point)
    )


def _label(lines, centre) -> tuple[tuple, tuple]:
    width = max(len(line) for line in lines) * LABEL_CHAR + 8
    height = LABEL_LINE * len(lines) + 4
    x, y = centre
    top = y - height / 2
    placed = tuple(
        (round(x, 1), round(top + 11 + LABEL_LINE * i, 1), line) for i, line in enumerate(lines)
    )
    return placed, (round(x - width / 2, 1), round(top, 1), round(width, 1), round(height, 1))


def _label_size(lines: tuple[str, ...]) -> tuple[float, float]:
    return max(len(line) for line in lines) * LABEL_CHAR + 8, LABEL_LINE * len(lines) + 4


def _sizes(states: list[StateIn], loops: set[int], endings: dict[int, float]) -> dict[int, tuple]:
    """(lines, width, height, room above, room below) per state: a self loop needs room
    above its state; its endings' end nodes, labelled beneath, room below it."""
    sizes = {}
    for state in states:
        lines = wrap(state.name, NODE_WRAP, NODE_MAX_LINES)
        width = max(MIN_WIDTH, max(len(line) for line in lines) * CHAR + 2 * PAD)
        above = LOOP_ROOM if state.pk in loops else 0
        below = END_ROOM + endings[state.pk] + 4 if state.pk in endings else 0
        sizes[state.pk] = (lines, width, 2 * PAD + LINE * len(lines), above, below)
    return sizes


def _gaps(layers, transitions, rank, texts) -> list[float]:
    """The room after each rank: enough for the widest label of the edges leaving it."""
    gaps = [float(MIN_GAP)] * len(layers)
    for t in transitions:
        r = rank[t.source]
        if t.target is None or rank[t.target] > r:
            gaps[r] = max(gaps[r], max(len(line) for line in texts[t.pk]) * LABEL_CHAR + 28)
    return gaps


def _lanes(layers, rank, transitions) -> dict[int, str]:
    """Back edges go around the drawing: below when both their states are the lowest of
    their ranks, above otherwise. (BFS ranks mean a forward edge never skips a rank.)"""
    first = {layer[0] for layer in layers}
    last = {layer[-1] for layer in layers}
    lanes = {}
    for t in transitions:
        if t.target is not None and rank[t.target] < rank[t.source]:
            both_first = t.source in first and t.target in first
            both_last = t.source in last and t.target in last
            lanes[t.pk] = "bottom" if both_last and not both_first else "top"
    return lanes


def layout(
    states: Iterable[StateIn],
    transitions: Iterable[TransitionIn],
    *,
    unreachable: Iterable[int] = (),
    stuck: Iterable[int] = (),
) -> Layout:
    """The drawing of a machine; states in their own order (position), transitions by pk."""
    states = list(states)
    known = {s.pk for s in states}
    transitions = [
        t
        for t in sorted(transitions, key=lambda t: t.pk)
        if t.source in known and (t.target is None or t.target in known)
    ]
    unreachable, stuck = set(unreachable), set(stuck)
    rank = ranks(states, transitions)
    layers = order(states, transitions, rank) if states else []
    by_pk = {s.pk: s for s in states}
    texts = {t.pk: edge_text(t) for t in transitions}
    endings: dict[int, list[int]] = defaultdict(list)
    for t in transitions:
        if t.target is None:
            endings[t.source].append(t.pk)
    label_room = {
        source: max(_label_size(texts[pk])[1] for pk in pks) for source, pks in endings.items()
    }
    sizes = _sizes(states, {t.source for t in transitions if t.source == t.target}, label_room)
    column_width = [max(sizes[pk][1] for pk in layer) for layer in layers]
    gaps = _gaps(layers, transitions, rank, texts)
    heights = [
        sum(sum(sizes[pk][2:]) for pk in layer) + NODE_GAP * (len(layer) - 1) for layer in layers
    ]
    tallest = max(heights, default=0)

    # Place the states as if nothing went above them, then make room for the top lanes.
    placed, x, right, column_right = {}, MARGIN + ENTRY, MARGIN + ENTRY, []
    for r, layer in enumerate(layers):
        y = (tallest - heights[r]) / 2
        for pk in layer:
            _lines, width, height, above, below = sizes[pk]
            y += above
            left = x + (column_width[r] - width) / 2
            placed[pk] = {"x": left, "y": y, "width": width, "height": height}
            placed[pk]["cy"] = y + height / 2
            y += height + below + NODE_GAP
        right = x + column_width[r]
        column_right.append(right)
        x = right + gaps[r]
    lanes = _lanes(layers, rank, transitions)
    for t in transitions:
        if t.pk in lanes:  # a label along a lane gets one line; its title has it whole
            texts[t.pk] = wrap(t.label, 40, 1)
    on_top = [t.pk for t in transitions if lanes.get(t.pk) == "top"]
    below_all = [t.pk for t in transitions if lanes.get(t.pk) == "bottom"]
    top = MARGIN + (LANE * len(on_top) + 14 if on_top else 0)
    nodes = {}
    for r, layer in enumerate(layers):
        for pk in layer:
            state, box = by_pk[pk], placed[pk]
            nodes[pk] = Node(
                pk=pk,
                name=state.name,
                lines=sizes[pk][0],
                rank=r,
                x=round(box["x"], 1),
                y=round(box["y"] + top, 1),
                width=round(box["width"], 1),
                height=box["height"],
                is_start=state.is_start,
                unreachable=pk in unreachable,
                stuck=pk in stuck,
            )
    ends = {}
    for source, pks in endings.items():
        a = nodes[source]
        spread = max([END_SPREAD] + [_label_size(texts[pk])[0] + 8 for pk in pks])
        for i, pk in enumerate(pks):
            offset = (i - (len(pks) - 1) / 2) * spread
            ends[pk] = (
                round(a.cx + offset, 1),
                round(a.y + a.height + END_ROOM - END_RADIUS - 4, 1),
            )
    lane_y = {pk: MARGIN + LANE * i + 6 for i, pk in enumerate(on_top)}
    lane_y |= {pk: top + tallest + 14 + LANE * i for i, pk in enumerate(below_all)}

    edges, stacked, brackets = [], defaultdict(float), defaultdict(int)
    for t in transitions:
        a = nodes[t.source]
        if t.target is None:
            ex, ey = ends[t.pk]
            p0, p3 = (a.cx + (ex - a.cx) / 3, a.y + a.height), (ex, ey - END_RADIUS - 3)
            points = [p0, (p0[0], p0[1] + 12), (ex, p3[1] - 12), p3]
            centre = (ex, ey + END_RADIUS + 4 + _label_size(texts[t.pk])[1] / 2)
        elif t.target == t.source:
            p0, p3 = (a.cx - 12, a.y), (a.cx + 12, a.y - 3)
            points = [p0, (a.cx - 34, a.y - 40), (a.cx + 34, a.y - 40), p3]
            centre = (a.cx, a.y - 36)
        elif rank[t.target] == rank[t.source]:
            # Between two states of one rank: a bracket on the right of the column.
            b = nodes[t.target]
            bulge = column_right[rank[t.source]] + 30 + 12 * brackets[rank[t.source]]
            brackets[rank[t.source]] += 1
            p0, p3 = (a.x + a.width, a.cy), (b.x + b.width + 3, b.cy)
            points = [p0, (bulge, a.cy), (bulge, b.cy), p3]
            centre = _point(*points)
        elif t.pk in lanes:
            b, lane = nodes[t.target], lane_y[t.pk]
            if lanes[t.pk] == "top":
                p0, p3 = (a.x + a.width - 10, a.y), (b.x + 10, b.y - 3)
            else:
                p0, p3 = (a.x + a.width - 10, a.y + a.height), (b.x + 10, b.y + b.height + 3)
            points = [p0, (p0[0], lane), (p3[0], lane), p3]
            centre = _point(*points)
        else:
            b = nodes[t.target]
            p0, p3 = (a.x + a.width, a.cy), (b.x - 3, b.cy)
            middle = (p0[0] + p3[0]) / 2
            points = [p0, (middle, p0[1]), (middle, p3[1]), p3]
            # A second edge between the same two states bends below the first, its label too.
            key, half = (t.source, t.target), _label_size(texts[t.pk])[1] / 2
            shift = stacked[key] + 6 + half if key in stacked else 0.0
            stacked[key] = shift + half
            points[1] = (points[1][0], points[1][1] + shift / 0.75)
            points[2] = (points[2][0], points[2][1] + shift / 0.75)
            centre = _point(*points)
        label, halo = _label(texts[t.pk], centre)
        target = by_pk[t.target].name if t.target is not None else "the end of the job"
        title = f"{by_pk[t.source].name} → {target} ({KINDS[t.kind].label.lower()}): {t.label}"
        edges.append(Edge(t.pk, t.kind, _curve(points), label, halo, title))

    bottom = max([top + tallest] + [e.halo[1] + e.halo[3] for e in edges])
    legend_y = round(bottom + 26, 1)
    legend, lx = [], float(MARGIN)
    for kind, style in KINDS.items():
        legend.append(LegendItem(kind, round(lx, 1), legend_y))
        lx += 26 + 6 + len(style.label) * 6.2 + 16
    halo_right = max((e.halo[0] + e.halo[2] for e in edges), default=0)
    width = max(right + MARGIN, lx, halo_right + MARGIN)
    return Layout(
        width=round(width, 1),
        height=round(legend_y + LEGEND_HEIGHT / 2, 1),
        nodes=tuple(nodes[pk] for layer in layers for pk in layer),
        edges=tuple(edges),
        ends=tuple(ends[t.pk] for t in transitions if t.target is None),
        legend=tuple(legend),
        legend_y=legend_y,
    )
