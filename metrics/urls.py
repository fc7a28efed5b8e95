from django.urls import path

from engage.views.sections import section_index
from metrics.api import pages
from metrics.views import imports

app_name = "metrics"

urlpatterns = [
    path("", section_index, {"template": "metrics/index.html"}, name="index"),
    path("imports/", imports.import_index, name="imports"),
    path("imports/<int:data_import>/", imports.import_progress, name="import_progress"),
    path("imports/example.csv", imports.import_example, name="import_example"),
    path("keys/", pages.write_keys, name="write_keys"),
    path("keys/<int:key>/revoke/", pages.write_key_revoke, name="write_key_revoke"),
]
