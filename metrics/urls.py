from django.urls import path

from engage.views.sections import section_index
from metrics.api import pages

app_name = "metrics"

urlpatterns = [
    path("", section_index, {"template": "metrics/index.html"}, name="index"),
    path("keys/", pages.write_keys, name="write_keys"),
    path("keys/<int:key>/revoke/", pages.write_key_revoke, name="write_key_revoke"),
]
