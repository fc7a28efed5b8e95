from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "journeys"

    def ready(self):
        from canvases.packs import register_pack_section
        from canvases.trace import TRACE_PAGE
        from engage.demo import register_demo_step
        from engage.panels import Panel, register_panel
        from journeys.statemachine import demo as machine_demo
        from journeys.statemachine import panels as machine_panels
        from journeys.statemachine.pdf import render_pack_section

        register_panel(
            "workspace_home",
            Panel(
                slug="journeys",
                title="Customer journeys",
                template="journeys/_home_panel.html",
                order=20,
            ),
        )
        register_panel(
            "job_detail",
            Panel(
                slug="job_machine",
                title="State machine",
                template="journeys/machines/_job_panel.html",
                order=10,
                context=machine_panels.job_panel,
            ),
        )
        register_panel(
            TRACE_PAGE,
            Panel(
                slug="job_machine",
                title="State machine",
                template="journeys/machines/_trace_panel.html",
                order=10,
                context=machine_panels.trace_panel,
            ),
        )
        register_pack_section("job_machines", "Job state machines", render_pack_section)
        register_demo_step(machine_demo.seed_machine)
