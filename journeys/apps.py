from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "journeys"

    def ready(self):
        from engage.panels import HomePanel, register_home_panel

        register_home_panel(
            HomePanel(
                slug="journeys",
                title="Customer journeys",
                template="journeys/_home_panel.html",
                order=20,
            )
        )
