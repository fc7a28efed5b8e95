from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "journeys"

    def ready(self):
        from canvases.packs import register_pack_section
        from engage.panels import Panel, register_panel
        from journeys import services  # noqa: F401 (registers the undo of journey writes)
        from journeys.mix import pack_section_html

        register_panel(
            "workspace_home",
            Panel(
                slug="journeys",
                title="Customer journeys",
                template="journeys/_home_panel.html",
                order=20,
            ),
        )
        register_pack_section("digital-mix", "Digital mix", pack_section_html)
