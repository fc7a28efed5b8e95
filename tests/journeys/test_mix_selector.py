"""journey_mix and workspace_mixes on crafted journeys: exact numbers, fixed query counts."""

import pytest
from django.utils import timezone

from journeys.digital import DigitalType
from journeys.mix import journey_mix, workspace_mixes
from tests.journeys.factories import (
    DataNeedFactory,
    JourneyFactory,
    StageFactory,
    TouchpointFactory,
    journey_with,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey():
    """Stage 1: 2 of 3 digital; stage 2: 1 of 3 (both flags overridden); stage 3: empty."""
    journey = journey_with(
        ["email", "phone", "web"],
        ["in_person", ("chat", False), ("phone", True)],
        [],
        target_type=DigitalType.FIRST,
    )
    removed = StageFactory(journey=journey, removed_at=timezone.now())
    TouchpointFactory.create_batch(4, stage=removed, channel="web")
    return journey


def test_overall_share_and_type(journey):
    mix = journey_mix(journey)
    assert (mix.counts.digital, mix.counts.total) == (3, 6)
    assert mix.share == 50
    assert mix.type == DigitalType.HYBRID
    assert mix.target == DigitalType.FIRST
    assert mix.change == 1  # 4 of 6 is 66.7 %
    assert not mix.on_target


def test_by_channel_counts_the_flag_as_set_not_as_the_channel_suggests(journey):
    channels = {
        c.channel: (c.counts.digital, c.counts.total) for c in journey_mix(journey).channels
    }
    assert channels == {
        "email": (1, 1),
        "web": (1, 1),
        "chat": (0, 1),
        "phone": (1, 2),
        "in_person": (0, 1),
    }


def test_by_stage_in_order_without_removed_stages(journey):
    stages = journey_mix(journey).stages
    assert [(s.counts.digital, s.counts.total) for s in stages] == [(2, 3), (1, 3), (0, 0)]
    assert [s.counts.type for s in stages] == [DigitalType.FIRST, DigitalType.SUPPORT, None]
    assert [s.off_target for s in stages] == [False, True, False]
    assert [s.change for s in stages] == [0, 1, 0]
    assert stages[2].counts.share is None


def test_stages_off_target_follow_the_target(journey):
    journey.target_type = DigitalType.SUPPORT
    mix = journey_mix(journey)
    assert [s.stage.position for s in mix.stages_off_target] == [mix.stages[0].stage.position]
    assert mix.stages[0].change == -1
    assert mix.stages[0].fewer_digital == 1
    journey.target_type = ""
    mix = journey_mix(journey)
    assert mix.stages_off_target == []
    assert mix.target is None
    assert mix.change == 0


def test_a_journey_without_touchpoints_has_no_share_not_zero():
    journey = journey_with([], [])
    mix = journey_mix(journey)
    assert mix.share is None
    assert mix.type is None
    assert mix.channels == []
    assert [s.counts.share for s in mix.stages] == [None, None]


def test_touchpoints_missing_data():
    journey = JourneyFactory()
    stage = StageFactory(journey=journey)
    listed = TouchpointFactory(stage=stage, name="Welcome email")
    DataNeedFactory(touchpoint=listed, source="CRM contact record")
    nothing = TouchpointFactory(stage=stage, name="Kick-off call", channel="phone")
    unsourced = TouchpointFactory(stage=stage, name="Usage nudge", channel="in_app")
    DataNeedFactory(touchpoint=unsourced, source="CRM contact record")
    DataNeedFactory(touchpoint=unsourced, kind="derived", item="Readiness", source="")
    gaps = {gap.touchpoint.name: gap.reason for gap in journey_mix(journey).data_gaps}
    assert gaps == {
        "Kick-off call": "No data needs listed.",
        "Usage nudge": "1 of 2 data needs without where it lives.",
    }
    assert nothing.pk in {gap.touchpoint.pk for gap in journey_mix(journey).data_gaps}


def _grow(journey, stages, per_stage):
    for _ in range(stages):
        stage = StageFactory(journey=journey)
        for tp in TouchpointFactory.create_batch(per_stage, stage=stage, channel="web"):
            DataNeedFactory(touchpoint=tp)


def test_journey_mix_reads_in_three_queries_however_big(django_assert_num_queries):
    journey = JourneyFactory()
    _grow(journey, 1, 1)
    with django_assert_num_queries(3):
        journey_mix(journey)
    _grow(journey, 6, 5)
    with django_assert_num_queries(3):
        mix = journey_mix(journey)
    assert mix.counts.total == 31


def test_workspace_mixes_read_every_journey_in_four_queries(django_assert_num_queries):
    first = journey_with(["email", "phone"])
    workspace = first.workspace
    second = journey_with(["web"], ["web", "event"], canvas__workspace=workspace)
    JourneyFactory()  # another workspace's
    with django_assert_num_queries(4):
        mixes = {mix.journey.pk: mix for mix in workspace_mixes(workspace)}
    assert set(mixes) == {first.pk, second.pk}
    assert mixes[first.pk].share == 50
    assert mixes[second.pk].counts.total == 3
    assert mixes[second.pk].counts.digital == 2
    for _ in range(3):
        journey_with(["web", "phone"], [], canvas__workspace=workspace)
    with django_assert_num_queries(4):
        assert len(workspace_mixes(workspace)) == 5
