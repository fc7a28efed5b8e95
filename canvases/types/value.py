from .base import Area, AreaKind, CanvasType, Field

BENEFITS_DEPENDENCY_NETWORK = CanvasType(
    slug="benefits_dependency_network",
    title="Benefits dependency network",
    summary="From technology back to business objectives: every enabler should lead, "
    "left to right, through changes and benefits to an objective. Build it from the right.",
    family="value",
    links=frozenset({"job"}),
    columns="1fr 1fr 1fr 1fr 1fr 1fr",
    grid=("enablers enabling_changes business_changes benefits objectives drivers",),
    areas=(
        Area("enablers", "Digital enablers", "Technology we would build or buy."),
        Area(
            "enabling_changes",
            "Enabling changes",
            "One-off changes needed before the new way works: training, data, policies.",
        ),
        Area(
            "business_changes",
            "Business changes",
            "The new ways of working that deliver the benefits.",
        ),
        Area(
            "benefits",
            "Business benefits",
            "Measurable gains; name an owner and a measure for each.",
        ),
        Area(
            "objectives",
            "Investment objectives",
            "What the organisation wants from the investment.",
        ),
        Area("drivers", "Drivers", "The pressures that make the objectives matter now."),
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
