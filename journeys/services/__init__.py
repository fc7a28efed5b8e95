"""Writes to journeys. Each change to a journey map is an event of its canvas."""

from .journeys import PRESET_CHOICES, PRESETS, journey_change, journey_copy, journey_create
from .mix import journey_set_target
from .stages import (
    stage_add,
    stage_change,
    stage_move,
    stage_remove,
    stage_restore,
    stage_set_emotion,
    stage_thresholds_set,
)
from .touchpoints import (
    data_need_add,
    data_need_remove,
    touchpoint_add,
    touchpoint_change,
    touchpoint_remove,
)

__all__ = [
    "PRESETS",
    "PRESET_CHOICES",
    "data_need_add",
    "data_need_remove",
    "journey_change",
    "journey_copy",
    "journey_create",
    "journey_set_target",
    "stage_add",
    "stage_change",
    "stage_move",
    "stage_remove",
    "stage_restore",
    "stage_set_emotion",
    "stage_thresholds_set",
    "touchpoint_add",
    "touchpoint_change",
    "touchpoint_remove",
]
