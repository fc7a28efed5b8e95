"""The emotion curve's geometry: one point per stage over its column, a line through the known ones."""

import pytest

from journeys.curve import HEIGHT, MARGIN, WIDTH, emotion_curve, level_y, signed, smooth_path


def test_points_sit_over_the_centres_of_equal_columns():
    curve = emotion_curve([("Discover", 1), ("Buy", -2), ("Use", 2), ("Renew", 0)])
    assert [p.x for p in curve.points] == [150, 450, 750, 1050]
    assert [p.y for p in curve.points] == [level_y(1), level_y(-2), level_y(2), level_y(0)]


def test_the_scale_runs_from_the_top_margin_to_the_bottom_margin():
    assert level_y(2) == MARGIN
    assert level_y(-2) == HEIGHT - MARGIN
    assert level_y(0) == HEIGHT / 2
    assert [level for level, _ in emotion_curve([("a", 0)]).levels] == [2, 1, 0, -1, -2]


def test_the_line_passes_through_every_known_point_and_skips_the_unknown():
    curve = emotion_curve([("a", -1), ("b", None), ("c", 1)])
    assert [p.tone for p in curve.points] == ["negative", "unknown", "positive"]
    assert curve.points[1].y == level_y(0)  # drawn hollow on the neutral line
    assert curve.path.startswith(f"M {curve.points[0].x} {curve.points[0].y}")
    assert curve.path.endswith(f"{curve.points[2].x:.1f} {curve.points[2].y:.1f}")
    assert curve.path.count("C ") == 1


def test_no_known_emotion_draws_no_line():
    assert emotion_curve([("a", None), ("b", None)]).path == ""
    assert emotion_curve([]).points == []


def test_one_known_point_is_a_dot_without_a_curve():
    assert smooth_path([(600.0, 80.0)]) == "M 600.0 80.0"


def test_a_single_stage_takes_the_whole_width():
    assert emotion_curve([("Only", 2)]).points[0].x == WIDTH / 2


@pytest.mark.parametrize("emotion,text", [(-2, "−2"), (-1, "−1"), (0, "0"), (1, "+1"), (2, "+2")])
def test_emotions_are_written_with_their_sign(emotion, text):
    assert signed(emotion) == text
    assert emotion_curve([("s", emotion)]).points[0].label == text


def test_the_label_moves_below_a_point_at_the_top():
    top = emotion_curve([("s", 2)]).points[0]
    bottom = emotion_curve([("s", -2)]).points[0]
    assert top.label_y > top.y and bottom.label_y < bottom.y
