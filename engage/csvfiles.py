"""What people are told when the csv module can't read their file (every CSV import)."""

import csv


def unreadable(error: csv.Error) -> str:
    """Why the csv module stopped. Readers use strict=True: a quote left open would
    otherwise swallow the rest of the file into one value, rows and all."""
    if "field larger than field limit" in str(error):
        return (
            f"A value is longer than {csv.field_size_limit():,} characters: is this the right file?"
        )
    if "unexpected end of data" in str(error):
        return "The file can't be read as CSV: a quoted value is never closed."
    return f"The file can't be read as CSV: {error}."
