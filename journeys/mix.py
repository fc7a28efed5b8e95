"""The digital mix of a journey: its share and type overall, by channel and by stage, and
the gaps between it and the journey's target type (../shared/DOMAIN.md §5).

Pure rules first, then the selectors (a fixed number of queries), then the charts'
geometry: the templates only draw what is measured here.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator

from engage.models import Workspace
from journeys.digital import (
    DIGITAL_FIRST_FROM,
    DIGITAL_SUPPORT_BELOW,
    DigitalType,
    digital_share,
    digital_type,
)
from journeys.models import Channel, Journey, Stage, Touchpoint

# --- Pure rules ----------------------------------------------------------------------


def share_of(digital: int, total: int) -> float | None:
    return digital_share([True] * digital + [False] * (total - digital))


def change_to_reach(digital: int, total: int, target: DigitalType | None) -> int | None:
    """Touchpoints to switch for the mix to become `target`: +n more digital, −n fewer, 0 none.

    0 too when there is no target or nothing to count; None when no mix of `total`
    touchpoints is of that type (one touchpoint is 0 % or 100 %, never Hybrid).
    """
    if target is None or total == 0 or digital_type(share_of(digital, total)) == target:
        return 0
    for step in range(1, total + 1):
        for change in (step, -step):
            reachable = 0 <= digital + change <= total
            if reachable and digital_type(share_of(digital + change, total)) == target:
                return change
    return None


def digital_needed_for(digital: int, total: int, percent: float) -> int:
    """How many more touchpoints would have to become digital for `percent` % or more."""
    for more in range(total - digital + 1):
        if share_of(digital + more, total) >= percent:
            return more
    raise ValueError(f"{percent} % of {total} touchpoints cannot be reached")


def stage_off_target(stage_type: DigitalType | None, target: DigitalType | None) -> bool:
    """A stage is off target when it has touchpoints and its own type is not the target."""
    return target is not None and stage_type is not None and stage_type != target


def data_gap(sources: Iterable[str]) -> str:
    """Why a touchpoint lacks the data it needs ("" when it does not): the sources of its needs."""
    sources = list(sources)
    if not sources:
        return "No data needs listed."
    missing = sum(1 for source in sources if not source.strip())
    if missing:
        return f"{missing} of {len(sources)} data need{'s' if len(sources) > 1 else ''} without where it lives."
    return ""


# --- What the selectors return -------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    digital: int = 0
    total: int = 0

    @property
    def non_digital(self) -> int:
        return self.total - self.digital

    @property
    def share(self) -> float | None:
        return share_of(self.digital, self.total)

    @property
    def type(self) -> DigitalType | None:
        return digital_type(self.share)

    @classmethod
    def of(cls, touchpoints: Iterable[Touchpoint]) -> "Counts":
        flags = [touchpoint.is_digital for touchpoint in touchpoints]
        return cls(sum(flags), len(flags))


class Moves:
    """How a mix reads its `change` (see change_to_reach) in words: more or fewer digital."""

    change: int | None

    @property
    def more_digital(self) -> int:
        return max(self.change or 0, 0)

    @property
    def fewer_digital(self) -> int:
        return max(-(self.change or 0), 0)

    @property
    def unreachable(self) -> bool:
        """No switch of its touchpoints gives the target type (too few touchpoints)."""
        return self.change is None


@dataclass(frozen=True)
class ChannelMix:
    channel: str
    label: str
    counts: Counts


@dataclass(frozen=True)
class StageMix(Moves):
    stage: Stage
    counts: Counts
    change: int | None  # to reach the journey's target, see change_to_reach
    off_target: bool


@dataclass(frozen=True)
class DataGap:
    touchpoint: Touchpoint
    stage: Stage
    reason: str


@dataclass(frozen=True)
class JourneyMix(Moves):
    journey: Journey
    counts: Counts
    target: DigitalType | None
    channels: list[ChannelMix] = field(default_factory=list)
    stages: list[StageMix] = field(default_factory=list)
    data_gaps: list[DataGap] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.counts.share

    @property
    def type(self) -> DigitalType | None:
        return self.counts.type

    @property
    def change(self) -> int | None:
        return change_to_reach(self.counts.digital, self.counts.total, self.target)

    @property
    def on_target(self) -> bool:
        return self.target is not None and self.type == self.target

    @property
    def stages_off_target(self) -> list[StageMix]:
        return [stage for stage in self.stages if stage.off_target]


def _target(journey: Journey) -> DigitalType | None:
    return DigitalType(journey.target_type) if journey.target_type else None


def build_mix(journey: Journey, stages: list[Stage]) -> JourneyMix:
    """The mix from stages whose touchpoints (and their data needs) are already loaded."""
    target = _target(journey)
    touchpoints = [(stage, tp) for stage in stages for tp in stage.touchpoints.all()]
    by_channel = {
        value: Counts.of(tp for _, tp in touchpoints if tp.channel == value)
        for value in Channel.values
    }
    stage_mixes = []
    for stage in stages:
        counts = Counts.of(stage.touchpoints.all())
        change = change_to_reach(counts.digital, counts.total, target)
        stage_mixes.append(StageMix(stage, counts, change, stage_off_target(counts.type, target)))
    gaps = [
        DataGap(tp, stage, reason)
        for stage, tp in touchpoints
        if (reason := data_gap(need.source for need in tp.data_needs.all()))
    ]
    return JourneyMix(
        journey=journey,
        counts=Counts.of(tp for _, tp in touchpoints),
        target=target,
        channels=[
            ChannelMix(value, label, by_channel[value])
            for value, label in Channel.choices
            if by_channel[value].total
        ],
        stages=stage_mixes,
        data_gaps=gaps,
    )


def _current_stages():
    """Stages on the map now, with their touchpoints and data needs (three queries)."""
    touchpoints = Touchpoint.objects.prefetch_related("data_needs")
    return Stage.objects.current().prefetch_related(Prefetch("touchpoints", touchpoints))


def journey_mix(journey: Journey) -> JourneyMix:
    """The journey's mix in three queries, however many stages and touchpoints it has."""
    return build_mix(journey, list(_current_stages().filter(journey=journey)))


