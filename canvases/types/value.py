from .base import Area, AreaKind, CanvasType

BENEFITS_DEPENDENCY_NETWORK = CanvasType(
    slug="benefits_dependency_network",
    title="Benefits dependency network",
    summary="From technology back to business objectives: every enabler should lead, "
    "left to right, through changes and benefits to an objective. Build it from the right.",
    family="value",
    links=frozenset({"job"}),
    columns="1fr",
    grid=("network", "findings", "editor"),
    areas=(
        Area(
            "network",
            "The network",
            "Digital enablers → enabling changes → business changes → business benefits → "
            "investment objectives → drivers.",
            kind=AreaKind.PANEL,
            panel="bdn_network",
        ),
        Area(
            "findings",
            "Findings",
            "Gaps in the chain from enablers to drivers.",
            kind=AreaKind.PANEL,
            panel="bdn_findings",
            depends_on=("network",),
        ),
        Area(
            "editor",
            "Nodes and benefits",
            "Add nodes column by column; link each node to nodes in later columns.",
            kind=AreaKind.PANEL,
            panel="bdn_editor",
            depends_on=("network",),
        ),
    ),
)
