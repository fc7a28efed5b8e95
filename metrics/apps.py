from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"

    def ready(self):
        from canvases.packs import register_pack_section
        from engage.demo import register_demo_step
        from engage.panels import Panel, register_panel
        from journeys.measures import register_touchpoint_measures
        from metrics.demo import seed_metrics
        from metrics.plan import touchpoint_measures
        from metrics.views.context import pack_section_html

        register_panel(
            "workspace_home",
            Panel(
                slug="metrics",
                title="Engagement metrics",
                template="metrics/_home_panel.html",
                order=30,
            ),
        )
        register_demo_step(seed_metrics)
        register_touchpoint_measures(touchpoint_measures)
        register_pack_section("metrics", "Metrics", pack_section_html)