def workspace_mixes(workspace: Workspace) -> list[JourneyMix]:
    """Every journey of the workspace with its mix, in four queries whatever their number."""
    journeys = (
        Journey.objects.filter(workspace=workspace)
        .select_related("canvas__persona", "canvas__workspace")
        .prefetch_related(Prefetch("stages", _current_stages(), to_attr="current_stages"))
    )
    return [build_mix(journey, journey.current_stages) for journey in journeys]


# --- Chart geometry (SVG units) ------------------------------------------------------

THRESHOLDS = (DIGITAL_SUPPORT_BELOW, DIGITAL_FIRST_FROM)
BAND = {  # the share range each type covers, in percent
    DigitalType.SUPPORT: (0, DIGITAL_SUPPORT_BELOW),
    DigitalType.HYBRID: THRESHOLDS,
    DigitalType.FIRST: (DIGITAL_FIRST_FROM, 100),
}
SCALE = 1.4  # on screen, an SVG unit is this many CSS pixels (shrinking to fit narrow screens)
PRINT_MM = 0.26  # in print, this many millimetres: 9.5-unit labels print at 7 pt
PLOT_TOP, PLOT_HEIGHT, PLOT_LEFT, BAR_SLOT, BAR_WIDTH = 16, 180, 40, 96, 44


def _sizes(width: float, height: float) -> dict:
    return {
        "display": (round(width * SCALE), round(height * SCALE)),
        "print": (round(width * PRINT_MM, 1), round(height * PRINT_MM, 1)),
    }


def _y(percent: float) -> float:
    return round(PLOT_TOP + PLOT_HEIGHT * (1 - percent / 100), 1)


