"""Writing a workspace into one file, streamed: rows are read in chunks and written as JSON
Lines straight into the ZIP, so memory holds a chunk and, per model that rows refer to,
the sorted ids of its rows (8 bytes each), never the rows.

Rows are numbered from 1 in id order, per model; a reference is the number of the row it
names. An id that a row names but no row has any more (a removed node that a canvas's
history can put back) gets a number after the rows', in the order first met, so the same
data always gives the same numbers.
"""

import hashlib
import zipfile
from array import array
from bisect import bisect_left
from collections.abc import Callable

from django.db import connection, models, transaction
from django.utils import timezone

from engage import codec
from engage.models import User, Workspace

from .archive import FORMAT, MANIFEST, VERSION, data_name, member
from .registry import Part, part_for, parts
from .rows import Plan, media_name, to_json

CHUNK = 2000
Progress = Callable[[int, int, str], None]  # (rows done, rows in all, what is being done)


class ExportRefs:
    """Ids → the file's numbers, as rows are written."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.live: dict[type[models.Model], array] = {}
        self.gone: dict[type[models.Model], dict[int, int]] = {}
        self.emails: dict[int, str] = {}

    def ref(self, model, value):
        if value is None:
            return None
        if type(value) is not int:
            raise TypeError(f"A reference to {model._meta.label} should be an id, not {value!r}.")
        ids = self.live.get(model)
        if ids is None:
            part = part_for(model)
            if part is None:
                raise LookupError(f"Rows refer to {model._meta.label}, which is not exported.")
            pks = part.rows(self.workspace).values_list("pk", flat=True).iterator(CHUNK)
            ids = self.live[model] = array("q", pks)
        index = bisect_left(ids, value)
        if index < len(ids) and ids[index] == value:
            return index + 1
        gone = self.gone.setdefault(model, {})
        return gone.setdefault(value, len(ids) + len(gone) + 1)

    def user(self, value):
        if value is None:
            return None
        if value not in self.emails:
            self.emails[value] = User.objects.filter(pk=value).values_list("email", flat=True)[0]
        return self.emails[value]

    def numbers(self, model) -> int:
        """How many numbers rows of `model` use: 0 when nothing refers to them."""
        if model not in self.live:
            return 0
        return len(self.live[model]) + len(self.gone.get(model, {}))


class _Writer:
    def __init__(self, archive: zipfile.ZipFile, refs: ExportRefs, progress: Progress | None):
        self.archive, self.refs, self.progress = archive, refs, progress
        self.done, self.total, self.media = 0, 0, {}

    def count(self) -> None:
        if self.progress:
            self.total = sum(part.rows(self.refs.workspace).count() for part in parts())
            self.progress(0, self.total, "")

    def part(self, part: Part) -> dict:
        plan = Plan(part)
        rows = part.rows(self.refs.workspace).values_list(*plan.attnames)
        digest, count, files = hashlib.sha256(), 0, []

        def add_media(number, f, stored) -> str:
            if not f.storage.exists(stored):
                return ""  # lost before this export: the row keeps no file
            files.append((media_name(part, number, f, stored), f.storage, stored))
            return files[-1][0]

        with self.archive.open(member(data_name(part)), "w", force_zip64=True) as out:
            for count, values in enumerate(rows.iterator(CHUNK), start=1):
                row = plan.encode(count, values, self.refs, add_media)
                line = codec.dumps(row, sort_keys=True) + b"\n"
                digest.update(line)
                out.write(line)
                if self.progress and count % CHUNK == 0:
                    self.progress(self.done + count, self.total, part.label)
        self.done += count
        for name, storage, stored in files:
            with storage.open(stored, "rb") as source:
                data = source.read()
            self.archive.writestr(member(name), data)
            self.media[name] = {
                "file": name,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        return {"model": part.label, "file": data_name(part), "fields": plan.names, "rows": count,
                "sha256": digest.hexdigest()}  # fmt: skip


def _snapshot() -> None:
    """Read every table as of one moment, so rows written later name rows that exist."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def workspace_export(*, workspace: Workspace, target, progress: Progress | None = None) -> dict:
    """Write `workspace` into `target` (a binary file open for writing); return the manifest.

    Run outside a transaction, it reads one snapshot of the database (SQLite's read
    transaction is one; PostgreSQL's is asked for)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic(), zipfile.ZipFile(target, "w") as archive:
        if outermost:
            _snapshot()
        refs = ExportRefs(workspace)
        writer = _Writer(archive, refs, progress)
        writer.count()
        entries = [(part, writer.part(part)) for part in parts()]
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": to_json(timezone.now()),
            "models": [entry | {"numbers": refs.numbers(part.model)} for part, entry in entries],
            "media": [writer.media[name] for name in sorted(writer.media)],
        }
        archive.writestr(member(MANIFEST), codec.dumps(manifest, sort_keys=True))
    if progress:
        progress(writer.total, writer.total, "")
    return manifest
