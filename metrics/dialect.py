"""The few SQL fragments that PostgreSQL and SQLite spell differently, for the raw
statements of the set-based passes; the rest of those statements (INSERT … SELECT,
window functions, CASE) both databases run as written.

Each function returns a fragment for the connection in use. Literal percent signs are
doubled: the statements run with parameters.
"""

from django.db import connection


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def moment(value):
    """A datetime as a query parameter the database compares with its stored datetimes."""
    return connection.ops.adapt_datetimefield_value(value)


def json_text(column: str, key: str) -> str:
    """The value at the top-level key (an SQL expression) of a JSON column, as text:
    strings bare, numbers in decimal, true/false as words; NULL where missing or null."""
    if _postgres():
        return f"({column} ->> {key})"
    path = f"""('$."' || {key} || '"')"""
    return (
        f"(CASE json_type({column}, {path}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' "
        f"ELSE CAST(json_extract({column}, {path}) AS TEXT) END)"
    )


def seconds_between(start: str, end: str) -> str:
    if _postgres():
        return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS DOUBLE PRECISION)"
    # Day numbers carry ~50 µs of floating-point noise: round it away, to the millisecond.
    return f"ROUND((julianday({end}) - julianday({start})) * 86400.0, 3)"


def plus_seconds(start: str, seconds: str) -> str:
    if _postgres():
        return f"({start} + ({seconds}) * INTERVAL '1 second')"
    # To the millisecond, as text SQLite compares and Django reads back as a datetime.
    return f"strftime('%%Y-%%m-%%d %%H:%%M:%%f', julianday({start}) + ({seconds}) / 86400.0)"


def day_of(value: str) -> str:
    """The UTC day of a datetime."""
    if _postgres():
        return f"CAST({value} AT TIME ZONE 'UTC' AS DATE)"
    return f"date({value})"


def percentiles(source: str, group: str, value: str, fractions: dict[str, tuple[int, int]]) -> str:
    """A SELECT of each group of `source` (a subquery; `group`: its key columns) with n, its
    row count, and per name in `fractions` the percentile numerator/denominator of `value`,
    interpolated between the closest ranks as PostgreSQL's percentile_cont does. Only whole
    numbers go into the ranks (ROW_NUMBER, COUNT), so SQLite computes the same figures."""
    columns = []
    for name, (a, b) in fractions.items():
        low = f"({a} * (cnt - 1) / {b})"  # floor: both sides are whole numbers
        remainder = f"({a} * (cnt - 1) - {b} * {low})"
        columns.append(
            f"SUM(CASE WHEN rn = {low} THEN v * ({b} - {remainder}) "
            f"WHEN rn = {low} + 1 THEN v * {remainder} ELSE 0 END) / {b}.0 AS {name}"
        )
    return (
        f"SELECT {group}, MAX(cnt) AS n, {', '.join(columns)} FROM ("
        f"SELECT {group}, v, ROW_NUMBER() OVER (PARTITION BY {group} ORDER BY v) - 1 AS rn, "
        f"COUNT(*) OVER (PARTITION BY {group}) AS cnt "
        f"FROM (SELECT {group}, {value} AS v FROM ({source}) AS s) AS valued"
        f") AS ranked GROUP BY {group}"
    )
