"""One row as the file holds it: JSON values, references by row number, people by email.

Export and import share these rules, so whatever one writes the other reads back exactly:
datetimes in ISO 8601 at UTC, dates and times in ISO 8601, decimals and UUIDs as strings,
a file as its path inside the archive (`media/<model>/<row>-<field><ext>`).

A `Plan` works out once per model what each column needs, so the work per row is only
the conversions themselves (a million events are read and written this way).
"""

import datetime as dt
import decimal
import re
import uuid
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, RegexValidator
from django.db import models

from .registry import Part, is_user_key, is_workspace_key

MEDIA_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")
REF, USER, KEY, FILE, VALUE = "ref", "user", "key", "file", "value"


class BadRow(ValueError):
    """What is wrong with one row of the file, in words."""


def to_json(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def media_name(part: Part, number: int, f: models.Field, stored: str) -> str:
    """Where a row's file goes in the archive: named by the row, so it never depends on
    the random name storage gave it."""
    suffix = PurePosixPath(stored).suffix.lower()
    suffix = suffix if MEDIA_SUFFIX.match(suffix) else ""
    return f"media/{part.label}/{number}-{f.name}{suffix}"


def _how(part: Part, f: models.Field) -> str:
    if f.name in part.refs:
        return REF
    if is_user_key(f):
        return USER
    if f.is_relation:
        return KEY
    return FILE if isinstance(f, models.FileField) else VALUE


def _checks(f: models.Field) -> tuple:
    """Types, lengths, ranges and digits as the database would hold them. Email, URL and
    slug patterns are left alone: data that came in through the API or a CSV file was
    checked more loosely than a form checks, and a backup must take back what it holds."""
    if isinstance(f, models.FileField):
        return ()  # checked on the file itself, as an upload
    return tuple(v for v in f.validators if not isinstance(v, RegexValidator | EmailValidator))


class Plan:
    """What each column of one model needs, one way and the other."""

    def __init__(self, part: Part):
        self.part = part
        self.columns = [(f, _how(part, f)) for f in part.fields]
        self.names = [f.name for f in part.fields]
        self.attnames = [f.attname for f in part.fields]
        self.choices = {
            f.name: {choice for choice, _label in f.flatchoices}
            for f in part.fields
            if f.choices is not None
        }
        self.checks = {f.name: _checks(f) for f in part.fields}
        # How the model's positional arguments are filled: the id, the workspace, an
        # omitted field's default, or a column of the file.
        self.slots = [
            ("pk", None)
            if f.primary_key
            else ("workspace", None)
            if is_workspace_key(f)
            else ("default", f)
            if f.name in part.omit
            else ("column", f.attname)
            for f in part.model._meta.concrete_fields
        ]

    def encode(self, number: int, values: tuple, refs, add_media) -> dict:
        """A row of the database (`values` in `attnames` order) as the file holds it.
        `add_media(number, field, stored name)` puts a row's file in the archive and
        returns its name there ("" when the stored file is gone)."""
        plain = dict(zip(self.names, values, strict=True))
        row = {"id": number}
        for f, how in self.columns:
            value = plain[f.name]
            if how == VALUE:
                value = to_json(value)
            elif how == REF:
                value = self.part.refs[f.name](value, plain, refs)
            elif how == KEY:
                value = refs.ref(f.related_model, value)
            elif how == USER:
                value = refs.user(value)
            else:
                value = add_media(number, f, value) if value else ""
            row[f.name] = value
        return row

    def clean(self, f: models.Field, value):
        if value is None:
            if not f.null:
                raise BadRow(f"{f.name} is empty")
            return None
        try:
            value = f.to_python(value)
            choices = self.choices.get(f.name)
            if choices is not None and value not in f.empty_values and value not in choices:
                raise ValidationError(f"“{value}” is not one of its choices")
            for check in self.checks[f.name]:
                check(value)
        except ValidationError as error:
            raise BadRow(f"{f.name}: {'; '.join(error.messages)}") from None
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            raise BadRow(f"{f.name}: a date and time needs its offset from UTC")
        return value

    def decode(self, data: dict, refs, workspace_id, pk, load_media):
        """A row of the file as a model instance (not saved), or None when it names a
        person it cannot stand without (a vote, a membership) who has no account here.
        `load_media(instance, field, archive name)` stores a row's file, returns its name."""
        values, files = {}, []
        for f, how in self.columns:
            value = data[f.name]
            if how == VALUE:
                value = self.clean(f, value)
            elif how == KEY:
                value = self.clean(f, refs.ref(f.related_model, value, live=True))
            elif how == REF:
                value = self.clean(f, self.part.refs[f.name](value, data, refs))
            elif how == USER:
                person = refs.user(value)
                if person is None and value is not None and not f.null:
                    return None
                value = self.clean(f, person)
            else:
                if not isinstance(value, str):
                    raise BadRow(f"{f.name}: {value!r} is not a file name")
                files.append((f, value))
                value = ""
            values[f.attname] = value
        fixed = {"pk": pk, "workspace": workspace_id}
        args = [
            values[what]
            if slot == "column"
            else what.get_default()
            if slot == "default"
            else fixed[slot]
            for slot, what in self.slots
        ]
        instance = self.part.model(*args)
        for f, name in files:
            if name:
                expected = media_name(self.part, data["id"], f, name)
                if name != expected:
                    raise BadRow(f"{f.name}: the file of this row must be named {expected}")
                setattr(instance, f.attname, load_media(instance, f, name))
        return instance
