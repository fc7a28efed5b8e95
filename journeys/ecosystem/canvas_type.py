"""The ecosystem map as a canvas type: the subject, the drawing, and the list of parties.

Registered from JourneysConfig.ready(); its dimensions and parties are journeys rows, made
with each new map and copied with each new version.
"""

from canvases.types import Area, AreaKind, CanvasType, Field

from . import services

AREA = services.AREA  # parties and dimensions record their changes under the drawing

ECOSYSTEM_MAP = CanvasType(
    slug="ecosystem_map",
    title="Ecosystem map",
    summary="The customer at the centre and the parties around them: the nearer the "
    "centre, the stronger the relationship.",
    family="value",
    links=frozenset({"persona"}),
    columns="2fr 1fr",
    grid=("subject subject", f"{AREA} parties"),
    areas=(
        Area(
            "subject",
            "Subject",
            "The customer at the centre of this ecosystem.",
            kind=AreaKind.FIELDS,
            fields=(Field("subject", "Subject", help="Shown in the centre of the map."),),
        ),
        Area(
            AREA,
            "The map",
            "Essential parties on the inner ring, valued ones next, desirable ones outside; "
            "the sectors are the dimensions of the customer's life and work.",
            kind=AreaKind.PANEL,
            panel="ecosystem_map",
            depends_on=("subject",),
        ),
        Area(
            "parties",
            "Parties and dimensions",
            "Add the people, organisations and tools around the customer; place each on a "
            "ring within a dimension.",
            kind=AreaKind.PANEL,
            panel="ecosystem_parties",
            depends_on=(AREA,),
        ),
    ),
    create_rows=services.dimensions_create_default,
    copy_rows=services.ecosystem_copy,
)
