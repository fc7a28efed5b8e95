"""State-machine checks on crafted machines (states are plain numbers here)."""

from journeys.statemachine.checks import Transition, check_machine


def t(source, target, kind="service"):
    return Transition(source, target, kind)


def test_a_sound_machine():
    check = check_machine(
        {1, 2, 3}, 1, [t(1, 2, "information"), t(2, 3), t(3, None, "done"), t(2, None, "cancel")]
    )
    assert check.is_sound
    assert (check.unreachable, check.stuck) == (frozenset(), frozenset())


def test_a_machine_without_a_start():
    check = check_machine({1, 2}, None, [t(1, 2), t(2, None, "done")])
    assert not check.has_start and not check.is_sound
    assert check.unreachable == frozenset(), "without a start, reachability is not judged"


def test_a_start_that_is_not_one_of_the_states_is_no_start():
    assert not check_machine({1, 2}, 9, [t(1, 2), t(2, None, "done")]).has_start


def test_unreachable_states():
    check = check_machine(
        {1, 2, 3, 4}, 1, [t(1, 2), t(2, None, "done"), t(3, 4), t(4, None, "done")]
    )
    assert check.unreachable == {3, 4}
    assert check.stuck == frozenset()


def test_stuck_states_can_reach_neither_done_nor_cancel():
    # 3 ⇄ 4 loop forever; 5 is a dead end; a blocker out of 2 leads into the loop.
    check = check_machine(
        {1, 2, 3, 4, 5},
        1,
        [t(1, 2), t(1, 5), t(2, 3, "blocker"), t(3, 4), t(4, 3), t(2, None, "done")],
    )
    assert check.stuck == {3, 4, 5}
    assert check.unreachable == frozenset()


def test_spawn_is_not_an_ending():
    check = check_machine({1, 2}, 1, [t(1, 2, "spawn")])
    assert check.stuck == {1, 2}


def test_the_state_a_done_transition_leads_to_is_an_end_state_not_stuck():
    check = check_machine({1, 2, 3}, 1, [t(1, 2, "done"), t(1, 3)])
    assert check.stuck == {3}, "3 has no way on; 2 is where the job ends"
