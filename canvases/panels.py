"""What the canvases app shows on core pages (registered in CanvasesConfig.ready)."""

from canvases import selectors, types


def recent_canvases(request, workspace) -> dict:
    return {"canvases": list(selectors.canvases_for_workspace(workspace)[:6])}


def persona_canvases(request, persona) -> dict:
    canvases = list(selectors.canvases_for_workspace(persona.workspace).filter(persona=persona))
    card = next((canvas for canvas in canvases if canvas.type == types.PERSONA_CARD.slug), None)
    return {
        "canvases": canvases,
        "card": card,
        "card_areas": selectors.board_areas(card, None, facilitating=False) if card else [],
        "persona_card_type": types.PERSONA_CARD.slug,
    }
