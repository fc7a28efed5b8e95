from django.urls import path

from metrics.api import pages
from metrics.views import dashboard, imports, okrs, webhooks

app_name = "metrics"

urlpatterns = [
    path("", dashboard.dashboard, name="index"),
    path("recompute/", dashboard.recompute, name="recompute"),
    path("runs/<int:run>/", dashboard.run_progress, name="run_progress"),
    path("pdf/", dashboard.dashboard_pdf, name="dashboard_pdf"),
    path("imports/", imports.import_index, name="imports"),
    path("imports/<int:data_import>/", imports.import_progress, name="import_progress"),
    path("imports/example.csv", imports.import_example, name="import_example"),
    path("okrs/", okrs.okr_index, name="okrs"),
    path("okrs/pdf/", okrs.okr_pdf, name="okrs_pdf"),
    path("okrs/objectives/add/", okrs.objective_add, name="objective_add"),
    path("okrs/objectives/<int:objective>/change/", okrs.objective_change, name="objective_change"),
    path("okrs/objectives/<int:objective>/remove/", okrs.objective_remove, name="objective_remove"),
    path(
        "okrs/objectives/<int:objective>/results/add/", okrs.key_result_add, name="key_result_add"
    ),
    path("okrs/results/<int:key_result>/change/", okrs.key_result_change, name="key_result_change"),
    path("okrs/results/<int:key_result>/remove/", okrs.key_result_remove, name="key_result_remove"),
    path("keys/", pages.write_keys, name="write_keys"),
    path("keys/<int:key>/revoke/", pages.write_key_revoke, name="write_key_revoke"),
    path("webhooks/", webhooks.webhooks, name="webhooks"),
    path("webhooks/<int:endpoint>/rotate/", webhooks.webhook_rotate, name="webhook_rotate"),
    path("webhooks/<int:endpoint>/active/", webhooks.webhook_active, name="webhook_active"),
    path("webhooks/<int:endpoint>/test/", webhooks.webhook_test, name="webhook_test"),
    path("webhooks/deliveries/<int:delivery>/", webhooks.webhook_delivery, name="webhook_delivery"),
    path("webhooks/deliveries/<int:delivery>/retry/", webhooks.webhook_retry, name="webhook_retry"),
]
