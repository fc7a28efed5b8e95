"""Reading an export file into a new workspace: all of it in one transaction, or nothing.

The manifest and every member are checked before anything is written; rows are read
line by line and stored in batches. Every new id is drawn before the first row is
stored (`ids.reserve_ids`), so a row may name a row that comes later in the file, and
the database checks all references when the transaction commits. Timestamps are kept as
exported, auto-filled ones included (rows are inserted raw, as `loaddata` saves them).

People are found by email. The importer becomes the workspace's owner; any other member
comes back only when someone with that email has an account here; a row that cannot
stand without its person (a membership, a vote) is left out when they have none, and
any other reference to them is left empty. The result says who and how many.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction

from engage.models import Membership, User, Workspace
from engage.roles import Role
from engage.services.workspaces import unique_slug

from .archive import ArchiveRefused, Reader, data_name
from .exporting import Progress
from .ids import reserve_ids
from .registry import Part, part_for, parts
from .rows import BadRow, Plan

BATCH = 1000
MEDIA_MAX_BYTES = 20 * 2**20  # a file's own field checks it further, as an upload


@dataclass
class ImportResult:
    workspace: Workspace
    rows: dict[str, int] = field(default_factory=dict)  # model label → rows stored
    left_out: dict[str, int] = field(default_factory=dict)  # … → rows of people not here
    strangers: list[str] = field(default_factory=list)  # emails without an account here
    notes: dict[str, int] = field(default_factory=dict)  # what was changed on the way in


@dataclass
class ImportContext:
    """What an app's `on_import` sees: the new workspace, who imports, and a place to say
    what it changed (`note(text)` counts rows per sentence)."""

    workspace: Workspace
    owner: User
    notes: Counter = field(default_factory=Counter)

    def note(self, text: str) -> None:
        self.notes[text] += 1


class ImportRefs:
    """The file's numbers → the new rows' ids, drawn up front; emails → people here."""

    def __init__(self, reader: Reader):
        self.ids, self.rows = {}, {}
        for part in parts():
            entry = reader.models[part.label]
            self.rows[part.model] = entry["rows"]
            if entry["numbers"]:
                self.ids[part.model] = reserve_ids(part.model, entry["numbers"])
        self.people: dict[str, int | None] = {}

    def ref(self, model, value, *, live: bool = False):
        """`live`: a foreign key, which must name a row of the file (not one its history
        remembers)."""
        if value is None:
            return None
        ids = self.ids.get(model, ())
        limit = self.rows[model] if live else len(ids)
        if type(value) is not int or not 1 <= value <= min(limit, len(ids)):
            raise BadRow(
                f"names {model._meta.verbose_name} {value!r}, which the file does not hold"
            )
        return ids[value - 1]

    def user(self, email):
        if email is None:
            return None
        if not isinstance(email, str):
            raise BadRow(f"{email!r} is not an email address")
        if email not in self.people:
            found = User.objects.filter(email__iexact=email).values_list("pk", flat=True)
            self.people[email] = found.first()
        return self.people[email]

    def strangers(self) -> list[str]:
        return sorted(email for email, pk in self.people.items() if pk is None)


def _insert(model, rows: list, *, with_pk: bool) -> None:
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    if connection.vendor == "postgresql":
        _copy(model, rows, fields)
        return
    size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, rows)))
    for start in range(0, len(rows), size):
        # raw: auto_now and auto_now_add keep the exported moments, as loaddata's saves do.
        model._base_manager._insert(rows[start : start + size], fields=fields, raw=True)


def _copy(model, rows: list, fields: list) -> None:
    """PostgreSQL's path: COPY, with the values the ORM would write (raw, as above)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        for row in rows:
            copy.write_row(
                [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
            )


class _Importer:
    def __init__(self, reader: Reader, owner: User, name: str, progress: Progress | None):
        self.reader, self.owner, self.name, self.progress = reader, owner, name, progress
        self.saved, self.done, self.total = [], 0, reader.total_rows()

    def run(self) -> ImportResult:
        first, *rest = parts()
        assert first.model is Workspace, "engage registers the workspace first"
        self.refs = ImportRefs(self.reader)
        workspace = self._workspace(first)
        self.context = ImportContext(workspace, self.owner)
        result = ImportResult(workspace)
        for part in rest:
            stored, left_out = self._part(part, workspace)
            result.rows[part.label] = stored
            if left_out:
                result.left_out[part.label] = left_out
        Membership.objects.get_or_create(
            workspace=workspace, user=self.owner, defaults={"role": Role.OWNER}
        )  # unless the file made them a member (and the owner: see engage.portability.core)
        result.strangers, result.notes = self.refs.strangers(), dict(self.context.notes)
        return result

    def _workspace(self, part: Part) -> Workspace:
        rows = list(self.reader.rows(part))
        if len(rows) != 1:
            raise ArchiveRefused(f"{data_name(part)} must hold one workspace.")
        workspace = self._decode(Plan(part), *rows[0], None, None)
        workspace.name = self.name or workspace.name
        workspace.slug = unique_slug(workspace.name)
        fields = [f for f in Workspace._meta.concrete_fields if not f.primary_key]
        (workspace.pk,) = Workspace._base_manager._insert(
            [workspace], fields=fields, returning_fields=Workspace._meta.db_returning_fields,
            raw=True,
        )[0]  # fmt: skip
        self._advance(1, part.label)
        return workspace

    def _decode(self, plan: Plan, line: int, data: dict, workspace_id, pk):
        part = plan.part
        try:
            return plan.decode(data, self.refs, workspace_id, pk, self._store_media)
        except ValidationError as error:
            raise ArchiveRefused(
                f"{data_name(part)} line {line}: {' '.join(error.messages)}"
            ) from None
        except (BadRow, ValueError, TypeError, KeyError, AttributeError) as error:
            raise ArchiveRefused(f"{data_name(part)} line {line}: {error}") from None

    def _part(self, part: Part, workspace: Workspace) -> tuple[int, int]:
        with_pk = part.model in self.refs.ids
        ids, plan = self.refs.ids.get(part.model), Plan(part)
        batch, stored, left_out = [], 0, 0
        for line, data in self.reader.rows(part):
            row = self._decode(plan, line, data, workspace.pk, ids[line - 1] if with_pk else None)
            if row is None:
                left_out += 1
            elif part.on_import is None or part.on_import(row, self.context) is not False:
                batch.append(row)
            if len(batch) == BATCH:
                stored += self._flush(part, batch, with_pk)
            if line % BATCH == 0:
                self._advance(BATCH, part.label)
        stored += self._flush(part, batch, with_pk)
        self._advance(self.reader.models[part.label]["rows"] % BATCH, part.label)
        return stored, left_out

    def _flush(self, part: Part, batch: list, with_pk: bool) -> int:
        try:
            _insert(part.model, batch, with_pk=with_pk)
        except DatabaseError as error:
            raise ArchiveRefused(
                f"{data_name(part)}: its rows break a rule of the database ({error})."
            ) from None
        stored = len(batch)
        batch.clear()
        return stored

    def _advance(self, rows: int, step: str) -> None:
        self.done += rows
        if self.progress and rows:
            self.progress(self.done, self.total, step)

    def _store_media(self, instance, f, name: str) -> str:
        """A row's file, checked as an upload of that field is, then stored under a new name."""
        content = ContentFile(
            self.reader.media(name, MEDIA_MAX_BYTES), name=PurePosixPath(name).name
        )
        for validator in f.validators:
            validator(content)
        setattr(instance, f.attname, content)  # an upload_to may read the file (its format)
        stored = f.storage.save(f.generate_filename(instance, content.name), content, f.max_length)
        self.saved.append((f.storage, stored))
        return stored


def owners_here(source) -> list[User]:
    """The file's owners who have an account here, in the file's order."""
    emails = [
        row["user"]
        for _line, row in Reader(source).rows(part_for(Membership))
        if row["role"] == Role.OWNER
    ]
    users = (User.objects.filter(email__iexact=email).first() for email in emails)
    return [user for user in users if user is not None]


def workspace_import(
    *, source, owner: User, name: str = "", progress: Progress | None = None
) -> ImportResult:
    """A new workspace from an export file (a path or a binary file), owned by `owner`;
    ArchiveRefused, with nothing stored, if anything in the file is wrong."""
    importer = _Importer(Reader(source), owner, name.strip(), progress)
    try:
        with transaction.atomic():
            return importer.run()
    except BaseException as failure:
        for storage, stored in importer.saved:
            storage.delete(stored)
        if isinstance(failure, DatabaseError):  # a reference checked as the transaction commits
            raise ArchiveRefused(f"The file's rows don't fit together ({failure}).") from None
        raise
