"""Template filters for metrics pages."""

from django import template

register = template.Library()


@register.filter
def duration(hours) -> str:
    """Hours as people say them: “45 min”, “5.5 h”, “3.2 days”; “—” for none."""
    if hours is None or hours == "":
        return "—"
    hours = float(hours)
    if hours < 1:
        return f"{hours * 60:.0f} min"
    if hours < 48:
        return f"{hours:.1f} h".replace(".0 h", " h")
    return f"{hours / 24:.1f} days".replace(".0 days", " days")
