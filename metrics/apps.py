from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"

    def ready(self):
        from engage.panels import HomePanel, register_home_panel

        register_home_panel(
            HomePanel(
                slug="metrics",
                title="Engagement metrics",
                template="metrics/_home_panel.html",
                order=30,
            )
        )
