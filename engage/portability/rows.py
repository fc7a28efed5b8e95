"""One row as the file holds it: JSON values, references by row number, people by email.

Export and import share these rules, so whatever one writes the other reads back exactly:
datetimes in ISO 8601 at UTC, dates and times in ISO 8601, decimals and UUIDs as strings,
a file as its path inside the archive (`media/<model>/<row>-<field><ext>`).
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


def encode(part: Part, number: int, values: dict, refs, add_media) -> dict:
    """A row of the database (`values` by field name) as the file holds it.
    `add_media(number, field, stored name)` puts a row's file in the archive and returns
    its name there ("" when the stored file is gone)."""
    row = {"id": number}
    for f in part.fields:
        value = values[f.name]
        if f.name in part.refs:
            value = part.refs[f.name](value, values, refs)
        elif is_user_key(f):
            value = refs.user(value)
        elif f.is_relation:
            value = refs.ref(f.related_model, value)
        elif isinstance(f, models.FileField):
            value = add_media(number, f, value) if value else ""
        row[f.name] = to_json(value)
    return row


def _check_validators(f: models.Field, value) -> None:
    """Types, lengths, ranges and digits as the database would hold them. Email, URL and
    slug patterns are left alone: data that came in through the API or a CSV file was
    checked more loosely than a form checks, and a backup must take back what it holds."""
    for validator in f.validators:
        if not isinstance(validator, RegexValidator | EmailValidator):
            validator(value)


def clean(f: models.Field, value):
    if value is None:
        if not f.null:
            raise BadRow(f"{f.name} is empty")
        return None
    if f.is_relation or isinstance(f, models.FileField):
        return value
    try:
        value = f.to_python(value)
        choices = {choice for choice, _label in f.flatchoices} if f.choices is not None else None
        if choices is not None and value not in f.empty_values and value not in choices:
            raise ValidationError(f"“{value}” is not one of its choices")
        _check_validators(f, value)
    except ValidationError as error:
        raise BadRow(f"{f.name}: {'; '.join(error.messages)}") from None
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        raise BadRow(f"{f.name}: a date and time needs its offset from UTC")
    return value


def decode(part: Part, data: dict, refs, workspace_id: int, load_media):
    """A row of the file as a model instance (not saved), or None when it names a person
    it cannot stand without (a vote, a membership) who has no account here.
    `load_media(instance, field, archive name)` stores a row's file and returns its name."""
    values, files = {}, []
    for f in part.fields:
        value = data[f.name]
        if f.name in part.refs:
            value = part.refs[f.name](value, data, refs)
        elif is_user_key(f):
            if value is not None and not isinstance(value, str):
                raise BadRow(f"{f.name}: {value!r} is not an email address")
            value = refs.user(value)
            if value is None and not f.null and data[f.name] is not None:
                return None
        elif f.is_relation:
            value = refs.ref(f.related_model, value, live=True)
        elif isinstance(f, models.FileField):
            if not isinstance(value, str):
                raise BadRow(f"{f.name}: {value!r} is not a file name")
            files.append((f, value))
            value = ""
        values[f.attname] = clean(f, value)
    for f in part.model._meta.concrete_fields:
        if is_workspace_key(f):
            values[f.attname] = workspace_id
    instance = part.model(**values)
    for f, name in files:
        if name:
            expected = media_name(part, data["id"], f, name)
            if name != expected:
                raise BadRow(f"{f.name}: the file of this row must be named {expected}")
            setattr(instance, f.attname, load_media(instance, f, name))
    return instance
