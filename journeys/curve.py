"""The emotion curve of a journey map as SVG geometry: one point per stage, −2 … +2.

The drawing is a fixed 1200 × 160 viewBox whose width is shared equally by the stages,
so each point sits over the centre of its stage's column at any width.
"""

from dataclasses import dataclass

WIDTH, HEIGHT, MARGIN = 1200, 160, 24
LEVELS = (2, 1, 0, -1, -2)


def signed(emotion: int) -> str:
    """−2, −1, 0, +1, +2 as people write them (a real minus sign)."""
    return f"+{emotion}" if emotion > 0 else f"−{-emotion}" if emotion < 0 else "0"


@dataclass(frozen=True)
class CurvePoint:
    x: float
    y: float
    emotion: int | None
    name: str

    @property
    def label(self) -> str:
        return "?" if self.emotion is None else signed(self.emotion)

    @property
    def label_y(self) -> float:
        """The number sits above the point, or below it at the top of the scale."""
        return round(self.y - 16 if self.y > 40 else self.y + 28, 1)

    @property
    def tone(self) -> str:
        if self.emotion is None:
            return "unknown"
        return "positive" if self.emotion > 0 else "negative" if self.emotion < 0 else "neutral"


@dataclass(frozen=True)
class Curve:
    points: list[CurvePoint]
    path: str  # a smooth line through the stages whose emotion is known
    levels: list[tuple[int, float]]  # (emotion, y) for the guide lines
    width: int = WIDTH
    height: int = HEIGHT


def level_y(emotion: float) -> float:
    return round(MARGIN + (2 - emotion) * (HEIGHT - 2 * MARGIN) / 4, 1)


def smooth_path(points: list[tuple[float, float]]) -> str:
    """A Catmull-Rom spline through the points, as cubic Béziers: passes through every point."""
    if not points:
        return ""
    parts = [f"M {points[0][0]} {points[0][1]}"]
    for index in range(len(points) - 1):
        before = points[max(index - 1, 0)]
        start, end = points[index], points[index + 1]
        after = points[min(index + 2, len(points) - 1)]
        c1 = (start[0] + (end[0] - before[0]) / 6, start[1] + (end[1] - before[1]) / 6)
        c2 = (end[0] - (after[0] - start[0]) / 6, end[1] - (after[1] - start[1]) / 6)
        parts.append(f"C {c1[0]:.1f} {c1[1]:.1f} {c2[0]:.1f} {c2[1]:.1f} {end[0]:.1f} {end[1]:.1f}")
    return " ".join(parts)


def emotion_curve(stages: list[tuple[str, int | None]]) -> Curve:
    """Points for (stage name, emotion) pairs; a stage with no emotion yet sits on the
    neutral line, drawn hollow, and the line skips it."""
    column = WIDTH / max(len(stages), 1)
    points = [
        CurvePoint(
            round(column * (index + 0.5), 1),
            level_y(0 if emotion is None else emotion),
            emotion,
            name,
        )
        for index, (name, emotion) in enumerate(stages)
    ]
    known = [(p.x, p.y) for p in points if p.emotion is not None]
    return Curve(points, smooth_path(known), [(level, level_y(level)) for level in LEVELS])
