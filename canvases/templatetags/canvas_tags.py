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
