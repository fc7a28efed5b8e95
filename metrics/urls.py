from django.urls import path

from metrics.api import pages
from metrics.views import customers, dashboard, imports, inbox, okrs

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
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/policy/", inbox.contact_policy, name="contact_policy"),
    path("alerts/<int:alert>/assign/", inbox.alert_assign, name="alert_assign"),
    path("alerts/<int:alert>/resolve/", inbox.alert_resolve, name="alert_resolve"),
    path("customers/", customers.customer_list, name="customers"),
    path("customers/<int:customer>/", customers.customer_detail, name="customer_detail"),
    path("keys/", pages.write_keys, name="write_keys"),
    path("keys/<int:key>/revoke/", pages.write_key_revoke, name="write_key_revoke"),
]
