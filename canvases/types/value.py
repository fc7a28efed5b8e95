from .base import Area, AreaKind, CanvasType, Field

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

ECOSYSTEM_MAP = CanvasType(
    slug="ecosystem_map",
    title="Ecosystem map",
    summary="The customer at the centre and the parties around them: the nearer the "
    "centre, the stronger the relationship.",
    family="value",
    links=frozenset({"persona"}),
    columns="1fr 1fr 1fr",
    grid=(
        "subject subject subject",
        "essential valued desirable",
        "dimensions dimensions dimensions",
    ),
    areas=(
        Area(
            "subject",
            "Subject",
            "The customer at the centre of this ecosystem.",
            kind=AreaKind.FIELDS,
            fields=(Field("subject", "Subject"),),
        ),
        Area("essential", "Essential", "Parties they cannot do without.", tone="head"),
        Area("valued", "Valued", "Parties that add real value."),
        Area("desirable", "Desirable", "Parties that are nice to have."),
        Area(
            "dimensions",
            "Dimensions",
            "The sectors around the rim: family, work, money, health, community…",
            tone="muted",
        ),
    ),
)
