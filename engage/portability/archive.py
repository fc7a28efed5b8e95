"""The export file: a ZIP of JSON Lines per model, the uploaded files, and a manifest.

    manifest.json                       format, version, and per model its file, fields,
                                        rows, numbers and SHA-256; per file its size and SHA-256
    data/<app>.<model>.jsonl            one row per line, keys sorted, numbered from 1 ("id")
    media/<app>.<model>/<row>-<field>.<ext>

Everything that could differ between two exports of the same data is fixed: member order,
dates inside the ZIP (1980-01-01), compression, key order. Reading checks the ZIP, the
manifest and every member before a row is used, and each data file's checksum as it ends.
"""

import hashlib
import io
import zipfile
from collections.abc import Iterator

from engage import codec

from .registry import Part, parts

FORMAT = "engage-workspace"
VERSION = 1
MANIFEST = "manifest.json"
MAX_LINE_BYTES = 8 * 2**20  # a row; the largest (a customer's traits) are far smaller
_DATE = (1980, 1, 1, 0, 0, 0)


class ArchiveRefused(ValueError):
    """The file can't be imported; the message says why. Nothing was stored."""


def data_name(part: Part) -> str:
    return f"data/{part.label}.jsonl"


def member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def sha256_of(stream, size: int = 2**20) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(size):
        digest.update(chunk)
    return digest.hexdigest()


class Reader:
    """An export file opened for import: its manifest checked against this Engage's models."""

    def __init__(self, source):
        try:
            self.zip = zipfile.ZipFile(source)
            manifest = codec.loads(self.zip.read(MANIFEST))
        except KeyError:
            raise ArchiveRefused(
                "This ZIP file has no manifest.json: it is not an export."
            ) from None
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise ArchiveRefused(f"This is not a ZIP file, or it is damaged ({error}).") from None
        except (ValueError, RecursionError):
            raise ArchiveRefused("manifest.json is not JSON: the file is damaged.") from None
        self.manifest = manifest
        self._check_manifest()

    def _check_manifest(self) -> None:
        manifest = self.manifest
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArchiveRefused("manifest.json does not describe an Engage workspace export.")
        if manifest.get("version") != VERSION:
            raise ArchiveRefused(
                f"This export is format version {manifest.get('version')!r}; this Engage reads "
                f"version {VERSION}."
            )
        try:
            models = {entry["model"]: entry for entry in manifest["models"]}
            media = {entry["file"]: entry for entry in manifest["media"]}
        except (KeyError, TypeError):
            raise ArchiveRefused("manifest.json lacks its list of models or files.") from None
        ours = {part.label: part for part in parts()}
        if set(models) != set(ours):
            unknown, missing = sorted(set(models) - set(ours)), sorted(set(ours) - set(models))
            raise ArchiveRefused(
                "This export was written by another version of Engage: "
                + "; ".join(
                    text
                    for text in (
                        f"it holds {', '.join(unknown)}, unknown here" if unknown else "",
                        f"it lacks {', '.join(missing)}" if missing else "",
                    )
                    if text
                )
                + "."
            )
        for label, entry in models.items():
            self._check_entry(ours[label], entry)
        expected = {MANIFEST, *(entry["file"] for entry in models.values()), *media}
        present = set(self.zip.namelist())
        if missing := sorted(expected - present):
            raise ArchiveRefused(f"The file lacks {', '.join(missing)}, which its manifest lists.")
        if extra := sorted(present - expected):
            raise ArchiveRefused(f"The file holds {', '.join(extra)}, which no export holds.")
        data_bytes = sum(self.zip.getinfo(entry["file"]).file_size for entry in models.values())
        for label, entry in models.items():
            self._check_counts(label, entry, data_bytes)
        self.models, self.media_entries = models, media

    @staticmethod
    def _check_entry(part: Part, entry: dict) -> None:
        fields = [f.name for f in part.fields]
        if entry.get("fields") != fields:
            raise ArchiveRefused(
                f"This export was written by another version of Engage: its {part.label} rows "
                f"hold {', '.join(map(str, entry.get('fields') or [])) or 'nothing'}; here they "
                f"hold {', '.join(fields)}."
            )
        if entry.get("file") != data_name(part):
            raise ArchiveRefused(f"manifest.json names the wrong file for {part.label}.")

    def _check_counts(self, label: str, entry: dict, data_bytes: int) -> None:
        # A number the history remembers takes at least two bytes of some data file.
        rows, numbers = entry.get("rows"), entry.get("numbers")
        if not (
            type(rows) is int
            and type(numbers) is int
            and rows >= 0
            and (numbers == 0 or rows <= numbers <= rows + data_bytes // 2)
        ):
            raise ArchiveRefused(f"manifest.json gives impossible counts for {label}.")

    def total_rows(self) -> int:
        return sum(entry["rows"] for entry in self.models.values())

    def rows(self, part: Part) -> Iterator[tuple[int, dict]]:
        """(line number, row) for each line of the model's file; ArchiveRefused on a bad
        line, a wrong count or checksum (after the last line: the caller's transaction
        must not commit before this generator is exhausted)."""
        entry, name = self.models[part.label], data_name(part)
        expected_keys = {"id", *entry["fields"]}
        digest, line = hashlib.sha256(), 0
        with self.zip.open(name) as raw:
            stream = io.BufferedReader(raw, 2**20)
            while data := stream.readline(MAX_LINE_BYTES + 1):
                line += 1
                digest.update(data)
                where = f"{name} line {line}"
                if not data.endswith(b"\n"):
                    raise ArchiveRefused(f"{where} is too long or not ended: the file is damaged.")
                try:
                    row = codec.loads(data)
                except (ValueError, RecursionError):
                    raise ArchiveRefused(f"{where} is not JSON.") from None
                if not isinstance(row, dict) or set(row) != expected_keys:
                    raise ArchiveRefused(f"{where} does not hold the fields of {part.label}.")
                if row["id"] != line:
                    raise ArchiveRefused(
                        f"{where} is numbered {row['id']!r}: rows are numbered from 1."
                    )
                yield line, row
        if line != entry["rows"]:
            raise ArchiveRefused(f"{name} holds {line} rows; its manifest says {entry['rows']}.")
        if digest.hexdigest() != entry.get("sha256"):
            raise ArchiveRefused(
                f"{name} was changed after it was exported (its checksum differs)."
            )

    def media(self, name: str, limit: int) -> bytes:
        entry = self.media_entries.get(name)
        if entry is None:
            raise ArchiveRefused(f"A row names {name}, which the manifest does not list.")
        if not (type(entry.get("size")) is int and 0 <= entry["size"] <= limit):
            raise ArchiveRefused(f"{name} is larger than the {limit // 2**20} MB a file may have.")
        with self.zip.open(name) as stream:
            data = stream.read(limit + 1)
        if len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            raise ArchiveRefused(
                f"{name} was changed after it was exported (its checksum differs)."
            )
        return data
