"""Which models a workspace export holds, each registered by the app that owns it.

engage knows nothing of canvases, journeys or metrics, so each app registers its models
here from its AppConfig.ready(), the way django.contrib.admin is filled, and says which
of its models are left out of the file and why. A model with a path to Workspace that is
neither registered nor left out fails tests/engage/test_portability_registry.py.

Foreign keys need nothing said: the file names rows by number, the workspace is implied,
people are named by email. What a registration adds is what no foreign key shows: ids
kept in other fields (`refs`: a JSON state naming a node, a text key naming a persona),
fields the file leaves out (`omit`), and what an imported row must change (`on_import`).
"""

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.apps import apps
from django.conf import settings
from django.db import models


class Refs(Protocol):
    """Turns references one way: ids into the file's row numbers on export, the file's
    numbers into the new rows' ids on import. Converters are written once for both."""

    def ref(self, model: type[models.Model], value): ...

    def user(self, value): ...


# (value, the row's other plain fields by name, refs) -> the value the other way.
Converter = Callable[[Any, dict, Refs], Any]


@dataclass(frozen=True)
class Part:
    model: type[models.Model]
    path: str  # lookup from a row to its workspace: "canvas__workspace"
    omit: frozenset[str] = frozenset()
    refs: dict[str, Converter] = field(default_factory=dict)
    # on_import(row, context) -> False to leave the row out; may change the row.
    on_import: Callable[[models.Model, Any], bool | None] | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def fields(self) -> list[models.Field]:
        """The fields each row of the file holds, in model order (the pk is the row's number)."""
        return [
            f
            for f in self.model._meta.concrete_fields
            if not f.primary_key and f.name not in self.omit and not is_workspace_key(f)
        ]

    def rows(self, workspace) -> models.QuerySet:
        return self.model._base_manager.filter(**{self.path: workspace.pk}).order_by("pk")


_parts: dict[type[models.Model], Part] = {}
_left_out: dict[type[models.Model], str] = {}


def is_workspace_key(f: models.Field) -> bool:
    return (f.many_to_one or f.one_to_one) and f.related_model is workspace_model()


def is_user_key(f: models.Field) -> bool:
    return f.is_relation and f.related_model is apps.get_model(settings.AUTH_USER_MODEL)


def workspace_model() -> type[models.Model]:
    return apps.get_model("engage", "Workspace")


def workspace_path(model: type[models.Model], *, nullable: bool = False) -> str | None:
    """The shortest chain of foreign keys from `model` to Workspace ("pk" for Workspace),
    through required keys only unless `nullable`; None if there is none."""
    target = workspace_model()
    if model is target:
        return "pk"
    queue, seen = deque([(model, "")]), {model}
    while queue:
        current, path = queue.popleft()
        for f in current._meta.concrete_fields:
            if not (f.many_to_one or f.one_to_one) or (f.null and not nullable):
                continue
            step = f"{path}__{f.name}" if path else f.name
            if f.related_model is target:
                return step
            if f.related_model not in seen:
                seen.add(f.related_model)
                queue.append((f.related_model, step))
    return None


def register(
    model: type[models.Model],
    *,
    path: str | None = None,
    omit: tuple[str, ...] = (),
    refs: dict[str, Converter] | None = None,
    on_import=None,
) -> None:
    """Put `model` in the file, after the models registered before it."""
    path = path or workspace_path(model)
    if path is None:
        raise ValueError(f"{model._meta.label} has no required path to a workspace: give `path`.")
    _parts[model] = Part(model, path, frozenset(omit), dict(refs or {}), on_import)


def add_refs(model: type[models.Model], refs: dict[str, Converter]) -> None:
    """A higher app says what ids it keeps in a lower app's field (BdnNode.metric_id)."""
    part = _parts[model]
    _parts[model] = Part(part.model, part.path, part.omit, {**part.refs, **refs}, part.on_import)


def leave_out(model: type[models.Model], reason: str) -> None:
    _left_out[model] = reason


def parts() -> list[Part]:
    return list(_parts.values())


def part_for(model: type[models.Model]) -> Part | None:
    return _parts.get(model)


def left_out() -> dict[type[models.Model], str]:
    return dict(_left_out)


# --- Converters for ids kept outside foreign keys ------------------------------------


def one(model: type[models.Model]) -> Converter:
    """A field (or a JSON key) holding one id of `model`, or None."""
    return lambda value, row, refs: refs.ref(model, value)


def many(model: type[models.Model]) -> Converter:
    """A list of ids of `model`."""
    return lambda value, row, refs: None if value is None else [refs.ref(model, v) for v in value]


def person(value, row, refs):
    """A user id kept outside a foreign key: an email in the file."""
    return refs.user(value)


def as_text(convert: Converter) -> Converter:
    """The same reference kept as text ("12"), as slice keys are."""

    def text(value, row, refs):
        if value in ("", None):
            return value
        return str(convert(int(value), row, refs))

    return text
