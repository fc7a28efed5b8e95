"""Technology interaction: how much of the interaction runs through digital channels.

Which channels are digital is decided in journeys.digital, and only there.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from journeys.digital import is_digital_channel


@dataclass(frozen=True)
class ChannelCount:
    channel: str
    count: int
    percent: float
    digital: bool


@dataclass(frozen=True)
class ChannelMix:
    total: int
    digital: int
    digital_percent: float | None
    channels: tuple[ChannelCount, ...]  # most used first, then by name


def channel_mix(counts: Mapping[str, int]) -> ChannelMix:
    """Events (or touchpoints) by channel → each channel's share and the digital share."""
    for channel, count in counts.items():
        if not isinstance(channel, str) or not channel:
            raise ValueError(f"a channel is a non-empty slug, not {channel!r}")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"the count for {channel} must be a whole number ≥ 0, not {count!r}")
    total = sum(counts.values())
    digital = sum(c for channel, c in counts.items() if is_digital_channel(channel))
    ordered = sorted((item for item in counts.items() if item[1]), key=lambda i: (-i[1], i[0]))
    return ChannelMix(
        total=total,
        digital=digital,
        digital_percent=100 * digital / total if total else None,
        channels=tuple(
            ChannelCount(channel, count, 100 * count / total, is_digital_channel(channel))
            for channel, count in ordered
        ),
    )


def channel_mix_by_stage(rows: Iterable[tuple[str, str, int]]) -> dict[str, ChannelMix]:
    """(journey stage, channel, count) aggregates → a channel mix per stage, in first-seen order."""
    by_stage: dict[str, dict[str, int]] = {}
    for stage, channel, count in rows:
        channels = by_stage.setdefault(stage, {})
        if channel in channels:
            raise ValueError(f"stage {stage!r} lists channel {channel!r} twice")
        channels[channel] = count
    return {stage: channel_mix(counts) for stage, counts in by_stage.items()}
