"""Writes to an ecosystem map: parties placed on a ring within a dimension, and the dimensions.

Every change records an event naming the "map" area, so live boards redraw the drawing
and the list; each kind has an undo handler registered where it is defined.
"""

from .common import (
    AREA,
    DEFAULT_DIMENSIONS,
    MAX_DIMENSIONS,
    TYPE_SLUG,
    dimension_state,
    party_state,
)
from .dimensions import dimension_add, dimension_remove, dimension_rename, dimension_restore
from .parties import party_add, party_change, party_move, party_remove, party_restore
from .rows import dimensions_create_default, ecosystem_copy

__all__ = [
    "AREA",
    "DEFAULT_DIMENSIONS",
    "MAX_DIMENSIONS",
    "TYPE_SLUG",
    "dimension_add",
    "dimension_remove",
    "dimension_rename",
    "dimension_restore",
    "dimension_state",
    "dimensions_create_default",
    "ecosystem_copy",
    "party_add",
    "party_change",
    "party_move",
    "party_remove",
    "party_restore",
    "party_state",
]
