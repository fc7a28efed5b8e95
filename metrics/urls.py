from django.urls import path

from metrics.api import pages
from metrics.views import dashboard, imports

app_name = "metrics"

urlpatterns = [
    path("", dashboard.dashboard, name="index"),
    path("recompute/", dashboard.recompute, name="recompute"),
    path("runs/<int:run>/", dashboard.run_progress, name="run_progress"),
    path("pdf/", dashboard.dashboard_pdf, name="dashboard_pdf"),
    path("imports/", imports.import_index, name="imports"),
    path("imports/<int:data_import>/", imports.import_progress, name="import_progress"),
    path("imports/example.csv", imports.import_example, name="import_example"),
    path("keys/", pages.write_keys, name="write_keys"),
    path("keys/<int:key>/revoke/", pages.write_key_revoke, name="write_key_revoke"),
]
