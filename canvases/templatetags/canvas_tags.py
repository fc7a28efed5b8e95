from django import template
from django.utils.safestring import mark_safe

from canvases.rendering import note_html

register = template.Library()


@register.filter
def scale_steps(definition) -> list[tuple[str, str]]:
    """The options of a scale field, captioned with its end labels where they fall."""
    low, high = definition.scale
    steps = list(range(low, high + 1))
    captions = {}
    if definition.ends:
        last = len(definition.ends) - 1
        for index, end in enumerate(definition.ends):
            captions[steps[round(index * (len(steps) - 1) / last)] if last else steps[0]] = end
    return [(str(n), captions.get(n, str(n))) for n in steps]


@register.filter
def mmss(seconds) -> str:
    seconds = int(seconds or 0)
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


@register.simple_tag(takes_context=True)
def board_notes(context, notes):
    """All notes of an area (see canvases.rendering for why this is not a template loop)."""
    options = {
        "notes_url": context["notes_url"],
        "can_write": context.get("can_write", False),
        "voting": context.get("voting"),
        "can_vote": context.get("can_vote", False),
        "csrf_token": str(context.get("csrf_token", "")),
        "votes_left": context.get("votes_left", 0),
    }
    return mark_safe("".join(note_html(note, **options) for note in notes))


# Keys of an event's before/after that identify or place a thing rather than describe it.
_STATE_KEYS = {"area", "label", "row", "item", "job", "outcome", "position", "answers"}
_STATE_KEYS |= {"decided_by", "decided_at"}


@register.filter
def event_label(event) -> str:
    """What a change to a table row, item or node was about, from its logged state."""
    return (event.after or {}).get("label") or (event.before or {}).get("label") or ""


@register.filter
def change_summary(event) -> str:
    """“importance 3 → 5; comment ‘…’ → ‘…’” from an event's before and after states."""
    before, after = event.before or {}, event.after or {}
    if not before or not after or "text" in after:
        return ""
    parts = []
    # Stored as jsonb, the keys come back reordered: sort them, long texts last.
    for key in sorted(after, key=lambda key: (key == "comment", key)):
        new, old = after[key], before.get(key)
        if key in _STATE_KEYS or key not in before or old == new:
            continue
        parts.append(f"{key.replace('_', ' ')} {_shown(old)} → {_shown(new)}")
    return "; ".join(parts)


def _shown(value) -> str:
    if value in (None, ""):
        return "—"
    text = str(value)
    return f"“{text[:40]}…”" if len(text) > 40 else text
