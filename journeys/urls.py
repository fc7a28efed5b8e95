from django.urls import path

from engage.views.sections import section_index
from journeys.views import ecosystem

app_name = "journeys"

urlpatterns = [
    path("", section_index, {"template": "journeys/index.html"}, name="index"),
    path(
        "ecosystem/<int:canvas>/parties/",
        ecosystem.party_add,
        name="ecosystem_party_add",
    ),
    path(
        "ecosystem/parties/<int:party>/",
        ecosystem.party_change,
        name="ecosystem_party_change",
    ),
    path(
        "ecosystem/parties/<int:party>/move/",
        ecosystem.party_move,
        name="ecosystem_party_move",
    ),
    path(
        "ecosystem/parties/<int:party>/remove/",
        ecosystem.party_remove,
        name="ecosystem_party_remove",
    ),
    path(
        "ecosystem/<int:canvas>/dimensions/",
        ecosystem.dimension_add,
        name="ecosystem_dimension_add",
    ),
    path(
        "ecosystem/dimensions/<int:dimension>/",
        ecosystem.dimension_rename,
        name="ecosystem_dimension_rename",
    ),
    path(
        "ecosystem/dimensions/<int:dimension>/remove/",
        ecosystem.dimension_remove,
        name="ecosystem_dimension_remove",
    ),
]
