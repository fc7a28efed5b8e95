from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"

    def ready(self):
        from canvases.bdn.measures import MeasureSource, register_measure_source
        from canvases.packs import register_pack_section
        from engage.demo import register_demo_step
        from engage.panels import Panel, register_panel
        from journeys.measures import (
            register_job_links,
            register_journey_links,
            register_stage_presence,
            register_state_presence,
            register_touchpoint_measures,
        )
        from metrics.demo import seed_metrics
        from metrics.demo_okrs import seed_okrs
        from metrics.demo_positions import seed_positions
        from metrics.plan import (
            benefit_metric_choices,
            benefit_values,
            bind_benefit_metric,
            job_links,
            journey_links,
            stage_presence,
            state_presence,
            touchpoint_measures,
        )
        from metrics.portability import register_metrics
        from metrics.views import journey_customers, okrs
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
        register_demo_step(seed_okrs)  # reads the data seed_metrics feeds in
        register_demo_step(seed_positions)
        register_touchpoint_measures(touchpoint_measures)
        register_stage_presence(stage_presence)
        register_journey_links(journey_links)
        register_state_presence(state_presence)
        register_job_links(job_links)
        register_measure_source(
            MeasureSource(
                choices=benefit_metric_choices, bind=bind_benefit_metric, values=benefit_values
            )
        )
        register_metrics()
        register_pack_section("metrics", "Metrics", pack_section_html)
        register_pack_section("okrs", "Objectives and key results", okrs.pack_section_html)
        register_pack_section("funnels", "Journey funnels", journey_customers.funnels_pack_html)
