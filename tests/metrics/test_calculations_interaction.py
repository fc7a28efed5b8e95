import pytest

from journeys.digital import DIGITAL_CHANNELS
from metrics.calculations import channel_mix, channel_mix_by_stage


def test_channel_mix_shares_and_digital_share():
    # 60 email + 20 web are digital (journeys.digital), 20 phone are not → 80 %.
    result = channel_mix({"phone": 20, "email": 60, "web": 20, "event": 0})
    assert result.total == 100
    assert result.digital == 80
    assert result.digital_percent == pytest.approx(80)
    assert [(c.channel, c.count, c.percent, c.digital) for c in result.channels] == [
        ("email", 60, 60.0, True),
        ("phone", 20, 20.0, False),
        ("web", 20, 20.0, True),
    ]


def test_every_digital_channel_counts_as_digital():
    result = channel_mix(dict.fromkeys(DIGITAL_CHANNELS, 1) | {"in_person": 1})
    assert result.digital == len(DIGITAL_CHANNELS)
    assert result.digital_percent == pytest.approx(
        100 * len(DIGITAL_CHANNELS) / (len(DIGITAL_CHANNELS) + 1)
    )


def test_all_offline_and_all_digital():
    assert channel_mix({"phone": 3, "in_person": 1}).digital_percent == 0
    assert channel_mix({"in_app": 3}).digital_percent == 100


def test_no_events_no_share():
    for counts in ({}, {"email": 0}):
        result = channel_mix(counts)
        assert result.total == 0
        assert result.digital_percent is None
        assert result.channels == ()


@pytest.mark.parametrize(
    "counts", [{"email": -1}, {"email": 1.5}, {"": 3}, {None: 3}, {"web": True}]
)
def test_impossible_channel_counts_are_refused(counts):
    with pytest.raises(ValueError):
        channel_mix(counts)


def test_channel_mix_per_journey_stage():
    rows = [
        ("onboard", "email", 30),
        ("onboard", "phone", 10),
        ("adopt", "in_app", 50),
        ("onboard", "web", 10),
    ]
    result = channel_mix_by_stage(rows)
    assert list(result) == ["onboard", "adopt"]
    assert result["onboard"].digital_percent == pytest.approx(80)
    assert result["adopt"].digital_percent == 100
    assert channel_mix_by_stage([]) == {}


def test_a_stage_channel_pair_given_twice_is_refused():
    with pytest.raises(ValueError):
        channel_mix_by_stage([("adopt", "web", 1), ("adopt", "web", 2)])
