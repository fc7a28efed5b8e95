import pytest

from journeys.digital import DigitalType, digital_share, digital_type, is_digital_channel


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (100, DigitalType.FIRST),
        (65, DigitalType.FIRST),
        (64.9, DigitalType.HYBRID),
        (50, DigitalType.HYBRID),
        (35, DigitalType.HYBRID),
        (34.9, DigitalType.SUPPORT),
        (0, DigitalType.SUPPORT),
    ],
)
def test_digital_type_thresholds(share, expected):
    assert digital_type(share) is expected


def test_no_touchpoints_no_share_and_no_type():
    assert digital_share([]) is None
    assert digital_type(None) is None


@pytest.mark.parametrize("share", [-1, 100.1])
def test_a_share_outside_a_percentage_is_refused(share):
    with pytest.raises(ValueError):
        digital_type(share)


def test_share_worked_examples():
    assert digital_share([True, True, False]) == pytest.approx(66.667, abs=0.001)
    assert digital_type(digital_share([True, True, False])) is DigitalType.FIRST
    assert digital_share([True, False, False]) == pytest.approx(33.333, abs=0.001)
    assert digital_type(digital_share([True, False, False])) is DigitalType.SUPPORT
    # 13 of 20 digital is exactly 65 %: Digital First.
    assert digital_share([True] * 13 + [False] * 7) == 65
    assert digital_type(digital_share([True] * 13 + [False] * 7)) is DigitalType.FIRST
    assert digital_type(digital_share([True] * 7 + [False] * 13)) is DigitalType.HYBRID


@pytest.mark.parametrize(
    ("channel", "digital"),
    [("email", True), ("in_app", True), ("web", True), ("mobile_app", True), ("chat", True),
     ("social", True), ("phone", False), ("event", False), ("in_person", False),
     ("sales_rep", False), ("partner", False), ("other", False)],
)  # fmt: skip
def test_channel_defaults(channel, digital):
    assert is_digital_channel(channel) is digital
