"""Feeding a CSV file in: every row is checked before anything is stored, and then the
whole file is stored in one transaction, or nothing is.

The file is read twice (check, then store) so memory holds the rows' keys, not the rows.
Rows already stored (same id, message id or identifying columns) are counted as
duplicates and left alone, so feeding a file twice stores it once; customers are
updated from a newer customers file. Customers that rows refer to but that don't exist
yet are created, dated by their first row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from engage.broker import require_broker
from engage.models import Workspace
from metrics.imports import kinds, parse
from metrics.imports.reader import FileRefused, read_rows
from metrics.models import Customer, DataImport

BATCH = 5000
SHOWN_ERRORS = 200

__all__ = [
    "FileRefused",
    "ImportRefused",
    "ImportResult",
    "data_import_execute",
    "data_import_request",
    "import_file",
]


class ImportRefused(ValueError):
    """Rows that are wrong; nothing was stored. `errors` lists (line, reason)."""

    def __init__(self, errors: list[tuple[int, str]], error_count: int, rows: int):
        self.errors, self.error_count, self.rows = errors, error_count, rows
        more = f" (and {error_count - len(errors)} more)" if error_count > len(errors) else ""
        super().__init__(
            f"{error_count} of {rows} rows can't be imported{more}; nothing was stored. "
            + "; ".join(f"row {line}: {reason}" for line, reason in errors[:5])
        )


@dataclass
class ImportResult:
    kind: str
    rows: int
    created: int
    duplicates: int


@dataclass
class _Checked:
    rows: int = 0
    customers: dict[str, object] = field(default_factory=dict)  # external id → first moment
    errors: list = field(default_factory=list)
    error_count: int = 0


MOMENT = {"surveys": "answered_at", "purchases": "purchased_at", "events": "timestamp"}


def _check(kind: kinds.Kind, binary, lookups, progress, columns=None) -> _Checked:
    checked, seen = _Checked(), {}
    check = kinds.CHECKS[kind.slug]
    for line, row in read_rows(
        binary,
        kind.required,
        kind.optional,
        extra_allowed=kind.extra_columns_are_traits,
        columns=columns,
    ):
        checked.rows += 1
        try:
            if "__error__" in row:
                raise parse.CellError(row["__error__"])
            values = check(row, lookups)
            key = hash(kinds.row_key(kind.slug, values))
            if key in seen:
                raise parse.CellError(f"the same {_identity(kind.slug)} as row {seen[key]}")
            seen[key] = line
        except parse.CellError as error:
            checked.error_count += 1
            if len(checked.errors) < SHOWN_ERRORS:
                checked.errors.append((line, str(error)))
            continue
        if kind.slug in MOMENT:
            moment = values[MOMENT[kind.slug]]
            known = checked.customers.get(values["customer_id"])
            checked.customers[values["customer_id"]] = min(known, moment) if known else moment
        if progress and checked.rows % BATCH == 0:
            progress(checked.rows, 0)
    return checked


def _identity(kind: str) -> str:
    return {
        "customers": "customer_id",
        "surveys": "customer, kind and answered_at",
        "purchases": "customer, purchased_at and amount",
        "events": "message_id (or customer, event, timestamp, channel and properties)",
        "mentions": "url (or platform, posted_at, author and text)",
    }[kind]


def _customer_ids(workspace, checked: _Checked) -> dict[str, int]:
    """Create the customers rows refer to that don't exist yet; return id → pk for all."""
    wanted = list(checked.customers)
    ids = {}
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        ids.update(
            Customer.objects.filter(workspace=workspace, external_id__in=chunk).values_list(
                "external_id", "pk"
            )
        )
    missing = [external for external in wanted if external not in ids]
    Customer.objects.bulk_create(
        (
            Customer(
                workspace=workspace, external_id=external, created_at=checked.customers[external]
            )
            for external in missing
        ),
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    for start in range(0, len(missing), BATCH):
        ids.update(
            Customer.objects.filter(
                workspace=workspace, external_id__in=missing[start : start + BATCH]
            ).values_list("external_id", "pk")
        )
    return ids


def _instances(workspace, kind, values_list, customer_ids):
    for values in values_list:
        if "customer_id" in values:
            values = {**values, "customer_id": customer_ids[values["customer_id"]]}
        if kind.slug == "customers" and values["created_at"] is None:
            values = {**values, "created_at": timezone.now()}
        yield kind.model(workspace=workspace, **values)


def _store_batch(workspace, kind, batch, customer_ids) -> None:
    objects = list(_instances(workspace, kind, batch, customer_ids))
    if kind.slug == "customers":
        kind.model.objects.bulk_create(
            objects,
            update_conflicts=True,
            unique_fields=["workspace", "external_id"],
            update_fields=["segment", "persona", "email", "consent", "traits"],
        )
    else:
        kind.model.objects.bulk_create(objects, ignore_conflicts=True)


def import_file(
    *,
    workspace: Workspace,
    kind: str,
    binary,
    progress: Callable[[int, int], None] | None = None,
    columns: dict[str, str] | None = None,
) -> ImportResult:
    """Check every row of `binary` (a binary file), then store them all; ImportRefused
    (or FileRefused) if any row is wrong, with nothing stored. `progress(done, total)` is
    called as rows are checked (total 0) and stored. `columns` maps the file's column
    names to the kind's (see `read_rows`)."""
    spec = kinds.KINDS.get(kind)
    if spec is None:
        raise FileRefused(f"Unknown kind “{kind}”: use one of {', '.join(kinds.KINDS)}.")
    lookups = kinds.Lookups.load(workspace)
    checked = _check(spec, binary, lookups, progress, columns)
    if checked.error_count:
        raise ImportRefused(checked.errors, checked.error_count, checked.rows)
    check = kinds.CHECKS[kind]
    with transaction.atomic():
        before = spec.model.objects.filter(workspace=workspace).count()
        customer_ids = _customer_ids(workspace, checked) if kind in MOMENT else {}
        batch, done = [], 0
        for _line, row in read_rows(
            binary,
            spec.required,
            spec.optional,
            extra_allowed=spec.extra_columns_are_traits,
            columns=columns,
        ):
            batch.append(check(row, lookups))
            if len(batch) == BATCH:
                _store_batch(workspace, spec, batch, customer_ids)
                done += len(batch)
                batch = []
                if progress:
                    progress(done, checked.rows)
        if batch:
            _store_batch(workspace, spec, batch, customer_ids)
        created = spec.model.objects.filter(workspace=workspace).count() - before
    if progress:
        progress(checked.rows, checked.rows)
    return ImportResult(kind, checked.rows, created, checked.rows - created)


def data_import_request(
    *, workspace: Workspace, kind: str, upload, actor=None, columns: dict[str, str] | None = None
) -> DataImport:
    """An uploaded file: small ones are imported now, large ones (METRICS_IMPORT_BACKGROUND_BYTES
    and up) by a task the page follows. Too large a file is refused before it is stored.
    `columns` maps the file's column names to the kind's (see `read_rows`)."""
    from metrics.tasks import import_data_file  # tasks call services: import at use

    if kind not in kinds.KINDS:
        raise FileRefused(f"Unknown kind “{kind}”: use one of {', '.join(kinds.KINDS)}.")
    limit = settings.METRICS_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise FileRefused(
            f"The file is {upload.size / 2**20:.1f} MB; files up to {limit / 2**20:.0f} MB can be "
            "imported here. Split it, or use manage.py import_data."
        )
    data_import = DataImport(
        workspace=workspace,
        kind=kind,
        filename=upload.name[:200],
        size=upload.size,
        requested_by=actor,
    )
    if upload.size < settings.METRICS_IMPORT_BACKGROUND_BYTES:
        data_import.save()
        return data_import_execute(data_import, binary=upload, columns=columns)
    require_broker()  # before the file is stored: nothing is left behind when it can't start
    data_import.file.save(f"{workspace.pk}-{kind}.csv", upload, save=True)
    transaction.on_commit(lambda: import_data_file.delay(data_import.pk, columns))
    return data_import


def data_import_execute(
    data_import: DataImport, *, binary=None, columns: dict[str, str] | None = None
) -> DataImport:
    """Run the import of a recorded file, keeping its row up to date for the page."""
    rows = DataImport.objects.filter(pk=data_import.pk)
    if rows.exclude(status=DataImport.Status.QUEUED).exists():
        data_import.refresh_from_db()
        return data_import  # done already, or another worker has it
    rows.update(status=DataImport.Status.CHECKING)

    def progress(done, total):
        rows.update(
            status=DataImport.Status.STORING if total else DataImport.Status.CHECKING,
            rows_done=done,
            rows_total=total or done,
        )

    outcome = {"finished_at": timezone.now()}
    try:
        if binary is None:
            with data_import.file.open("rb") as stored:
                result = import_file(
                    workspace=data_import.workspace,
                    kind=data_import.kind,
                    binary=stored,
                    progress=progress,
                    columns=columns,
                )
        else:
            result = import_file(
                workspace=data_import.workspace,
                kind=data_import.kind,
                binary=binary,
                progress=progress,
                columns=columns,
            )
    except FileRefused as refused:
        outcome |= {"status": DataImport.Status.REFUSED, "errors": [[0, str(refused)]]}
    except ImportRefused as refused:
        outcome |= {
            "status": DataImport.Status.REFUSED,
            "rows_total": refused.rows,
            "errors": [list(error) for error in refused.errors],
        }
    except Exception as error:
        outcome |= {"status": DataImport.Status.FAILED, "errors": [[0, str(error)[:500]]]}
        rows.update(**outcome)
        raise
    else:
        outcome |= {
            "status": DataImport.Status.DONE,
            "rows_total": result.rows,
            "rows_done": result.rows,
            "created": result.created,
            "duplicates": result.duplicates,
        }
    rows.update(**outcome)
    if data_import.file:
        data_import.file.delete(save=False)
        rows.update(file="")
    data_import.refresh_from_db()
    return data_import
