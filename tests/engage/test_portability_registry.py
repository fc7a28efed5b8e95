"""The export's registry: no model that belongs to a workspace is forgotten silently."""

from django.apps import apps

from canvases.models import CanvasPack, Vote
from engage.models import User, Workspace
from engage.portability import left_out, parts, workspace_path
from engage.portability.registry import is_user_key
from metrics.models import PathStep


def test_every_model_of_a_workspace_is_exported_or_left_out_with_a_reason():
    exported = {part.model for part in parts()}
    forgotten = [
        model._meta.label
        for model in apps.get_models(include_auto_created=True)
        if workspace_path(model, nullable=True) and model not in exported | set(left_out())
    ]
    assert not forgotten, (
        f"Export {forgotten} (engage.portability.register, from the owning app's ready()) "
        "or leave them out with the reason (engage.portability.leave_out)."
    )
    assert not exported & set(left_out())
    assert all(len(reason) > 20 for reason in left_out().values())


def test_every_reference_of_an_exported_row_names_a_row_the_file_holds():
    exported = {part.model for part in parts()}
    for part in parts():
        for f in part.fields:
            if f.is_relation:
                assert f.related_model in exported or is_user_key(f), (
                    f"{part.label}.{f.name} names {f.related_model._meta.label}, not exported"
                )
        for name in part.omit:
            assert part.model._meta.get_field(name).concrete, f"{part.label} omits {name}"


def test_the_workspace_comes_first_and_each_model_is_one_table():
    assert parts()[0].model is Workspace
    for part in parts():
        assert not part.model._meta.parents, f"{part.label}: multi-table inheritance"


def test_the_walk_follows_every_kind_of_reference_to_a_workspace():
    assert workspace_path(Vote) == "round__canvas__workspace"
    assert workspace_path(CanvasPack.canvases.through, nullable=True)  # a many-to-many table
    assert workspace_path(PathStep) == "workspace"  # a key the database doesn't check
    assert workspace_path(User, nullable=True) is None
