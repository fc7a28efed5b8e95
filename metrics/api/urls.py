"""Mounted at /ingest/ (engage/urls.py), so a client's `host` is https://<site>/ingest."""

from django.urls import path

from metrics.api import views
from metrics.api.messages import TYPES

app_name = "ingest"

urlpatterns = [
    path("openapi.json", views.openapi_json, name="openapi"),
    path("v1/batch", views.batch, name="batch"),
    *(path(f"v1/{kind}", views.message, {"kind": kind}, name=kind) for kind in sorted(TYPES)),
]
