from django.urls import path

from journeys.views import digital, ecosystem, machines, maps, stages

app_name = "journeys"

urlpatterns = [
    path("", maps.journey_index, name="index"),
    path("<int:journey>/edit/", maps.journey_update, name="journey_update"),
    path("<int:journey>/stages/", maps.stage_add, name="stage_add"),
    path("stages/<int:stage>/", stages.stage_detail, name="stage_detail"),
    path("stages/<int:stage>/edit/", maps.stage_update, name="stage_update"),
    path("stages/<int:stage>/emotion/", maps.stage_emotion, name="stage_emotion"),
    path("stages/<int:stage>/touchpoints/", maps.touchpoint_add, name="touchpoint_add"),
    path("touchpoints/<int:touchpoint>/", maps.touchpoint_update, name="touchpoint_update"),
    path("touchpoints/<int:touchpoint>/remove/", maps.touchpoint_remove, name="touchpoint_remove"),
    path("touchpoints/<int:touchpoint>/data/", maps.data_need_add, name="data_need_add"),
    path("data/<int:need>/remove/", maps.data_need_remove, name="data_need_remove"),
    path("<int:journey>/digital/", digital.digital_mix, name="digital_mix"),
    path("<int:journey>/digital/pdf/", digital.digital_mix_pdf, name="digital_mix_pdf"),
    path("jobs/<int:job>/machine/", machines.job_machine, name="job_machine"),
    path("jobs/<int:job>/machine/pdf/", machines.job_machine_pdf, name="job_machine_pdf"),
    path("ecosystem/<int:canvas>/parties/", ecosystem.party_add, name="ecosystem_party_add"),
    path("ecosystem/parties/<int:party>/", ecosystem.party_change, name="ecosystem_party_change"),
    path("ecosystem/parties/<int:party>/move/", ecosystem.party_move, name="ecosystem_party_move"),
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
