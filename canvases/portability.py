"""What of the canvases an export holds: every canvas with its notes, fields, votes,
structured rows and whole history, so an imported canvas's history shows and undo works.

A canvas event's before and after states name rows by id (a node, a removed link, the
answers of an import); each key that holds ids is registered here with what it names,
by this app and by the apps whose rows the states name (journeys: stages, touchpoints…;
metrics: a benefit's measure). tests/engage/test_portability.py fails on a state key
holding ids that nobody registered.
"""

from canvases.models import (
    BdnLink,
    BdnNode,
    Canvas,
    CanvasEvent,
    CanvasPack,
    CanvasPackPart,
    FieldValue,
    FilterRow,
    Note,
    Outcome,
    PriorityItem,
    SurveyAnswer,
    Vote,
    VotingRound,
)
from engage.models import Job, Segment
from engage.portability import as_text, leave_out, many, one, person, register
from engage.portability.registry import Converter

_state_keys: dict[str, Converter] = {}


def register_state_key(key: str, convert: Converter) -> None:
    """A key of canvas events' before/after states that holds ids (`one(Model)`, …)."""
    _state_keys[key] = convert


def state_keys() -> frozenset[str]:
    return frozenset(_state_keys)


def _links(value, row, refs):
    """A removed node's links: [link, source node, target node] each."""
    return [
        [refs.ref(BdnLink, link), refs.ref(BdnNode, source), refs.ref(BdnNode, target)]
        for link, source, target in value
    ]


_segment_choice = as_text(one(Segment))


def _state(value, row, refs):
    if not isinstance(value, dict):
        return value
    state = dict(value)
    for key in state.keys() & _state_keys.keys():
        state[key] = _state_keys[key](state[key], row, refs)
    # A persona card's segment field holds the segment's id as its value.
    segment = row["kind"] == CanvasEvent.Kind.FIELD_CHANGED and row["field"] == "segment"
    if segment and "value" in state:
        state["value"] = _segment_choice(state["value"], row, refs)
    return state


def register_canvases() -> None:
    register(Canvas)
    register(Note)
    register(FieldValue)
    register(VotingRound)
    register(Vote)
    register(Outcome)
    register(FilterRow)
    register(PriorityItem)
    register(SurveyAnswer)
    register(BdnNode)
    register(BdnLink)
    register(CanvasEvent, refs={"before": _state, "after": _state})
    for key, convert in {
        "copied_from": one(Canvas),
        "job": one(Job),
        "row": one(FilterRow),
        "item": one(PriorityItem),
        "outcome": one(Outcome),
        "decided_by": person,
        "answers": many(SurveyAnswer),
        "outcomes_created": many(Outcome),
        "items_added": many(PriorityItem),
        "node": one(BdnNode),
        "source": one(BdnNode),
        "target": one(BdnNode),
        "link": one(BdnLink),
        "links": _links,
    }.items():
        register_state_key(key, convert)
    reason = "PDFs printed from the canvases: print them again"
    leave_out(CanvasPack, reason)
    leave_out(CanvasPackPart, reason)
    leave_out(CanvasPack.canvases.through, reason)
