from django.apps import AppConfig


class CanvasesConfig(AppConfig):
    name = "canvases"

    def ready(self):
        from canvases import checks  # noqa: F401  registers the canvas-type registry check
        from canvases.area_panels import register_area_panel
        from canvases.bdn import panels as bdn_panels
        from canvases.demo import seed_canvases
        from canvases.jtbd import filter as jtbd_filter
        from canvases.jtbd import forces, prioritization
        from canvases.panels import persona_canvases, recent_canvases
        from canvases.portability import register_canvases
        from engage.demo import register_demo_step
        from engage.panels import Panel, register_panel

        register_panel(
            "workspace_home",
            Panel(
                "canvases",
                "Canvases",
                "canvases/_home_panel.html",
                order=10,
                context=recent_canvases,
            ),
        )
        register_panel(
            "persona_detail",
            Panel(
                "canvases",
                "Persona card and canvases",
                "canvases/_persona_panel.html",
                context=persona_canvases,
            ),
        )
        register_demo_step(seed_canvases)
        register_canvases()
        register_area_panel(
            "forces_balance", "canvases/panels/forces_balance.html", forces.balance_panel
        )
        register_area_panel(
            "jtbd_filter", "canvases/panels/jtbd_filter.html", jtbd_filter.filter_panel
        )
        register_area_panel(
            "jtbd_plot", "canvases/panels/jtbd_plot.html", prioritization.plot_panel
        )
        register_area_panel(
            "jtbd_items", "canvases/panels/jtbd_items.html", prioritization.items_panel
        )
        register_area_panel(
            "bdn_network", "canvases/panels/bdn_network.html", bdn_panels.network_panel
        )
        register_area_panel(
            "bdn_findings", "canvases/panels/bdn_findings.html", bdn_panels.findings_panel
        )
        register_area_panel(
            "bdn_editor", "canvases/panels/bdn_editor.html", bdn_panels.editor_panel
        )
        register_panel(
            "job_detail",
            Panel("job_trace", "Trace", "canvases/_job_panel.html", order=5),
        )
