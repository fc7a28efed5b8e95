from django import template

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
