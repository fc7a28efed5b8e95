"""What a benefits dependency network is missing: pure functions over nodes and links.

Nodes are anything with `pk` and `column` (a BdnColumn value); links are
(source pk, target pk) pairs. No ORM here, so the checks are tested on hand-made data.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from canvases.models import BdnColumn

CHANGES = {BdnColumn.ENABLING_CHANGES, BdnColumn.BUSINESS_CHANGES}


@dataclass(frozen=True)
class Finding:
    slug: str
    title: str
    advice: str
    nodes: tuple[int, ...]  # pks, in the order the nodes were given; for cycles, one cycle


def _adjacency(links: Iterable[tuple[int, int]]) -> tuple[dict, dict]:
    forward: dict[int, set[int]] = {}
    backward: dict[int, set[int]] = {}
    for source, target in links:
        forward.setdefault(source, set()).add(target)
        backward.setdefault(target, set()).add(source)
    return forward, backward


def _reachable(start: int, edges: dict[int, set[int]]) -> set[int]:
    """Every node reachable from `start` (not counting itself unless on a cycle)."""
    seen: set[int] = set()
    stack = list(edges.get(start, ()))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, ()))
    return seen


def cycles(nodes: Sequence, links: Iterable[tuple[int, int]]) -> list[tuple[int, ...]]:
    """Groups of nodes that lead back to themselves (strongly connected, more than one node
    or a node linked to itself), each in the order the nodes were given."""
    links = list(links)
    forward, backward = _adjacency(links)
    order = [node.pk for node in nodes]
    # Kosaraju, iteratively: finishing order on the forward graph, then components backward.
    finished, visited = [], set()
    for root in order:
        if root in visited:
            continue
        visited.add(root)
        stack = [(root, iter(sorted(forward.get(root, ()))))]
        while stack:
            node, children = stack[-1]
            child = next((c for c in children if c not in visited), None)
            if child is None:
                finished.append(node)
                stack.pop()
            else:
                visited.add(child)
                stack.append((child, iter(sorted(forward.get(child, ())))))
    assigned: set[int] = set()
    found = []
    for root in reversed(finished):
        if root in assigned:
            continue
        component, stack = {root}, [root]
        assigned.add(root)
        while stack:
            for source in backward.get(stack.pop(), ()):
                if source not in assigned and source in visited:
                    assigned.add(source)
                    component.add(source)
                    stack.append(source)
        if len(component) > 1 or root in forward.get(root, ()):
            found.append(tuple(pk for pk in order if pk in component))
    return sorted(found, key=lambda cycle: order.index(cycle[0]))


def findings(nodes: Sequence, links: Iterable[tuple[int, int]]) -> list[Finding]:
    """The network's gaps, in the order a workshop would fix them; empty groups left out."""
    links = list(links)
    forward, backward = _adjacency(links)
    column = {node.pk: BdnColumn(node.column) for node in nodes}

    def in_column(*columns):
        return [node.pk for node in nodes if column[node.pk] in columns]

    def reaches(pk, edges, columns):
        return any(column.get(other) in columns for other in _reachable(pk, edges))

    def linked(pk, edges, columns):
        return any(column.get(other) in columns for other in edges.get(pk, ()))

    groups = [
        Finding(
            "drivers_unanswered",
            "Drivers no objective answers",
            "Link an investment objective to each driver, or drop the driver.",
            tuple(
                pk
                for pk in in_column(BdnColumn.DRIVERS)
                if not linked(pk, backward, {BdnColumn.OBJECTIVES})
            ),
        ),
        Finding(
            "objectives_without_benefits",
            "Objectives without benefits",
            "Name the benefits that would show each objective is met.",
            tuple(
                pk
                for pk in in_column(BdnColumn.OBJECTIVES)
                if not linked(pk, backward, {BdnColumn.BENEFITS})
            ),
        ),
        Finding(
            "benefits_without_changes",
            "Benefits with no change behind them",
            "Which change in how people work would deliver each benefit?",
            tuple(pk for pk in in_column(BdnColumn.BENEFITS) if not reaches(pk, backward, CHANGES)),
        ),
        Finding(
            "enablers_without_objectives",
            "Enablers leading to no objective",
            "Follow each enabler to an objective, or question why to build it.",
            tuple(
                pk
                for pk in in_column(BdnColumn.ENABLERS)
                if not reaches(pk, forward, {BdnColumn.OBJECTIVES})
            ),
        ),
    ]
    result = [group for group in groups if group.nodes]
    for cycle in cycles(nodes, links):
        result.append(
            Finding(
                "cycle",
                "Cycle",
                "Links should only run left to right; remove one of these links.",
                cycle,
            )
        )
    return result


def reachable_in(pk: int, nodes: Sequence, links: Iterable[tuple[int, int]], col: str) -> list:
    """The nodes of column `col` that `pk` leads to, in the order given."""
    forward, _ = _adjacency(links)
    reached = _reachable(pk, forward)
    return [node for node in nodes if node.pk in reached and node.column == col]
