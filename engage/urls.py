from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from engage.forms import EmailLoginForm
from engage.views import (
    accounts,
    health,
    invitations,
    jobs,
    members,
    personas,
    segments,
    transfers,
    workspaces,
)

workspace_patterns = [
    path("", workspaces.workspace_home, name="workspace_home"),
    path("settings/", workspaces.workspace_settings, name="workspace_settings"),
    path("delete/", workspaces.workspace_delete, name="workspace_delete"),
    path("export/", transfers.workspace_export, name="workspace_export"),
    path(
        "export/<int:export>/download/",
        transfers.workspace_export_download,
        name="workspace_export_download",
    ),
    path("personas/", personas.persona_list, name="persona_list"),
    path("personas/new/", personas.persona_create, name="persona_create"),
    path("personas/<int:persona>/", personas.persona_detail, name="persona_detail"),
    path("personas/<int:persona>/edit/", personas.persona_edit, name="persona_edit"),
    path("personas/<int:persona>/delete/", personas.persona_delete, name="persona_delete"),
    path("personas/<int:persona>/avatar/", personas.persona_avatar, name="persona_avatar"),
    path("jobs/", jobs.job_list, name="job_list"),
    path("jobs/new/", jobs.job_create, name="job_create"),
    path("jobs/<int:job>/", jobs.job_detail, name="job_detail"),
    path("jobs/<int:job>/edit/", jobs.job_edit, name="job_edit"),
    path("jobs/<int:job>/delete/", jobs.job_delete, name="job_delete"),
    path("segments/", segments.segment_list, name="segment_list"),
    path("segments/<int:segment>/edit/", segments.segment_edit, name="segment_edit"),
    path("segments/<int:segment>/delete/", segments.segment_delete, name="segment_delete"),
    path("members/", members.member_list, name="member_list"),
    path("members/<int:membership>/role/", members.member_role, name="member_role"),
    path("members/<int:membership>/remove/", members.member_remove, name="member_remove"),
    path(
        "invitations/<int:invitation>/revoke/",
        members.invitation_revoke,
        name="invitation_revoke",
    ),
    path("canvases/", include("canvases.urls")),
    path("journeys/", include("journeys.urls")),
    path("metrics/", include("metrics.urls")),
]

account_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailLoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("signup/", accounts.signup, name="signup"),
    path("", include("django.contrib.auth.urls")),
]

urlpatterns = [
    path("", workspaces.root, name="root"),
    path("healthz", health.healthz, name="healthz"),
    path("ingest/", include("metrics.api.urls")),
    path("accounts/", include(account_patterns)),
    path("invite/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("w/", workspaces.workspace_list, name="workspace_list"),
    path("import/", transfers.workspace_import, name="workspace_import"),
    path(
        "import/<int:transfer>/",
        transfers.workspace_import_progress,
        name="workspace_import_progress",
    ),
    path("w/<slug:workspace>/", include(workspace_patterns)),
    path("admin/", admin.site.urls),
]
