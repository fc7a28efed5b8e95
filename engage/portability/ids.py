"""Ids for imported rows, drawn from each table's own sequence before any row is written.

Knowing every new id in advance lets rows name rows that come later in the file (a job's
parent, an event's undo), and gives ids that are never used to the rows a canvas's history
remembers but that no longer exist (a removed node): undo puts such a row back under the
id its history names, and an id drawn from the sequence is one nothing else will take.
"""

from array import array

from django.db import connection, models


def reserve_ids(model: type[models.Model], count: int) -> array:
    """`count` new ids of `model`'s table, ascending, that no other row will ever get."""
    if count == 0:
        return array("q")
    table = connection.ops.quote_name(model._meta.db_table)
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return array("q", sorted(row[0] for row in cursor.fetchall()))
        if connection.vendor == "sqlite":
            # AUTOINCREMENT tables (all of Django's) never reuse what sqlite_sequence holds.
            name = model._meta.db_table
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s", [count, name]
            )
            if cursor.rowcount == 0:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) "
                    f"SELECT %s, COALESCE(MAX({connection.ops.quote_name(column)}), 0) + %s "
                    f"FROM {table}",
                    [name, count],
                )
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [name])
            top = cursor.fetchone()[0]
            return array("q", range(top - count + 1, top + 1))
    raise NotImplementedError(f"Reserving ids on {connection.vendor} is not supported.")
