"""The ecosystem map's geometry: rings, sectors, chips that never overlap, the drop target."""

import math
import random
from itertools import combinations

import pytest

from journeys.ecosystem import layout as L
from journeys.ecosystem.layout import Party, cell_at, layout, wrap

SIX = [
    (11, "Work & colleagues"),
    (12, "Vendors & partners"),
    (13, "Tools & platforms"),
    (14, "Money & finance"),
    (15, "Community & peers"),
    (16, "Regulators"),
]
NAMES = [
    "Line managers",
    "IT helpdesk",
    "Implementation partner",
    "COO",
    "Okta",
    "Data protection authority",
    "Works council",
    "Payroll bureau",
    "Recruiting agency",
    "HR peers network",
    "Slack",
    "Laptop supplier",
]


def parties(count, *, seed=1, dimensions=SIX):
    rng = random.Random(seed)
    return [
        Party(pk, rng.choice(NAMES), rng.choice(L.RINGS), rng.choice(dimensions)[0])
        for pk in range(1, count + 1)
    ]


def boxes(drawing):
    return [
        (
            chip.x - chip.width / 2,
            chip.y - chip.height / 2,
            chip.x + chip.width / 2,
            chip.y + chip.height / 2,
        )
        for chip in drawing.chips
    ]


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def corners(chip):
    half_w, half_h = chip.width / 2, chip.height / 2
    return [(chip.x + sx * half_w, chip.y + sy * half_h) for sx in (-1, 1) for sy in (-1, 1)]


def test_rings_run_from_essential_inside_to_desirable_outside():
    drawing = layout("Dana", SIX, [])
    assert [ring.slug for ring in drawing.rings] == ["essential", "valued", "desirable"]
    assert [(r.inner, r.outer) for r in drawing.rings] == list(
        zip(L.RING_EDGES, L.RING_EDGES[1:], strict=False)
    )
    assert drawing.rings[0].inner == L.CENTRE_RADIUS > 0


def test_sectors_share_the_circle_equally_from_the_top_clockwise():
    drawing = layout("Dana", SIX, [])
    assert [s.pk for s in drawing.sectors] == [11, 12, 13, 14, 15, 16]
    assert [(s.start, s.end) for s in drawing.sectors] == [
        (-90 + 60 * i, -30 + 60 * i) for i in range(6)
    ]
    first = drawing.sectors[0]
    # The first divider is the vertical line from the centre circle up to the rim.
    assert first.line[0] == pytest.approx(L.CX) and first.line[2] == pytest.approx(L.CX)
    assert first.line[3] == pytest.approx(L.CY - L.RING_EDGES[-1])


def test_dimension_labels_sit_outside_the_rim_inside_the_drawing_and_face_outwards():
    drawing = layout("Dana", SIX, [])
    for sector in drawing.sectors:
        assert math.hypot(sector.label_x - L.CX, sector.label_y - L.CY) > L.RING_EDGES[-1]
        for y, _ in sector.label_lines:
            assert 0 < y < L.HEIGHT
    anchors = {s.name: s.anchor for s in drawing.sectors}
    assert anchors["Vendors & partners"] == "start"  # right-hand side
    assert anchors["Community & peers"] == "end"  # left-hand side


@pytest.mark.parametrize("count", [1, 12, 40, 100])
@pytest.mark.parametrize("dimensions", [SIX, SIX[:1], SIX[:2], SIX[:3], SIX * 2], ids=len)
def test_no_two_chips_overlap_and_each_stays_in_its_ring_and_sector(count, dimensions):
    dimensions = [(pk + 100 * i, name) for i, (pk, name) in enumerate(dimensions)]
    drawing = layout("Dana", dimensions, parties(count, dimensions=dimensions))
    for a, b in combinations(boxes(drawing), 2):
        assert not overlap(a, b)
    for chip in drawing.chips:
        index = L.RINGS.index(chip.ring)
        inner, outer = L.RING_EDGES[index], L.RING_EDGES[index + 1]
        for x, y in corners(chip):
            assert inner <= math.hypot(x - L.CX, y - L.CY) <= outer
            assert cell_at(x, y, [pk for pk, _ in dimensions]) == (chip.ring, chip.dimension)
    hidden = sum(o.count for o in drawing.overflows)
    assert len(drawing.chips) + hidden == count


def test_a_dozen_parties_on_six_dimensions_are_all_drawn_as_labelled_chips():
    names = iter(NAMES)
    placed = [
        Party(pk, next(names), ring, dimension)
        for pk, (ring, dimension) in enumerate(
            [(ring, pk) for pk, _ in SIX for ring in L.RINGS][::3][:6]
            + [(ring, pk) for pk, _ in SIX for ring in L.RINGS][1::3][:6],
            start=1,
        )
    ]
    drawing = layout("Dana", SIX, placed)
    assert len(drawing.chips) == 12 and not drawing.overflows
    assert not any(chip.is_dot for chip in drawing.chips)
    assert {chip.name for chip in drawing.chips} == set(NAMES)


