from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from canvases import area_panels, types
from canvases.models import Canvas, CanvasEvent, CanvasPack, FieldValue, Vote
from canvases.services.facilitation import open_round, timer_remaining
from canvases.services.fields import is_persona_bound, persona_field_value
from engage.models import Segment


@dataclass(slots=True)
class NoteCard:
    """A note as the board draws it: plain values, ~10× cheaper to build than model objects."""

    pk: int
    area: str
    text: str
    colour: str
    score: int | None
    is_hidden: bool
    version: int
    author_name: str
    author_initial: str
    vote_total: int | None = None
    my_votes: range = range(0)


NOTE_CARD_FIELDS = (
    "id",
    "area",
    "text",
    "colour",
    "score",
    "is_hidden",
    "version",
    "author__name",
    "author__email",
)


@dataclass
class AreaView:
    """An area as the board and the PDF show it: its definition plus what is in it."""

    area: types.Area
    notes: list = field(default_factory=list)
    fields: list = field(default_factory=list)  # (Field, value, display) triples
    panel_template: str = ""  # PANEL areas: the partial that draws them …
    panel: dict = field(default_factory=dict)  # … and its context


def canvases_for_workspace(workspace):
    return (
        Canvas.objects.in_workspace(workspace)
        .select_related("persona", "job")
        .annotate(note_count=Count("notes", filter=Q(notes__is_deleted=False)))
    )


def visible_notes(canvas: Canvas, user, *, facilitating: bool, areas=None):
    """Live notes; in private mode a participant sees only their own unrevealed notes.

    With no user (a printout) unrevealed notes are left out.
    """
    notes = canvas.notes.filter(is_deleted=False)
    if areas is not None:
        notes = notes.filter(area__in=areas)
    if user is None:
        notes = notes.filter(is_hidden=False)
    elif not facilitating:
        notes = notes.filter(Q(is_hidden=False) | Q(author=user))
    return notes.order_by("area", "position", "id")


def field_values(canvas: Canvas) -> dict[str, str]:
    values = dict(FieldValue.objects.filter(canvas=canvas).values_list("field", "value"))
    for definition in canvas.canvas_type.header_fields:
        if definition.default and not values.get(definition.slug):
            values[definition.slug] = definition.default
    if canvas.type == types.PERSONA_CARD.slug and canvas.persona is not None:
        for slug in list(_all_field_slugs(canvas.canvas_type)):
            if is_persona_bound(canvas, slug):
                values[slug] = persona_field_value(canvas.persona, slug)
    return values


def _all_field_slugs(canvas_type):
    yield from (definition.slug for definition in canvas_type.header_fields)
    for area in canvas_type.areas:
        yield from (definition.slug for definition in area.fields)


def field_choices(canvas: Canvas, definition: types.Field) -> tuple[tuple[str, str], ...]:
    if definition.slug == "segment" and canvas.type == types.PERSONA_CARD.slug:
        return tuple(
            (str(pk), name)
            for pk, name in Segment.objects.filter(workspace=canvas.workspace_id).values_list(
                "pk", "name"
            )
        )
    return definition.choices


def display_value(definition: types.Field, value: str, choices) -> str:
    if definition.kind == types.FieldKind.CHOICE:
        return dict(choices).get(value, "")
    return value


def note_cards(notes) -> list[NoteCard]:
    """The cards of a queryset of notes, in one query."""
    return [_card(row) for row in notes.values_list(*NOTE_CARD_FIELDS)]


def _card(row) -> NoteCard:
    pk, area, text, colour, score, hidden, version, name, email = row
    author = name or email or "Someone"
    return NoteCard(pk, area, text, colour, score, hidden, version, author, author[:1].upper())


