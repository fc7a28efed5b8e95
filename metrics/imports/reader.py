"""A CSV file as numbered rows: UTF-8 with or without a BOM, comma or semicolon separated."""

import csv
import io
import re
from collections.abc import Iterator

from engage.csvfiles import unreadable


class FileRefused(ValueError):
    """The file as a whole can't be read as the kind it claims to be."""


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def read_rows(binary, required: tuple[str, ...], optional: tuple[str, ...], *,
              extra_allowed: bool = False,
              columns: dict[str, str] | None = None) -> Iterator[tuple[int, dict]]:  # fmt: skip
    """Yield (line number, {column: value}) for each row after the header.

    The header is checked first: every required column, and no unknown column unless the
    kind keeps extra columns (customers keep them as traits). `columns` renames the file's
    columns (file header → kind column, compared case-insensitively; "" drops the column);
    columns it doesn't name keep their own name.
    """
    binary.seek(0)
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="", errors="strict")
    try:
        yield from _rows(text, required, optional, extra_allowed, columns)
    except UnicodeDecodeError:
        raise FileRefused(
            "The file is not UTF-8 text: save it as “CSV UTF-8” and try again."
        ) from None
    except csv.Error as error:
        raise FileRefused(unreadable(error)) from None
    finally:
        text.detach()


def _rows(text, required, optional, extra_allowed, columns=None):
    first = text.readline()
    if not first.strip():
        raise FileRefused("The file is empty: it needs a header row and at least one row.")
    delimiter = _delimiter(first)
    header = [name.strip().lower() for name in next(csv.reader([first], delimiter=delimiter))]
    if columns is not None:
        renamed = {name.strip().lower(): target for name, target in columns.items()}
        header = [(renamed[name] or None) if name in renamed else name for name in header]
    kept = [name for name in header if name is not None]
    missing = [name for name in required if name not in header]
    if missing:
        raise FileRefused(
            f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}. "
            f"This kind needs {', '.join(required)}"
            + (f" and may have {', '.join(optional)}." if optional else ".")
        )
    unknown = [name for name in kept if name not in required + optional]
    if unknown and not extra_allowed:
        raise FileRefused(
            f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            f"Allowed: {', '.join(required + optional)}."
        )
    if len(set(kept)) != len(kept):
        raise FileRefused("Two columns have the same name.")
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    seen_any = False
    for values in reader:
        line = reader.line_num + 1  # the header was line 1
        if not values or all(not value.strip() for value in values):
            continue
        seen_any = True
        if len(values) != len(header):
            yield line, {"__error__": f"has {len(values)} values, the header has {len(header)}"}
            continue
        if any("\x00" in value for value in values):
            yield line, {"__error__": "contains a NUL character, which text can't hold"}
            continue
        pairs = zip(header, values, strict=True)
        yield line, {name: value for name, value in pairs if name is not None}
    if not seen_any:
        raise FileRefused("The file has a header but no rows.")


def peek(binary, limit: int = 10) -> tuple[list[str], list[list[str]]]:
    """The file's own header and its first `limit` rows, as text: what a preview shows."""
    binary.seek(0)
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="", errors="strict")
    rows = []
    try:
        first = text.readline()
        if not first.strip():
            raise FileRefused("The file is empty: it needs a header row and at least one row.")
        delimiter = _delimiter(first)
        header = [name.strip() for name in next(csv.reader([first], delimiter=delimiter))]
        for values in csv.reader(text, delimiter=delimiter, strict=True):
            if any(value.strip() for value in values):
                rows.append(values)
                if len(rows) == limit:
                    break
    except UnicodeDecodeError:
        raise FileRefused(
            "The file is not UTF-8 text: save it as “CSV UTF-8” and try again."
        ) from None
    except csv.Error as error:
        raise FileRefused(unreadable(error)) from None
    finally:
        text.detach()
    if not rows:
        raise FileRefused("The file has a header but no rows.")
    return header, rows


# Other names people give a column (normalised: lower case, words joined by "_").
ALIASES = {
    "customer_id": ("customer", "customerid", "user_id", "userid", "client_id", "external_id",
                    "customer_number", "customer_no"),
    "email": ("email_address", "e_mail", "e_mail_address", "mail"),
    "consent": ("opt_in", "optin", "marketing_consent", "subscribed"),
    "created": ("created_at", "signup_date", "signed_up", "joined"),
    "kind": ("survey", "survey_type", "type", "question_type"),
    "score": ("rating", "answer", "value"),
    "answered_at": ("date", "answered", "answered_on", "submitted_at", "time", "datetime"),
    "comment": ("comments", "feedback", "verbatim", "text"),
    "touchpoint": ("touch_point",),
    "channel": ("source", "medium"),
    "purchased_at": ("date", "purchase_date", "ordered_at", "order_date", "time", "datetime"),
    "amount": ("total", "price", "revenue", "value"),
    "profit": ("margin",),
    "event": ("event_name", "name", "action"),
    "timestamp": ("date", "time", "datetime", "occurred_at", "sent_at"),
    "message_id": ("messageid", "event_id", "id"),
    "properties": ("props", "data"),
    "platform": ("network", "site"),
    "posted_at": ("date", "time", "datetime", "published_at"),
    "sentiment": ("tone", "polarity"),
    "reach": ("followers", "impressions", "audience"),
    "author": ("user", "handle", "username"),
    "url": ("link", "permalink"),
    "text": ("message", "content", "body", "post"),
}  # fmt: skip


def normalise(name: str) -> str:
    return "_".join(re.findall(r"[a-z0-9]+", name.lower()))


def suggest_columns(header: list[str], columns: tuple[str, ...]) -> list[str]:
    """For each name in a file's header, the kind column it most likely holds, or "".

    Same names first (ignoring case, spaces and punctuation), then common other names;
    each kind column is given to one file column at most.
    """
    names = [normalise(name) for name in header]
    suggested, taken = [""] * len(header), set()
    for index, name in enumerate(names):
        if name in columns and name not in taken:
            suggested[index] = name
            taken.add(name)
    for index, name in enumerate(names):
        if suggested[index]:
            continue
        for column in columns:
            if column not in taken and name in ALIASES.get(column, ()):
                suggested[index] = column
                taken.add(column)
                break
    return suggested
