"""Where the network's boxes and arrows go, on hand-made data."""

from dataclasses import dataclass

from canvases.bdn.layout import (
    COLUMN_WIDTH,
    GAP,
    HEAD,
    MARGIN,
    MAX_LINES,
    layout,
    order_columns,
    wrap,
)
from canvases.models import BdnColumn as C


@dataclass(frozen=True)
class N:
    pk: int
    column: str
    label: str = "A node"


def column_x(index):
    return MARGIN + index * (COLUMN_WIDTH + GAP)


def test_boxes_sit_in_their_column_and_stack_without_overlap():
    nodes = [N(1, C.ENABLERS), N(2, C.ENABLERS), N(3, C.DRIVERS, "x " * 60)]
    result = layout(nodes, [])
    boxes = {box.pk: box for box in result.boxes}
    assert boxes[1].x == boxes[2].x == column_x(0)
    assert boxes[3].x == column_x(5)
    assert boxes[2].y >= boxes[1].y + boxes[1].height
    assert all(box.y >= HEAD for box in result.boxes)
    assert all(box.y + box.height <= result.height for box in result.boxes)
    assert result.width == 2 * MARGIN + 6 * COLUMN_WIDTH + 5 * GAP
    assert result.headings[0].title == "Digital enablers"


def test_a_shorter_column_is_centred_against_the_tallest():
    result = layout([N(1, C.ENABLERS), N(2, C.ENABLERS), N(3, C.BENEFITS)], [])
    boxes = {box.pk: box for box in result.boxes}
    middle = (boxes[1].y + boxes[2].y + boxes[2].height) / 2
    assert boxes[3].centre_y == middle


def test_long_labels_wrap_and_are_cut_with_an_ellipsis():
    assert wrap("Short") == ("Short",)
    lines = wrap("word " * 40)
    assert len(lines) == MAX_LINES and lines[-1].endswith("…")
    assert all(len(line) <= 23 for line in lines)
    box = layout([N(1, C.BENEFITS, "word " * 40)], []).boxes[0]
    assert len(box.text_lines) == MAX_LINES
    assert box.text_lines[0][0] == box.x + box.width / 2


def test_arrows_run_from_the_right_edge_of_the_source_to_the_left_of_the_target():
    result = layout([N(1, C.ENABLERS), N(2, C.BENEFITS)], [(1, 2)])
    a, b = result.boxes
    (arrow,) = result.arrows
    assert arrow.path.startswith(f"M{a.x + a.width:g} {a.centre_y:g} C")
    assert arrow.path.endswith(f"{b.x - 3:g} {b.centre_y:g}")
    assert arrow.label == "A node → A node"


def test_a_backward_link_from_bad_data_still_draws_over_the_top():
    result = layout([N(1, C.ENABLERS), N(2, C.BENEFITS)], [(2, 1)])
    assert len(result.arrows) == 1 and f"{HEAD - 20:g}" in result.arrows[0].path


def test_links_to_unknown_nodes_draw_nothing():
    assert layout([N(1, C.ENABLERS)], [(1, 9)]).arrows == ()


def test_barycentre_ordering_uncrosses_links():
    # Enablers a, b; changes c, d with a→d and b→c: the changes swap to face their enablers.
    nodes = [N(1, C.ENABLERS), N(2, C.ENABLERS), N(3, C.ENABLING_CHANGES), N(4, C.ENABLING_CHANGES)]
    columns = order_columns(nodes, [(1, 4), (2, 3)])
    assert [n.pk for n in columns[C.ENABLING_CHANGES]] == [4, 3]
    assert [n.pk for n in columns[C.ENABLERS]] == [1, 2]


def test_the_backward_sweep_orders_the_first_column_by_what_it_leads_to():
    nodes = [N(1, C.ENABLERS), N(2, C.ENABLERS), N(5, C.OBJECTIVES), N(6, C.OBJECTIVES)]
    # 5 and 6 have no predecessors among placed columns... 1→6, 2→5: objectives follow the
    # enablers forward (6 above 5), and the enablers keep their order.
    columns = order_columns(nodes, [(1, 6), (2, 5)])
    assert [n.pk for n in columns[C.OBJECTIVES]] == [6, 5]
    assert [n.pk for n in columns[C.ENABLERS]] == [1, 2]


def test_flagged_boxes_are_marked():
    result = layout([N(1, C.ENABLERS), N(2, C.DRIVERS)], [], flagged={2})
    assert [box.flagged for box in result.boxes] == [False, True]
