from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "journeys"

    def ready(self):
        from canvases import types
        from canvases.area_panels import register_area_panel
        from engage.demo import register_demo_step
        from engage.panels import Panel, register_panel
        from journeys.ecosystem import panels as ecosystem_panels
        from journeys.ecosystem.canvas_type import ECOSYSTEM_MAP
        from journeys.ecosystem.demo import seed_ecosystem

        register_panel(
            "workspace_home",
            Panel(
                slug="journeys",
                title="Customer journeys",
                template="journeys/_home_panel.html",
                order=20,
            ),
        )
        types.register(ECOSYSTEM_MAP)
        register_area_panel(
            "ecosystem_map", "journeys/ecosystem/map.html", ecosystem_panels.map_panel
        )
        register_area_panel(
            "ecosystem_parties", "journeys/ecosystem/parties.html", ecosystem_panels.parties_panel
        )
        register_demo_step(seed_ecosystem)