def board_areas(
    canvas: Canvas, user, *, facilitating: bool, only=None, viewer: area_panels.Viewer | None = None
) -> list[AreaView]:
    """The areas (all, or those named in `only`) with their notes, fields and panels.

    A fixed number of queries, whatever the number of notes. Panels see `viewer`
    (by default: a printout).
    """
    canvas_type = canvas.canvas_type
    views = {
        area.slug: AreaView(area) for area in canvas_type.areas if only is None or area.slug in only
    }
    for card in note_cards(visible_notes(canvas, user, facilitating=facilitating, areas=only)):
        if card.area in views:
            views[card.area].notes.append(card)
    values = field_values(canvas) if any(view.area.fields for view in views.values()) else {}
    for area in canvas_type.areas:
        if area.slug not in views:
            continue
        for definition in area.fields:
            choices = field_choices(canvas, definition)
            value = values.get(definition.slug, "")
            views[area.slug].fields.append(
                (definition, value, display_value(definition, value, choices), choices)
            )
        if area.kind == types.AreaKind.PANEL:
            panel = area_panels.area_panel(area.panel)
            views[area.slug].panel_template = panel.template
            views[area.slug].panel = panel.context(canvas, viewer or area_panels.PRINT)
    return list(views.values())


def header_fields(canvas: Canvas) -> list:
    values = field_values(canvas)
    return [
        (
            definition,
            values.get(definition.slug, ""),
            display_value(definition, values.get(definition.slug, ""), definition.choices),
        )
        for definition in canvas.canvas_type.header_fields
    ]


def history(canvas: Canvas, limit: int = 50):
    return canvas.events.select_related("actor", "note").order_by("-revision")[:limit]


def deleted_notes(canvas: Canvas):
    return canvas.notes.filter(is_deleted=True).select_related("author").order_by("-updated_at")


def events_since(canvas: Canvas, revision: int):
    return CanvasEvent.objects.filter(canvas=canvas, revision__gt=revision).order_by("revision")


VOTE_KINDS = {CanvasEvent.Kind.VOTE_CAST, CanvasEvent.Kind.VOTE_REMOVED}
# Changes the bar shows: the timer, and notes that may be in the last vote's result.
BAR_KINDS = {
    CanvasEvent.Kind.TIMER,
    CanvasEvent.Kind.NOTE_EDITED,
    CanvasEvent.Kind.NOTE_DELETED,
    CanvasEvent.Kind.NOTE_RESTORED,
}


@dataclass
class BoardChanges:
    """What a viewer must redraw to catch up from the revision their board shows.

    Notes travel one by one (with the new order of their areas) rather than as whole
    areas: fifty people adding notes would otherwise have every poll re-send most of
    the board.
    """

    areas: set[str] | None = field(default_factory=set)  # redrawn whole; None: everything
    notes: set[int] = field(default_factory=set)  # notes sent one by one …
    orders: set[str] = field(default_factory=set)  # … with the order of these note areas
    bar: bool = False  # the facilitation bar: timer, the viewer's votes left, the last result

    @property
    def header(self) -> bool:
        return self.areas is None or "header" in self.areas

    @property
    def whole_bar(self) -> bool:
        return self.areas is None or self.bar


def board_changes(canvas: Canvas, known: str, viewer_id: int) -> BoardChanges:
    """The changes since revision `known` that look different to the viewer.

    `areas` may hold "header" (the header fields) and "shape" (the grid: reload).
    """
    if not known.isdigit() or canvas.revision - int(known) > 100:
        return BoardChanges(areas=None)
    canvas_type = canvas.canvas_type
    note_areas = {area.slug for area in canvas_type.note_areas}
    field_areas = {f.slug: a.slug for a in canvas_type.areas for f in a.fields}
    events = list(events_since(canvas, int(known)))
    voting = open_round(canvas) if any(e.kind in VOTE_KINDS for e in events) else None
    changes, voted = BoardChanges(), 0  # the viewer's votes cast less those taken back
    for event in events:
        changes.bar |= event.kind in BAR_KINDS
        if event.kind == CanvasEvent.Kind.TIMER:
            continue  # the timer lives in the bar alone
        if event.kind in VOTE_KINDS:
            if event.actor_id == viewer_id:
                changes.bar = True  # votes left
                voted += 1 if event.kind == CanvasEvent.Kind.VOTE_CAST else -1
            elif voting and voting.is_anonymous:
                continue  # someone else's dot, in a round whose counts show at the end
        areas = {
            state["area"] for state in (event.before, event.after) if state and "area" in state
        }
        if event.field:
            areas.add(field_areas.get(event.field, "header"))
        if not areas and not event.note_id:
            return BoardChanges(areas=None)
        if event.note_id and areas <= note_areas:
            changes.notes.add(event.note_id)
            changes.orders |= areas
        else:
            changes.areas |= areas
    if voted and voting:
        left = voting.votes_per_person - voting.votes.filter(voter=viewer_id).count()
        if (left <= 0) != (left + voted <= 0):
            changes.areas |= note_areas  # the viewer's vote buttons turn off (or on) everywhere
    touched = changes.areas | changes.orders
    changes.areas |= {a.slug for a in canvas_type.areas if touched.intersection(a.depends_on)}
    changes.orders -= changes.areas
    return changes


