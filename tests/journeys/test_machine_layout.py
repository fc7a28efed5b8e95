"""The machine's drawing: ranks, order, sizes, edges and the marks on states."""

import itertools
import random

import pytest

from journeys.statemachine.layout import KINDS, StateIn, TransitionIn, layout, order, ranks


def s(pk, name=None, start=False):
    return StateIn(pk, name or f"State {pk}", start)


def t(pk, source, target, kind="service", label="Help", spawns=""):
    return TransitionIn(pk, source, target, kind, label, spawns)


CHAIN = [s(1, start=True), s(2), s(3), s(4)]
CHAIN_T = [t(1, 1, 2), t(2, 2, 3, "information"), t(3, 3, 4), t(4, 4, None, "done")]


def overlaps(a, b) -> bool:
    return not (
        a.x + a.width <= b.x
        or b.x + b.width <= a.x
        or a.y + a.height <= b.y
        or b.y + b.height <= a.y
    )


def test_ranks_are_the_distance_from_the_start():
    states = [s(1), s(2, start=True), s(3), s(4), s(5)]
    transitions = [t(1, 2, 1), t(2, 1, 3), t(3, 2, 3), t(4, 3, 2), t(5, 5, 4)]
    assert ranks(states, transitions) == {2: 0, 1: 1, 3: 1, 4: 2, 5: 2}


def test_unreachable_states_share_a_last_rank_and_are_flagged():
    states = [*CHAIN, s(8), s(9)]
    drawn = layout(states, [*CHAIN_T, t(9, 8, 9)], unreachable={8, 9})
    by_pk = {node.pk: node for node in drawn.nodes}
    assert by_pk[8].rank == by_pk[9].rank == 4
    assert by_pk[8].x == by_pk[9].x > by_pk[4].x
    assert by_pk[8].flagged and by_pk[8].unreachable and not by_pk[4].flagged


def test_stuck_states_are_flagged():
    drawn = layout(CHAIN, CHAIN_T, stuck={2})
    assert [node.pk for node in drawn.nodes if node.flagged] == [2]


def test_ranks_run_left_to_right():
    drawn = layout(CHAIN, CHAIN_T)
    xs = [node.x for node in drawn.nodes]
    assert xs == sorted(xs) and len(set(xs)) == 4


def test_barycentre_order_cuts_crossings():
    # 1 → a, b; a → y, b → x: listing x first would cross the two edges.
    states = [s(1, start=True), s(2, "a"), s(3, "b"), s(4, "x"), s(5, "y")]
    transitions = [t(1, 1, 2), t(2, 1, 3), t(3, 2, 5), t(4, 3, 4)]
    layers = order(states, transitions, ranks(states, transitions))
    assert layers == [[1], [2, 3], [5, 4]]


def test_nodes_never_overlap_and_fit_their_labels():
    states = [s(i, f"A rather long state name number {i} indeed", i == 1) for i in range(1, 13)]
    transitions = [t(i, 1 + (i % 4), 1 + ((i * 5) % 12), "information") for i in range(1, 20)]
    transitions += [t(50, 3, 3, "blocker"), t(51, 7, None, "cancel"), t(52, 7, None, "done")]
    drawn = layout(states, transitions)
    for a, b in itertools.combinations(drawn.nodes, 2):
        assert not overlaps(a, b), (a.name, b.name)
    for node in drawn.nodes:
        assert 1 <= len(node.lines) <= 3
        assert all(len(line) * 6.4 <= node.width for line in node.lines)
        assert node.x >= 0 and node.y >= 0
        assert node.x + node.width <= drawn.width and node.y + node.height <= drawn.height


def test_every_transition_is_drawn_once_with_its_kind():
    transitions = [
        t(1, 1, 2, "information"),
        t(2, 1, 2, "spawn", "Side trip", spawns="Book a hotel"),
        t(3, 2, 2, "blocker"),  # self loop
        t(4, 3, 1, "service"),  # back edge
        t(5, 2, 3, "service"),
        t(6, 3, None, "done"),
        t(7, 1, None, "cancel"),
    ]
    drawn = layout(CHAIN[:3], transitions)
    assert sorted(edge.pk for edge in drawn.edges) == [1, 2, 3, 4, 5, 6, 7]
    assert {edge.pk: edge.kind for edge in drawn.edges} == {x.pk: x.kind for x in transitions}
    assert len({edge.path for edge in drawn.edges}) == 7, "parallel edges do not coincide"
    assert all(edge.path.startswith("M") and " C" in edge.path for edge in drawn.edges)
    spawn = next(edge for edge in drawn.edges if edge.pk == 2)
    assert any("Book a hotel" in line for _, _, line in spawn.label_lines)
    assert len(drawn.ends) == 2, "one end node per ending transition"


def test_transitions_to_unknown_states_are_left_out():
    drawn = layout(CHAIN[:2], [t(1, 1, 2), t(2, 1, 99), t(3, 99, 1)])
    assert [edge.pk for edge in drawn.edges] == [1]


