"""The network's findings on hand-made nodes and links: no database."""

from dataclasses import dataclass

import pytest

from canvases.bdn.graph import cycles, findings, reachable_in
from canvases.models import BdnColumn as C


@dataclass(frozen=True)
class N:
    pk: int
    column: str
    label: str = ""


def by_slug(found):
    return {finding.slug: finding.nodes for finding in found if finding.slug != "cycle"}


COMPLETE = [
    N(1, C.ENABLERS),
    N(2, C.ENABLING_CHANGES),
    N(3, C.BUSINESS_CHANGES),
    N(4, C.BENEFITS),
    N(5, C.OBJECTIVES),
    N(6, C.DRIVERS),
]
CHAIN = [(1, 2), (2, 3), (3, 4), (4, 5), (5, 6)]


def test_a_complete_chain_has_no_findings():
    assert findings(COMPLETE, CHAIN) == []


def test_no_links_flags_every_column_but_the_changes():
    assert by_slug(findings(COMPLETE, [])) == {
        "drivers_unanswered": (6,),
        "objectives_without_benefits": (5,),
        "benefits_without_changes": (4,),
        "enablers_without_objectives": (1,),
    }


def test_an_enabler_reaching_an_objective_through_any_path_is_fine():
    nodes = [N(1, C.ENABLERS), N(2, C.ENABLERS), N(3, C.BENEFITS), N(5, C.OBJECTIVES)]
    links = [(1, 3), (3, 5), (2, 3)]
    found = by_slug(findings(nodes, links))
    assert "enablers_without_objectives" not in found
    links = [(1, 3), (3, 5), (2, 5)]  # straight from enabler to objective counts too
    assert "enablers_without_objectives" not in by_slug(findings(nodes, links))


def test_an_enabler_stopping_at_a_benefit_leads_to_no_objective():
    nodes = [N(1, C.ENABLERS), N(3, C.BUSINESS_CHANGES), N(4, C.BENEFITS), N(5, C.OBJECTIVES)]
    found = by_slug(findings(nodes, [(1, 3), (3, 4)]))
    assert found["enablers_without_objectives"] == (1,)
    assert found["objectives_without_benefits"] == (5,)


def test_an_objective_linked_only_from_a_change_still_has_no_benefit():
    nodes = [N(3, C.BUSINESS_CHANGES), N(5, C.OBJECTIVES), N(6, C.DRIVERS)]
    found = by_slug(findings(nodes, [(3, 5), (5, 6)]))
    assert found == {"objectives_without_benefits": (5,)}


def test_a_benefit_needs_a_change_upstream_not_just_an_enabler():
    nodes = [N(1, C.ENABLERS), N(4, C.BENEFITS), N(7, C.BENEFITS), N(2, C.ENABLING_CHANGES)]
    links = [(1, 4), (2, 7)]
    assert by_slug(findings(nodes, links))["benefits_without_changes"] == (4,)
    # A change two steps back still counts.
    nodes.append(N(3, C.BUSINESS_CHANGES))
    assert "benefits_without_changes" not in by_slug(findings(nodes, [(2, 3), (3, 4), (2, 7)]))


def test_a_driver_answered_by_no_objective():
    nodes = [N(4, C.BENEFITS), N(5, C.OBJECTIVES), N(6, C.DRIVERS), N(8, C.DRIVERS)]
    found = by_slug(findings(nodes, [(4, 5), (5, 6), (4, 8)]))
    assert found["drivers_unanswered"] == (8,), "a benefit is not an objective"


def test_findings_keep_the_given_order_of_nodes():
    nodes = [N(9, C.DRIVERS), N(2, C.DRIVERS), N(5, C.DRIVERS)]
    assert by_slug(findings(nodes, []))["drivers_unanswered"] == (9, 2, 5)


@pytest.mark.parametrize(
    "links,expected",
    [
        ([], []),
        (CHAIN, []),
        ([(1, 2), (2, 1)], [(1, 2)]),
        ([(1, 2), (2, 3), (3, 1), (3, 4)], [(1, 2, 3)]),
        ([(1, 2), (2, 1), (4, 5), (5, 6), (6, 4)], [(1, 2), (4, 5, 6)]),
        ([(3, 3)], [(3,)]),
        ([(1, 2), (2, 3), (1, 3)], []),  # a diamond is no cycle
    ],
)
def test_cycles(links, expected):
    assert cycles(COMPLETE, links) == expected


def test_a_cycle_in_bad_data_is_a_finding_next_to_the_others():
    found = findings(COMPLETE, [*CHAIN, (6, 1)])
    assert [(f.slug, f.nodes) for f in found] == [("cycle", (1, 2, 3, 4, 5, 6))]


def test_links_to_unknown_nodes_are_ignored():
    assert findings(COMPLETE, [*CHAIN, (99, 1), (6, 98)]) == []


def test_reachable_in_a_column():
    nodes = [N(3, C.BUSINESS_CHANGES), N(4, C.BENEFITS), N(5, C.OBJECTIVES), N(7, C.OBJECTIVES)]
    assert [n.pk for n in reachable_in(3, nodes, [(3, 4), (4, 7), (4, 5)], C.OBJECTIVES)] == [5, 7]
    assert reachable_in(5, nodes, [(3, 4)], C.OBJECTIVES) == []
