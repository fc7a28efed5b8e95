from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from canvases import services
from canvases.forms import FieldForm
from engage.access import workspace_access
from engage.roles import Capability

from .board import changes_response
from .common import facilitating, get_canvas


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def field_update(request, canvas, field):
    canvas = get_canvas(request, canvas)
    form = FieldForm(request.POST)
    form.is_valid()
    error = ""
    try:
        services.field_set(
            canvas=canvas,
            field=field,
            value=form.cleaned_data.get("value", ""),
            expected_value=form.cleaned_data.get("original")
            if "original" in request.POST
            else None,
            actor=request.user,
            facilitating=facilitating(request),
        )
    except services.EditConflict as conflict:
        error = (
            f"{conflict.messages[0]} It now reads: “{conflict.current_text}”. Yours was not saved."
        )
    except ValidationError as exc:
        error = exc.messages[0]
    canvas.refresh_from_db()
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(canvas)
    area_slug = next(
        (a.slug for a in canvas.canvas_type.areas for f in a.fields if f.slug == field), ""
    )
    areas = {area_slug} if area_slug else set()
    areas |= {
        a.slug for a in canvas.canvas_type.areas if "header" in a.depends_on and not area_slug
    }
    return changes_response(request, canvas, areas, header=not area_slug, area_error=error)
