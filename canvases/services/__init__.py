"""Every change to a canvas goes through these functions, and each is logged as a CanvasEvent.

The event log is what history, undo and live boards read, so no write may bypass it.
"""

from .bdn import link_add, link_remove, node_add, node_change, node_remove, node_restore
from .canvases import canvas_copy, canvas_create
from .events import SHAPE_AREA, EditConflict, revision_cache_key
from .facilitation import (
    canvas_set_locked,
    canvas_set_private,
    notes_reveal,
    open_round,
    round_end,
    round_start,
    timer_control,
    timer_remaining,
    vote_cast,
    vote_remove,
)
from .fields import field_set
from .filter import filter_row_add, filter_row_remove, filter_row_set
from .history import undo_last
from .notes import note_create, note_delete, note_edit, note_move, note_restore
from .packs import (
    pack_assemble,
    pack_delete,
    pack_fail,
    pack_part_rendered,
    pack_request,
    pack_requeue_stale,
    pack_retry,
    pack_start,
)
from .prioritization import (
    item_add,
    item_decide,
    item_remove,
    item_score,
    outcome_item_add,
)
from .survey import SurveyFileError, survey_import

__all__ = [
    "SHAPE_AREA",
    "EditConflict",
    "SurveyFileError",
    "canvas_copy",
    "canvas_create",
    "canvas_set_locked",
    "canvas_set_private",
    "field_set",
    "filter_row_add",
    "filter_row_remove",
    "filter_row_set",
    "item_add",
    "item_decide",
    "item_remove",
    "item_score",
    "link_add",
    "link_remove",
    "node_add",
    "node_change",
    "node_remove",
    "node_restore",
    "note_create",
    "note_delete",
    "note_edit",
    "note_move",
    "note_restore",
    "notes_reveal",
    "open_round",
    "outcome_item_add",
    "pack_assemble",
    "pack_delete",
    "pack_fail",
    "pack_part_rendered",
    "pack_request",
    "pack_requeue_stale",
    "pack_retry",
    "pack_start",
    "revision_cache_key",
    "round_end",
    "round_start",
    "survey_import",
    "timer_control",
    "timer_remaining",
    "undo_last",
    "vote_cast",
    "vote_remove",
]
