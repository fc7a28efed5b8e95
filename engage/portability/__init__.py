"""Whole-workspace export and import: one ZIP file holding everything of a workspace.

Each app registers the models it owns (`register`, `leave_out`) from AppConfig.ready();
`workspace_export` and `workspace_import` reach every model through that registry.
"""

from .archive import ArchiveRefused
from .exporting import workspace_export
from .importing import ImportContext, ImportResult, owners_here, workspace_import
from .registry import (
    add_refs,
    as_text,
    leave_out,
    left_out,
    many,
    one,
    part_for,
    parts,
    person,
    register,
    workspace_path,
)

__all__ = [
    "ArchiveRefused",
    "ImportContext",
    "ImportResult",
    "add_refs",
    "as_text",
    "leave_out",
    "left_out",
    "many",
    "one",
    "owners_here",
    "part_for",
    "parts",
    "person",
    "register",
    "workspace_export",
    "workspace_import",
    "workspace_path",
]
