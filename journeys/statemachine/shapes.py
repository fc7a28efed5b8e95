"""The shapes of a machine's drawing: what layout.py computes and the SVG template draws.

Sizes are in SVG user units; the template only copies these numbers into attributes.
"""

from dataclasses import dataclass

MARGIN, ENTRY = 12, 34  # room left of the first rank for the start's entry arrow
LINE, PAD, NODE_GAP = 13, 8, 30
NODE_WRAP, NODE_MAX_LINES, MIN_WIDTH, CHAR = 18, 3, 96, 6.4
LABEL_WRAP, LABEL_LINE, LABEL_CHAR = 24, 11, 4.9
MIN_GAP, LANE = 96, 18  # between ranks; between the lanes of back edges
END_RADIUS = 9
LOOP_ROOM = 44  # above a state with a self loop
END_ROOM = 46  # below a state with a done or cancel that ends the job
END_SPREAD = 64  # between the end nodes of one state
LEGEND_HEIGHT = 30


@dataclass(frozen=True)
class KindStyle:
    label: str
    colour: str
    dash: str  # an SVG stroke-dasharray, "" for a solid line
    explanation: str


KINDS = {
    "information": KindStyle(
        "Information", "#2563eb", "", "The customer needs to know something to move on."
    ),
    "service": KindStyle("Service", "#15803d", "", "The customer needs something done for them."),
    "blocker": KindStyle(
        "Blocker", "#dc2626", "6 4", "The customer waits for something they cannot change."
    ),
    "cancel": KindStyle("Cancel", "#6b7280", "", "The customer gives up the job."),
    "spawn": KindStyle("Spawn", "#7c3aed", "2 3", "A side job starts before this one goes on."),
    "done": KindStyle("Done", "#14532d", "", "The job is done."),
}


@dataclass(frozen=True)
class StateIn:
    pk: int
    name: str
    is_start: bool = False


@dataclass(frozen=True)
class TransitionIn:
    pk: int
    source: int
    target: int | None
    kind: str
    label: str
    spawns: str = ""  # the side job's name, for a spawn


@dataclass(frozen=True)
class Node:
    pk: int
    name: str
    lines: tuple[str, ...]
    rank: int
    x: float
    y: float
    width: float
    height: float
    is_start: bool
    unreachable: bool
    stuck: bool

    @property
    def flagged(self) -> bool:
        return self.unreachable or self.stuck

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2

    @property
    def text_lines(self) -> tuple[tuple[float, float, str], ...]:
        top = self.y + (self.height - LINE * len(self.lines)) / 2 + 10
        return tuple((self.cx, top + LINE * i, line) for i, line in enumerate(self.lines))

    @property
    def icon(self) -> str:
        """A small warning triangle on the top-left corner of a flagged state."""
        x, y = self.x + 2, self.y - 6
        return f"M{x:g} {y + 12:g} L{x + 7:g} {y:g} L{x + 14:g} {y + 12:g} Z"

    @property
    def icon_mark(self) -> tuple[float, float]:
        return self.x + 9, self.y + 5

    @property
    def entry(self) -> str:
        return f"M{self.x - ENTRY + 10:g} {self.cy:g} L{self.x - 3:g} {self.cy:g}"

    @property
    def entry_dot(self) -> tuple[float, float]:
        return self.x - ENTRY + 7, self.cy


@dataclass(frozen=True)
class Edge:
    pk: int
    kind: str
    path: str
    label_lines: tuple[tuple[float, float, str], ...]  # (x, baseline y, text)
    halo: tuple[float, float, float, float]  # x, y, width, height of the white box behind
    title: str

    @property
    def style(self) -> KindStyle:
        return KINDS[self.kind]


@dataclass(frozen=True)
class LegendItem:
    kind: str
    x: float
    y: float

    @property
    def style(self) -> KindStyle:
        return KINDS[self.kind]

    @property
    def line(self) -> str:
        return f"M{self.x:g} {self.y:g} L{self.x + 26:g} {self.y:g}"

    @property
    def text_x(self) -> float:
        return self.x + 32

    @property
    def text_y(self) -> float:
        return self.y + 3.5


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    ends: tuple[tuple[float, float], ...]  # centres of the end nodes, one per ending transition
    legend: tuple[LegendItem, ...]
    legend_y: float

    @property
    def end_radius(self) -> int:
        return END_RADIUS

    @property
    def end_dot(self) -> float:
        return END_RADIUS - 3.5

    @property
    def start(self) -> Node | None:
        return next((node for node in self.nodes if node.is_start), None)