def stage_chart(mix: JourneyMix) -> dict:
    """A stacked bar per stage (digital below, the rest above) on a 0–100 % scale."""
    bars = []
    for index, stage_mix in enumerate(mix.stages):
        x = PLOT_LEFT + index * BAR_SLOT + (BAR_SLOT - BAR_WIDTH) / 2
        share = stage_mix.counts.share
        split = _y(share) if share is not None else None
        bars.append(
            {
                "mix": stage_mix,
                "x": x,
                "centre": x + BAR_WIDTH / 2,
                "split": split,
                "digital_height": round(PLOT_TOP + PLOT_HEIGHT - split, 1) if share else 0,
                "rest_height": round(split - PLOT_TOP, 1) if share is not None else 0,
                "label_y": round((split or _y(0)) - 5, 1),
                "name": Truncator(stage_mix.stage.name).chars(14),
            }
        )
    width = PLOT_LEFT + max(len(bars), 1) * BAR_SLOT + 12
    band = None
    if mix.target:
        low, high = BAND[mix.target]
        band = {
            "y": _y(high),
            "height": round(_y(low) - _y(high), 1),
            "range": f"{low:g}–{high:g} %",
        }
    height = PLOT_TOP + PLOT_HEIGHT + 36
    return {
        "width": width,
        "height": height,
        **_sizes(width, height),
        "top": PLOT_TOP,
        "bottom": PLOT_TOP + PLOT_HEIGHT,
        "left": PLOT_LEFT,
        "right": width - 12,
        "plot_width": width - 12 - PLOT_LEFT,
        "plot_height": PLOT_HEIGHT,
        "bar_width": BAR_WIDTH,
        "name_y": PLOT_TOP + PLOT_HEIGHT + 16,
        "count_y": PLOT_TOP + PLOT_HEIGHT + 29,
        "ticks": [(f"{v:g}", _y(v), v in THRESHOLDS) for v in (0, *THRESHOLDS, 100)],
        "band": band,
        "bars": bars,
    }


CHANNEL_LEFT, CHANNEL_ROW, CHANNEL_BAR, CHANNEL_SPAN = 92, 24, 14, 300


def channel_chart(mix: JourneyMix) -> dict:
    """A horizontal bar per channel in use, its digital and non-digital touchpoints side by side."""
    most = max((channel.counts.total for channel in mix.channels), default=1)
    unit = CHANNEL_SPAN / most
    rows = []
    for index, channel in enumerate(mix.channels):
        y = 8 + index * CHANNEL_ROW
        digital_width = round(channel.counts.digital * unit, 1)
        rows.append(
            {
                "channel": channel,
                "y": y,
                "text_y": y + CHANNEL_BAR - 3,
                "digital_width": digital_width,
                "rest_x": CHANNEL_LEFT + digital_width,
                "rest_width": round(channel.counts.non_digital * unit, 1),
                "end_x": round(CHANNEL_LEFT + channel.counts.total * unit + 6, 1),
            }
        )
    width, height = CHANNEL_LEFT + CHANNEL_SPAN + 40, 8 + len(rows) * CHANNEL_ROW + 4
    return {
        "width": width,
        "height": height,
        **_sizes(width, height),
        "left": CHANNEL_LEFT,
        "bar": CHANNEL_BAR,
        "rows": rows,
    }


def charts(mix: JourneyMix) -> dict:
    return {
        "mix": mix,
        "stage_chart": stage_chart(mix),
        "channel_chart": channel_chart(mix),
        "first_from": f"{DIGITAL_FIRST_FROM:g}",
        "support_below": f"{DIGITAL_SUPPORT_BELOW:g}",
    }


def pack_section_html(workspace: Workspace) -> str:
    """The "Digital mix" section of a canvas pack: every journey of the workspace."""
    context = {
        "workspace": workspace,
        "journeys": [charts(mix) for mix in workspace_mixes(workspace)],
        "generated_at": timezone.now(),
    }
    return render_to_string("journeys/digital/pack.html", context)
