"""A CSV file as numbered rows: UTF-8 with or without a BOM, comma or semicolon separated."""

import csv
import io
from collections.abc import Iterator


class FileRefused(ValueError):
    """The file as a whole can't be read as the kind it claims to be."""


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def read_rows(binary, required: tuple[str, ...], optional: tuple[str, ...], *,
              extra_allowed: bool = False) -> Iterator[tuple[int, dict]]:  # fmt: skip
    """Yield (line number, {column: value}) for each row after the header.

    The header is checked first: every required column, and no unknown column unless the
    kind keeps extra columns (customers keep them as traits).
    """
    binary.seek(0)
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="", errors="strict")
    try:
        yield from _rows(text, required, optional, extra_allowed)
    except UnicodeDecodeError:
        raise FileRefused(
            "The file is not UTF-8 text: save it as “CSV UTF-8” and try again."
        ) from None
    finally:
        text.detach()


def _rows(text, required, optional, extra_allowed):
    first = text.readline()
    if not first.strip():
        raise FileRefused("The file is empty: it needs a header row and at least one row.")
    delimiter = _delimiter(first)
    header = [name.strip().lower() for name in next(csv.reader([first], delimiter=delimiter))]
    missing = [name for name in required if name not in header]
    if missing:
        raise FileRefused(
            f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}. "
            f"This kind needs {', '.join(required)}"
            + (f" and may have {', '.join(optional)}." if optional else ".")
        )
    unknown = [name for name in header if name not in required + optional]
    if unknown and not extra_allowed:
        raise FileRefused(
            f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            f"Allowed: {', '.join(required + optional)}."
        )
    if len(set(header)) != len(header):
        raise FileRefused("Two columns have the same name.")
    reader = csv.reader(text, delimiter=delimiter)
    seen_any = False
    for values in reader:
        line = reader.line_num + 1  # the header was line 1
        if not values or all(not value.strip() for value in values):
            continue
        seen_any = True
        if len(values) != len(header):
            yield line, {"__error__": f"has {len(values)} values, the header has {len(header)}"}
            continue
        yield line, dict(zip(header, values, strict=True))
    if not seen_any:
        raise FileRefused("The file has a header but no rows.")