@dataclass
class NoteDelta:
    """A note area's notes in order, with the cards of those that changed."""

    area: str
    order: list[int] = field(default_factory=list)
    notes: list[NoteCard] = field(default_factory=list)

    @property
    def order_text(self) -> str:
        """The order as the page reads it (the `join` filter would escape every id)."""
        return " ".join(map(str, self.order))


def note_deltas(canvas: Canvas, user, *, facilitating: bool, changes: BoardChanges):
    """One query, whatever the number of notes: the order, and the changed cards."""
    deltas = {area: NoteDelta(area) for area in sorted(changes.orders)}
    visible = visible_notes(canvas, user, facilitating=facilitating, areas=changes.orders)
    for row in visible.values_list(*NOTE_CARD_FIELDS):
        pk, area = row[0], row[1]
        deltas[area].order.append(pk)
        if pk in changes.notes:
            deltas[area].notes.append(_card(row))
    return list(deltas.values())


def versions_of(canvas: Canvas):
    return Canvas.objects.filter(
        workspace=canvas.workspace_id, type=canvas.type, title=canvas.title
    ).order_by("-version")


def attach_votes(canvas: Canvas, notes, user, *, bar: bool = True) -> dict:
    """Put vote counts on these note cards; returns what they need to draw their vote
    buttons and, with `bar`, what the voting bar shows."""
    voting = open_round(canvas)
    counts, mine = {}, {}
    if voting and (notes or bar):
        for note_id, voter_id in Vote.objects.filter(round=voting).values_list(
            "note_id", "voter_id"
        ):
            counts[note_id] = counts.get(note_id, 0) + 1
            if voter_id == user.pk:
                mine[note_id] = mine.get(note_id, 0) + 1
        show_totals = not voting.is_anonymous
        for note in notes:
            note.vote_total = counts.get(note.pk, 0) if show_totals else None
            note.my_votes = range(mine.get(note.pk, 0))
    drawn = {
        "voting": voting,
        "votes_left": voting.votes_per_person - sum(mine.values()) if voting else 0,
    }
    if not bar:
        return drawn
    last = None if voting else canvas.voting_rounds.exclude(ended_at=None).first()
    results = []
    if last:
        ranked = (
            Vote.objects.filter(round=last, note__is_deleted=False)
            .values("note")
            .annotate(total=Count("id"))
            .order_by("-total", "note")[:10]
        )
        notes = {
            note.pk: note for note in canvas.notes.filter(pk__in=[row["note"] for row in ranked])
        }
        results = [(notes[row["note"]], row["total"]) for row in ranked if row["note"] in notes]
    return {
        **drawn,
        "results": results,
        "last_round": last,
        "timer_remaining": timer_remaining(canvas),
    }


def latest_versions(workspace):
    """Canvases no newer version (same title and type) has replaced, by persona."""
    newer = Canvas.objects.filter(
        workspace=OuterRef("workspace"),
        title=OuterRef("title"),
        type=OuterRef("type"),
        version__gt=OuterRef("version"),
    )
    return (
        Canvas.objects.in_workspace(workspace)
        .exclude(Exists(newer))
        .select_related("persona")
        .order_by("persona__name", "title")
    )


def packs_for_workspace(workspace):
    return CanvasPack.objects.in_workspace(workspace).select_related("requested_by")
