from django.urls import path

from metrics.views import dashboard

app_name = "metrics"

urlpatterns = [
    path("", dashboard.dashboard, name="index"),
    path("recompute/", dashboard.recompute, name="recompute"),
    path("runs/<int:run>/", dashboard.run_progress, name="run_progress"),
    path("pdf/", dashboard.dashboard_pdf, name="dashboard_pdf"),
]
