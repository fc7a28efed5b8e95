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
