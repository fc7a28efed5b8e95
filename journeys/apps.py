from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "journeys"

    def ready(self):
        from canvases import types
        from canvases.area_panels import register_area_panel
        from canvases.packs import register_pack_section
        from canvases.trace import TRACE_PAGE
        from engage.demo import register_demo_step
        from engage.panels import Panel, register_panel
        from journeys import panels
        from journeys.canvas_type import CUSTOMER_JOURNEY_MAP
        from journeys.demo import map_states_to_stages, seed_journeys
        from journeys.ecosystem import panels as ecosystem_panels
        from journeys.ecosystem.canvas_type import ECOSYSTEM_MAP
        from journeys.ecosystem.demo import seed_ecosystem
        from journeys.mix import pack_section_html
        from journeys.portability import register_journeys
        from journeys.statemachine import demo as machine_demo
        from journeys.statemachine import panels as machine_panels
        from journeys.statemachine.pdf import render_pack_section

        types.register(CUSTOMER_JOURNEY_MAP)
        for slug, context in (
            ("summary", panels.summary_panel),
            ("stages", panels.stages_panel),
            ("touchpoints", panels.touchpoints_panel),
            ("curve", panels.curve_panel),
        ):
            register_area_panel(f"journey_{slug}", f"journeys/panels/{slug}.html", context)
        register_panel(
            "workspace_home",
            Panel(
                slug="journeys",
                title="Customer journeys",
                template="journeys/_home_panel.html",
                order=20,
                context=panels.home_panel,
            ),
        )
        for page, context in (
            ("job_trace", panels.job_journeys),
            ("persona_detail", panels.persona_journeys),
        ):
            register_panel(
                page,
                Panel("journeys", "Journeys", "journeys/_journeys_panel.html", 10, context),
            )
        register_demo_step(seed_journeys)
        register_pack_section("digital-mix", "Digital mix", pack_section_html)
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
        types.register(ECOSYSTEM_MAP)
        register_area_panel(
            "ecosystem_map", "journeys/ecosystem/map.html", ecosystem_panels.map_panel
        )
        register_area_panel(
            "ecosystem_parties", "journeys/ecosystem/parties.html", ecosystem_panels.parties_panel
        )
        register_demo_step(seed_ecosystem)
        register_demo_step(map_states_to_stages)
        register_journeys()
