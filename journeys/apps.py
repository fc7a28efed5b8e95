from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "journeys"

    def ready(self):
        from engage.panels import Panel, register_panel

        register_panel(
            "workspace_home",
            Panel(
                slug="journeys",
                title="Customer journeys",
                template="journeys/_home_panel.html",
                order=20,
            ),
        )
