from django.apps import AppConfig


class CanvasesConfig(AppConfig):
    name = "canvases"

    def ready(self):
        from canvases import checks  # noqa: F401  registers the canvas-type registry check
        from engage.panels import HomePanel, register_home_panel

        register_home_panel(
            HomePanel(
                slug="canvases", title="Canvases", template="canvases/_home_panel.html", order=10
            )
        )
