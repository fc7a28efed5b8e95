"""The registry of canvas types. Add a type by defining it and registering it here."""

from .base import Area, AreaKind, CanvasType, Field, FieldKind
from .jobs import JTBD_FILTER, JTBD_FORCES, JTBD_PRIORITIZATION, JTBD_TIMELINE
from .people import EMPATHY_MAP, PERSONA_CARD, STAKEHOLDER_ENGAGEMENT_CARD
from .value import BENEFITS_DEPENDENCY_NETWORK

_registry: dict[str, CanvasType] = {}


def register(canvas_type: CanvasType) -> CanvasType:
    if canvas_type.slug in _registry:
        raise ValueError(f"Canvas type {canvas_type.slug!r} is registered twice")
    _registry[canvas_type.slug] = canvas_type
    return canvas_type


def get(slug: str) -> CanvasType:
    return _registry[slug]


def all_types() -> list[CanvasType]:
    return list(_registry.values())


def type_choices() -> list[tuple[str, str]]:
    """Model field choices, read at validation time so a new type needs no migration."""
    return [(canvas_type.slug, canvas_type.title) for canvas_type in _registry.values()]


for _type in (
    PERSONA_CARD,
    EMPATHY_MAP,
    STAKEHOLDER_ENGAGEMENT_CARD,
    JTBD_TIMELINE,
    JTBD_FORCES,
    JTBD_FILTER,
    JTBD_PRIORITIZATION,
    BENEFITS_DEPENDENCY_NETWORK,
):
    register(_type)

__all__ = [
    "Area",
    "AreaKind",
    "CanvasType",
    "Field",
    "FieldKind",
    "all_types",
    "creatable_choices",
    "get",
    "register",
    "type_choices",
]


def creatable_choices() -> list[tuple[str, str]]:
    """Types made from the "new canvas" menu; other families are made by their own app."""
    families = {slug for slug, _ in FAMILIES}
    return [(t.slug, t.title) for t in _registry.values() if t.family in families]


FAMILIES = (("people", "People"), ("jobs", "Jobs to be done"), ("value", "Value"))


def families() -> list[tuple[str, list[CanvasType]]]:
    """Types grouped for the "new canvas" menu, in registry order."""
    return [
        (label, [t for t in _registry.values() if t.family == slug]) for slug, label in FAMILIES
    ]
