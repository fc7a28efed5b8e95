"""Canvas rows made directly, for tests that need data without going through the services."""

import factory
from factory.django import DjangoModelFactory

from canvases import types
from canvases.models import Canvas, Note
from tests.engage.factories import PersonaFactory, WorkspaceFactory


class CanvasFactory(DjangoModelFactory):
    class Meta:
        model = Canvas

    workspace = factory.SubFactory(WorkspaceFactory)
    type = types.EMPATHY_MAP.slug
    title = factory.Sequence(lambda n: f"Workshop canvas {n}")
    created_by = factory.SelfAttribute("workspace.created_by")
    facilitator = factory.LazyAttribute(lambda canvas: canvas.created_by.display_name)

    class Params:
        persona_card = factory.Trait(
            type=types.PERSONA_CARD.slug,
            persona=factory.SubFactory(
                PersonaFactory,
                workspace=factory.SelfAttribute("..workspace"),
                created_by=factory.SelfAttribute("..created_by"),
            ),
        )


class NoteFactory(DjangoModelFactory):
    class Meta:
        model = Note

    canvas = factory.SubFactory(CanvasFactory)
    area = factory.LazyAttribute(lambda note: note.canvas.canvas_type.note_areas[0].slug)
    text = factory.Faker("sentence")
    author = factory.SelfAttribute("canvas.created_by")
    position = factory.Sequence(int)
