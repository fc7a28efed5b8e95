from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from engage.models import Invitation, Job, Membership, Persona, Segment, User, Workspace


@admin.register(User)
class EngageUserAdmin(UserAdmin):
    list_display = ["email", "name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "name"]
    ordering = ["email"]
    fieldsets = [
        (None, {"fields": ["email", "username", "name", "password"]}),
        *UserAdmin.fieldsets[2:],
    ]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "customer_organisation", "created_at"]
    search_fields = ["name", "slug", "customer_organisation"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "workspace", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "workspace__name"]
    autocomplete_fields = ["user", "workspace"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "workspace",
        "role",
        "email",
        "single_use",
        "times_used",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["role", "single_use"]
    autocomplete_fields = ["workspace"]


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "industry", "region", "organisation_size"]
    list_filter = ["organisation_size"]
    search_fields = ["name"]


@admin.register(Persona)
class PersonaAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "role", "segment"]
    list_filter = ["role"]
    search_fields = ["name", "short_description"]
    autocomplete_fields = ["workspace"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["statement", "workspace", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["verb", "object", "context"]
    filter_horizontal = ["personas"]
    autocomplete_fields = ["workspace"]