def test_the_layout_is_deterministic():
    many = parties(60, seed=7)
    assert layout("Dana", SIX, many) == layout("Dana", SIX, list(many))


def test_a_full_cell_falls_back_to_dots_then_counts_the_rest():
    crowd = [Party(pk, f"Party number {pk}", "essential", 11) for pk in range(1, 61)]
    drawing = layout("Dana", SIX, crowd)
    chips = [chip for chip in drawing.chips if not chip.is_dot]
    dots = [chip for chip in drawing.chips if chip.is_dot]
    assert chips and dots
    assert [chip.pk for chip in drawing.chips] == list(range(1, len(drawing.chips) + 1))
    assert drawing.overflows[0].ring == "essential" and drawing.overflows[0].dimension == 11
    assert drawing.overflows[0].count == 60 - len(drawing.chips)
    assert all(dot.lines == () for dot in dots)


def test_earlier_parties_sit_nearer_the_inner_edge_of_their_ring():
    drawing = layout("Dana", SIX, [Party(pk, "Okta", "valued", 13) for pk in range(1, 9)])
    radii = [math.hypot(c.x - L.CX, c.y - L.CY) for c in drawing.chips]
    assert radii[0] == min(radii)


def test_parties_of_unknown_dimensions_or_rings_are_left_out():
    drawing = layout("Dana", SIX, [Party(1, "Gone", "valued", 99), Party(2, "Odd", "far", 11)])
    assert drawing.chips == () and drawing.overflows == ()


@pytest.mark.parametrize(
    "angle,radius,expected",
    [
        (-89, 100, ("essential", 11)),
        (-31, 100, ("essential", 11)),
        (-29, 200, ("valued", 12)),
        (0, 300, ("desirable", 12)),
        (89, L.RING_EDGES[1], ("essential", 13)),
        (91, L.RING_EDGES[1] + 0.5, ("valued", 14)),
        (180, 120, ("essential", 15)),
        (269, 340, ("desirable", 16)),
    ],
)
def test_cell_at_finds_the_ring_and_the_dimension_under_a_point(angle, radius, expected):
    x, y = L.point(angle, radius)
    assert cell_at(x, y, [pk for pk, _ in SIX]) == expected


@pytest.mark.parametrize("radius", [0, L.CENTRE_RADIUS - 1, L.RING_EDGES[-1] + 1, 900])
def test_cell_at_is_none_in_the_centre_and_outside_the_rim(radius):
    x, y = L.point(30, radius)
    assert cell_at(x, y, [11, 12]) is None
    assert cell_at(L.CX + 100, L.CY, []) is None


def test_chips_wrap_long_names_onto_two_lines_and_shorten_the_rest():
    width, height, lines = L.chip_size("Data protection authority of the region")
    assert lines == ("Data", "protection…")
    assert width == pytest.approx(len("protection…") * L.CHAR_WIDTH + L.CHIP_PADDING)
    assert height == L.CHIP_HEIGHT + L.LINE_HEIGHT
    assert all(len(line) <= L.LINE_CHARS for line in lines)
    assert lines[-1].endswith("…")
    assert L.chip_size("COO")[1] == L.CHIP_HEIGHT and L.chip_size("COO")[0] == L.CHIP_MIN_WIDTH


@pytest.mark.parametrize(
    "text,width,lines,expected",
    [
        ("Dana Okafor", 14, 3, ["Dana Okafor"]),
        ("Marco Rossi, HR operations lead", 14, 3, ["Marco Rossi,", "HR operations", "lead"]),
        ("one two three four five six seven", 9, 2, ["one two", "three…"]),
        ("Supercalifragilistic", 10, 2, ["Supercali…"]),
        ("Supercalifragilistic and more", 10, 1, ["Supercali…"]),
        ("", 10, 2, []),
    ],
)
def test_wrap(text, width, lines, expected):
    assert wrap(text, width, lines) == expected


def test_the_subject_is_centred_and_defaults_to_the_customer():
    lines = layout("", SIX, []).subject_lines
    assert [text for _, text in lines] == ["The customer"]
    three = layout("Marco Rossi, HR operations lead", SIX, []).subject_lines
    ys = [y for y, _ in three]
    assert (ys[0] + ys[-1]) / 2 == pytest.approx(L.CY + 4)


def test_a_chip_too_wide_for_its_cell_narrows_before_it_becomes_a_dot():
    # The desirable ring is shallow where a sector lies on its side (Community & peers, left).
    wide, _, _ = L.chip_size("HR ops peers")
    assert wide + 2 * L.CHIP_GAP > L.RING_EDGES[3] - L.RING_EDGES[2]
    (chip,) = layout("Dana", SIX, [Party(1, "HR ops peers", "desirable", 15)]).chips
    assert not chip.is_dot and chip.lines == ("HR ops", "peers")
    assert chip.width < wide
