"""Reading one CSV cell into a value, or a reason it can't be one (said to the person)."""

import datetime as dt
from decimal import Decimal, InvalidOperation

TRUE = {"yes", "y", "true", "1"}
FALSE = {"no", "n", "false", "0", ""}
# Amounts are numeric(14, 2): from this on a value rounds to 10^12, which does not fit.
AMOUNT_LIMIT = Decimal("999999999999.995")
MAX_OFFSET = dt.timedelta(hours=14)


class CellError(ValueError):
    """A cell that is not what its column needs; the message names the column."""


def text(value: str, column: str, *, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise CellError(f"{column} is empty")
    if len(value) > max_length:
        raise CellError(f"{column} is longer than {max_length} characters")
    return value


def moment(value: str, column: str) -> dt.datetime:
    """ISO 8601: a date, or a date and time with or without an offset (no offset = UTC)."""
    value = (value or "").strip()
    if not value:
        raise CellError(f"{column} is empty")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CellError(
            f"{column} “{value[:40]}” is not an ISO 8601 date, e.g. 2026-03-01 or "
            "2026-03-01T09:30:00Z"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    if abs(parsed.utcoffset()) > MAX_OFFSET:  # Python takes ±23:59, PostgreSQL ±15:59
        raise CellError(f"{column} “{value[:40]}” has an offset no place uses (−12:00 to +14:00)")
    try:
        parsed.astimezone(dt.UTC)  # how every database stores it
    except OverflowError:
        raise CellError(f"{column} “{value[:40]}” is outside the years 1–9999 in UTC") from None
    return parsed


def integer(value: str, column: str, *, low: int | None = None, high: int | None = None) -> int:
    value = (value or "").strip()
    try:
        number = int(value)
    except ValueError:
        raise CellError(f"{column} “{value[:20]}” is not a whole number") from None
    if (low is not None and number < low) or (high is not None and number > high):
        raise CellError(f"{column} {number} is outside {low}–{high}")
    return number


def decimal(value: str, column: str) -> Decimal:
    value = (value or "").strip()
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise CellError(
            f"{column} “{value[:20]}” is not a number (use a dot for decimals)"
        ) from None
    if not number.is_finite() or abs(number) >= AMOUNT_LIMIT:
        raise CellError(f"{column} {value[:20]} is not a usable amount")
    return number.quantize(Decimal("0.01"))


def boolean(value: str, column: str) -> bool:
    value = (value or "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise CellError(f"{column} “{value[:20]}” is not yes or no")


def choice(value: str, column: str, choices) -> str:
    value = (value or "").strip().lower()
    if value not in choices:
        raise CellError(f"{column} “{value[:30]}” is not one of {', '.join(sorted(choices))}")
    return value
