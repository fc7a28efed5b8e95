from django.core import checks

from canvases import area_panels, types


def registry_problems(canvas_type) -> list[str]:
    problems = []
    slugs = [area.slug for area in canvas_type.areas]
    if len(slugs) != len(set(slugs)):
        problems.append("two areas share a slug")
    if canvas_type.grid_names != set(slugs):
        missing = sorted(set(slugs) - canvas_type.grid_names)
        unknown = sorted(canvas_type.grid_names - set(slugs))
        problems.append(f"grid and areas differ (not placed: {missing}; not areas: {unknown})")
    widths = {len(row.split()) for row in canvas_type.grid}
    if widths != {len(canvas_type.columns.split())}:
        problems.append("every grid row needs one name per column")
    problems.extend(
        f"area {area.slug!r} has no prompt" for area in canvas_type.areas if not area.prompt.strip()
    )
    problems.extend(
        f"field area {area.slug!r} has no fields"
        for area in canvas_type.areas
        if area.kind == types.AreaKind.FIELDS and not area.fields
    )
    problems.extend(
        f"panel area {area.slug!r} names no registered panel ({area.panel!r})"
        for area in canvas_type.areas
        if area.kind == types.AreaKind.PANEL and not area_panels.is_registered(area.panel)
    )
    return problems


@checks.register()
def check_canvas_registry(app_configs, **kwargs):
    # Duplicate slugs can't reach here: types.register() refuses them.
    return [
        checks.Error(f"Canvas type {canvas_type.slug!r}: {problem}", id="canvases.E002")
        for canvas_type in types.all_types()
        for problem in registry_problems(canvas_type)
    ]
