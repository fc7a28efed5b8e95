from django.urls import path

from metrics.api import pages
from metrics.views import (
    customers,
    dashboard,
    imports,
    inbox,
    job_customers,
    journey_customers,
    okrs,
    webhooks,
)

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
    path("journeys/<int:journey>/", journey_customers.journey_customers, name="journey_customers"),
    path(
        "journeys/<int:journey>/place/",
        journey_customers.positions_recompute,
        name="positions_recompute",
    ),
    path(
        "journeys/<int:journey>/position-rules/add/",
        journey_customers.position_rule_add,
        name="position_rule_add",
    ),
    path(
        "position-rules/<int:position_rule>/remove/",
        journey_customers.position_rule_remove,
        name="position_rule_remove",
    ),
    path(
        "journeys/<int:journey>/orchestration-rules/add/",
        journey_customers.orchestration_rule_add,
        name="orchestration_rule_add",
    ),
    path(
        "orchestration-rules/<int:rule>/change/",
        journey_customers.orchestration_rule_change,
        name="orchestration_rule_change",
    ),
    path(
        "orchestration-rules/<int:rule>/remove/",
        journey_customers.orchestration_rule_remove,
        name="orchestration_rule_remove",
    ),
    path("stages/<int:stage>/times/", journey_customers.stage_thresholds, name="stage_thresholds"),
    path("jobs/<int:job>/", job_customers.job_customers, name="job_customers"),
    path("keys/", pages.write_keys, name="write_keys"),
    path("keys/<int:key>/revoke/", pages.write_key_revoke, name="write_key_revoke"),
    path("webhooks/", webhooks.webhooks, name="webhooks"),
    path("webhooks/<int:endpoint>/rotate/", webhooks.webhook_rotate, name="webhook_rotate"),
    path("webhooks/<int:endpoint>/active/", webhooks.webhook_active, name="webhook_active"),
    path("webhooks/<int:endpoint>/test/", webhooks.webhook_test, name="webhook_test"),
    path("webhooks/deliveries/<int:delivery>/", webhooks.webhook_delivery, name="webhook_delivery"),
    path("webhooks/deliveries/<int:delivery>/retry/", webhooks.webhook_retry, name="webhook_retry"),
]
