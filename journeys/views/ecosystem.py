"""Editing an ecosystem map: POST-only actions from its drawing and its list of parties.

htmx requests get the map's areas back out of band; plain posts go back to the board.
Parties are the participants' to place, like notes; dimensions shape the map, so they
need the right to edit.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from canvases.bdn.forms import first_error
from canvases.services import EditConflict
from canvases.views.board import panel_write_response
from canvases.views.common import facilitating, get_canvas
from engage.access import workspace_access
from engage.roles import Capability
from journeys.ecosystem import services
from journeys.ecosystem.forms import (
    DimensionAddForm,
    DimensionRenameForm,
    PartyAddForm,
    PartyChangeForm,
    PartyMoveForm,
)
from journeys.models import EcosystemDimension, EcosystemParty

RELATED = ("canvas__workspace", "canvas__persona", "canvas__job")


def _party(request, pk) -> EcosystemParty:
    return get_object_or_404(
        EcosystemParty.objects.filter(canvas__workspace=request.workspace).select_related(*RELATED),
        pk=pk,
    )


def _dimension(request, pk) -> EcosystemDimension:
    return get_object_or_404(
        EcosystemDimension.objects.filter(canvas__workspace=request.workspace).select_related(
            *RELATED
        ),
        pk=pk,
    )


def _respond(request, canvas, *, error: str = "", done: str = "", anchor: str = "area-parties"):
    errors = [error] if error else []
    return panel_write_response(
        request, canvas, services.AREA, errors=errors, done=done, anchor=anchor
    )


def _stale(conflict: EditConflict) -> str:
    return (
        f"Not saved: someone changed “{conflict.current_text}” while you were working on it. "
        "Look at it again and repeat your change if it is still needed."
    )


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def party_add(request, canvas):
    canvas = get_canvas(request, canvas)
    form = PartyAddForm(request.POST)
    if not form.is_valid():
        return _respond(request, canvas, error=first_error(form))
    try:
        party = services.party_add(
            canvas=canvas,
            actor=request.user,
            facilitating=facilitating(request),
            **form.cleaned_data,
        )
    except ValidationError as error:
        return _respond(request, canvas, error=error.messages[0])
    return _respond(request, canvas, done="Party added.", anchor=f"eco-party-{party.pk}")


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def party_change(request, party):
    party = _party(request, party)
    form = PartyChangeForm(request.POST)
    if not form.is_valid():
        return _respond(request, party.canvas, error=first_error(form))
    try:
        services.party_change(
            party=party,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            name=form.cleaned_data["name"],
            note=form.cleaned_data["note"],
            facilitating=facilitating(request),
        )
    except EditConflict as conflict:
        return _respond(request, party.canvas, error=_stale(conflict))
    except ValidationError as error:
        return _respond(request, party.canvas, error=error.messages[0])
    return _respond(request, party.canvas, done="Party saved.", anchor=f"eco-party-{party.pk}")


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def party_move(request, party):
    party = _party(request, party)
    form = PartyMoveForm(request.POST)
    if not form.is_valid():
        return _respond(request, party.canvas, error=first_error(form))
    try:
        services.party_move(
            party=party,
            actor=request.user,
            ring=form.cleaned_data["ring"],
            dimension=form.cleaned_data["dimension"],
            expected_version=form.cleaned_data["version"],
            facilitating=facilitating(request),
        )
    except EditConflict as conflict:
        return _respond(request, party.canvas, error=_stale(conflict))
    except ValidationError as error:
        return _respond(request, party.canvas, error=error.messages[0])
    return _respond(request, party.canvas, done="Party moved.", anchor=f"eco-party-{party.pk}")


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def party_remove(request, party):
    party = _party(request, party)
    try:
        services.party_remove(party=party, actor=request.user, facilitating=facilitating(request))
    except ValidationError as error:
        return _respond(request, party.canvas, error=error.messages[0])
    return _respond(request, party.canvas, done="Party removed. Undo brings it back.")


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def dimension_add(request, canvas):
    canvas = get_canvas(request, canvas)
    form = DimensionAddForm(request.POST)
    if not form.is_valid():
        return _respond(request, canvas, error=first_error(form), anchor="eco-dimensions")
    try:
        services.dimension_add(
            canvas=canvas,
            name=form.cleaned_data["name"],
            actor=request.user,
            facilitating=facilitating(request),
        )
    except ValidationError as error:
        return _respond(request, canvas, error=error.messages[0], anchor="eco-dimensions")
    return _respond(request, canvas, done="Dimension added.", anchor="eco-dimensions")


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def dimension_rename(request, dimension):
    dimension = _dimension(request, dimension)
    form = DimensionRenameForm(request.POST)
    if not form.is_valid():
        return _respond(request, dimension.canvas, error=first_error(form), anchor="eco-dimensions")
    try:
        services.dimension_rename(
            dimension=dimension,
            name=form.cleaned_data["name"],
            expected_name=form.cleaned_data["original"],
            actor=request.user,
            facilitating=facilitating(request),
        )
    except EditConflict as conflict:
        return _respond(request, dimension.canvas, error=_stale(conflict), anchor="eco-dimensions")
    except ValidationError as error:
        return _respond(request, dimension.canvas, error=error.messages[0], anchor="eco-dimensions")
    return _respond(request, dimension.canvas, done="Dimension renamed.", anchor="eco-dimensions")


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def dimension_remove(request, dimension):
    dimension = _dimension(request, dimension)
    try:
        services.dimension_remove(
            dimension=dimension, actor=request.user, facilitating=facilitating(request)
        )
    except ValidationError as error:
        return _respond(request, dimension.canvas, error=error.messages[0], anchor="eco-dimensions")
    return _respond(request, dimension.canvas, done="Dimension removed.", anchor="eco-dimensions")
