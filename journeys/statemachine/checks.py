"""Checks on a job's state machine, as pure functions over states and transitions.

A job moves from state to state; a transition is information, service, blocker,
cancel, spawn or done (../shared/DOMAIN.md §4). A machine is sound when it has a
start, every state can be reached from it, and from every state the customer can
still finish: reach a done or a cancel transition.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

ENDING_KINDS = frozenset({"done", "cancel"})


@dataclass(frozen=True)
class Transition:
    source: int
    target: int | None  # done and cancel may end the job without a next state
    kind: str


@dataclass(frozen=True)
class MachineCheck:
    has_start: bool
    unreachable: frozenset[int]  # states the start never leads to
    stuck: frozenset[int]  # states from which neither done nor cancel can be reached

    @property
    def is_sound(self) -> bool:
        return self.has_start and not self.unreachable and not self.stuck


def _walk(starts: Iterable[int], edges: dict[int, set[int]]) -> set[int]:
    seen, pending = set(), list(starts)
    while pending:
        state = pending.pop()
        if state not in seen:
            seen.add(state)
            pending.extend(edges[state] - seen)
    return seen


def check_machine(
    states: Iterable[int], start: int | None, transitions: Iterable[Transition]
) -> MachineCheck:
    states = set(states)
    forward, backward, finishing = defaultdict(set), defaultdict(set), set()
    for transition in transitions:
        if transition.kind in ENDING_KINDS:
            # Its source can finish; a state it leads to is an end state ("Done").
            finishing.add(transition.source)
            if transition.target is not None:
                finishing.add(transition.target)
        if transition.target is not None:
            forward[transition.source].add(transition.target)
            backward[transition.target].add(transition.source)
    has_start = start is not None and start in states
    reachable = _walk([start], forward) if has_start else set()
    can_finish = _walk(finishing, backward)
    return MachineCheck(
        has_start=has_start,
        unreachable=frozenset(states - reachable) if has_start else frozenset(),
        stuck=frozenset(states - can_finish),
    )
