"""The digital mix of a journey: what share of its touchpoints are digital, and its type.

The thresholds live here and nowhere else (../shared/DOMAIN.md §5).
"""

from collections.abc import Iterable
from enum import StrEnum

DIGITAL_FIRST_FROM = 65.0  # percent digital, inclusive
DIGITAL_SUPPORT_BELOW = 35.0  # percent digital, exclusive

DIGITAL_CHANNELS = frozenset({"email", "in_app", "web", "mobile_app", "chat", "social"})


class DigitalType(StrEnum):
    FIRST = "digital_first"
    HYBRID = "digital_hybrid"
    SUPPORT = "digital_support"

    @property
    def label(self) -> str:
        return {
            "digital_first": "Digital First",
            "digital_hybrid": "Digital Hybrid",
            "digital_support": "Digital Support",
        }[self.value]


def is_digital_channel(channel: str) -> bool:
    """The default of a touchpoint's digital flag; a touchpoint may override it."""
    return channel in DIGITAL_CHANNELS


def digital_share(flags: Iterable[bool]) -> float | None:
    """Percent of touchpoints that are digital; None for a journey with none."""
    flags = list(flags)
    if not flags:
        return None
    return 100 * sum(1 for flag in flags if flag) / len(flags)


def digital_type(share: float | None) -> DigitalType | None:
    """Digital First at 65 % or more, Digital Support below 35 %, Digital Hybrid between."""
    if share is None:
        return None
    if not 0 <= share <= 100:
        raise ValueError(f"a share is a percentage, not {share}")
    if share >= DIGITAL_FIRST_FROM:
        return DigitalType.FIRST
    if share < DIGITAL_SUPPORT_BELOW:
        return DigitalType.SUPPORT
    return DigitalType.HYBRID
