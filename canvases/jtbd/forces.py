"""The balance of a JTBD forces canvas: push + pull against habit + anxiety."""

from canvases import scoring, selectors
from canvases.area_panels import Viewer
from canvases.models import Canvas

FORCES = ("push", "pull", "habit", "anxiety")
CENTRE, BAR_HALF = 200, 180  # SVG units: the centre line, and from it to either end


def balance_panel(canvas: Canvas, viewer: Viewer) -> dict:
    """The balance of the notes this viewer can see, and the bar's geometry."""
    strengths = {force: [] for force in FORCES}
    notes = selectors.visible_notes(
        canvas, viewer.user, facilitating=viewer.facilitating, areas=FORCES
    )
    for area, score in notes.values_list("area", "score"):
        strengths[area].append(score)
    balance = scoring.forces_balance(**strengths)
    if balance is None:
        return {"balance": None}
    largest = max(balance.promoting, balance.blocking) or 1
    blocking = round(BAR_HALF * balance.blocking / largest, 1)
    return {
        "balance": balance,
        "blocking_x": CENTRE - blocking,
        "blocking_width": blocking,
        "promoting_width": round(BAR_HALF * balance.promoting / largest, 1),
    }