def test_labels_do_not_overlap_the_states_of_a_chain():
    drawn = layout(CHAIN, CHAIN_T)
    for edge in drawn.edges:
        x, y, w, h = edge.halo
        for node in drawn.nodes:
            assert (
                x + w <= node.x
                or node.x + node.width <= x
                or y + h <= node.y
                or node.y + node.height <= y
            )


def test_the_output_is_deterministic_whatever_the_transition_order():
    states = [s(i, start=i == 1) for i in range(1, 8)]
    transitions = [t(i, 1 + i % 7, 1 + (i * 3) % 7) for i in range(1, 15)] + [
        t(20, 7, None, "done")
    ]
    first = layout(states, transitions, stuck={3})
    for seed in range(5):
        shuffled = transitions[:]
        random.Random(seed).shuffle(shuffled)
        assert layout(states, shuffled, stuck={3}) == first


def test_the_start_is_marked_and_without_one_the_first_state_leads():
    drawn = layout(CHAIN, CHAIN_T)
    assert drawn.start.pk == 1 and drawn.start.entry.startswith("M")
    no_start = layout([s(1), s(2)], [t(1, 1, 2)])
    assert no_start.start is None
    assert [node.rank for node in no_start.nodes] == [0, 1]


def test_the_legend_lists_every_kind():
    assert [item.kind for item in layout(CHAIN, CHAIN_T).legend] == list(KINDS)
    assert KINDS["blocker"].dash and KINDS["spawn"].dash and not KINDS["service"].dash


def test_an_empty_machine_has_no_nodes():
    drawn = layout([], [])
    assert drawn.nodes == () and drawn.edges == () and drawn.width > 0


@pytest.mark.parametrize("name", ["", "x" * 300, "Supercalifragilisticexpialidocious-ly long"])
def test_odd_names_still_fit(name):
    node = layout([s(1, name, True)], []).nodes[0]
    assert len(node.lines) <= 3
    assert all(len(line) <= 18 for line in node.lines)


def through(edge, node) -> bool:
    """Whether the edge's curve passes inside the node (sampled along the Bézier)."""
    numbers = [float(n) for n in edge.path.replace("M", "").replace("C", "").split()]
    p = [tuple(numbers[i : i + 2]) for i in range(0, 8, 2)]
    for step in range(1, 20):
        u = step / 20
        x, y = (
            (1 - u) ** 3 * a + 3 * (1 - u) ** 2 * u * b + 3 * (1 - u) * u * u * c + u**3 * d
            for a, b, c, d in zip(*p, strict=True)
        )
        if node.x + 2 < x < node.x + node.width - 2 and node.y + 2 < y < node.y + node.height - 2:
            return True
    return False


def test_edges_within_a_rank_bracket_round_the_states_between():
    # 2, 3 and 4 share rank 1; 2 → 4 must not run through 3.
    states = [s(1, start=True), s(2), s(3), s(4)]
    transitions = [t(1, 1, 2), t(2, 1, 3), t(3, 1, 4), t(4, 2, 4, "blocker")]
    drawn = layout(states, transitions)
    bracket = next(edge for edge in drawn.edges if edge.pk == 4)
    assert not any(through(bracket, node) for node in drawn.nodes)
    right = max(node.x + node.width for node in drawn.nodes if node.rank == 1)
    assert bracket.halo[0] + bracket.halo[2] / 2 > right


def test_no_edge_runs_through_a_state_it_does_not_join():
    states = [s(1, start=True), s(2), s(3), s(4), s(5), s(6)]
    transitions = [
        t(1, 1, 2),
        t(2, 1, 3),
        t(3, 2, 4),
        t(4, 3, 4),
        t(5, 4, 5),
        t(6, 5, 2, "information"),
        t(7, 4, 1, "blocker"),
        t(8, 5, 6),
        t(9, 6, 6, "blocker"),
        t(10, 6, None, "done"),
        t(11, 3, None, "cancel"),
    ]
    drawn = layout(states, transitions)
    for edge in drawn.edges:
        joined = {x.source for x in transitions if x.pk == edge.pk}
        joined |= {x.target for x in transitions if x.pk == edge.pk}
        for node in drawn.nodes:
            if node.pk not in joined:
                assert not through(edge, node), (edge.pk, node.pk)


def test_a_back_edge_between_the_lowest_states_of_their_ranks_runs_below():
    # 1 → 2 (top), 1 → 3 (bottom of rank 1), 3 → 4, 4 → 3 back: both lowest in their ranks.
    states = [s(1, start=True), s(2), s(3), s(4), s(5)]
    transitions = [t(1, 1, 2), t(2, 1, 3), t(3, 3, 4), t(4, 2, 5), t(5, 4, 3, "information")]
    drawn = layout(states, transitions)
    lowest = max(node.y + node.height for node in drawn.nodes)
    back = next(edge for edge in drawn.edges if edge.pk == 5)
    assert back.halo[1] >= lowest - 1, "drawn under the states, not through them"
