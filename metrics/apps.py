from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"

    def ready(self):
        from engage.panels import Panel, register_panel

        register_panel(
            "workspace_home",
            Panel(
                slug="metrics",
                title="Engagement metrics",
                template="metrics/_home_panel.html",
                order=30,
            ),
        )
