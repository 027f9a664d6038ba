"""The site admin's view (Django admin): operators of the installation, not tenants' users."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Clause, EditionChange, Membership, Organization, Standard, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "time_zone", "language", "created_at"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "year", "is_primary"]


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin):
    """Reference data: loaded by migrate; guidance may be refined here."""

    list_display = [
        "number",
        "title_en",
        "title_zh_hans",
        "standard",
        "new_in_edition",
        "is_process",
    ]
    list_filter = ["standard"]
    search_fields = ["number", "title_en", "title_zh_hans"]
    fields = [
        "standard",
        "number",
        "title_en",
        "title_zh_hans",
        "guidance_en",
        "guidance_zh_hans",
        "note_en",
        "note_zh_hans",
        "research_note",
    ]
    readonly_fields = ["standard", "number", "title_en", "research_note"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EditionChange)
class EditionChangeAdmin(admin.ModelAdmin):
    """Reference data (``standards/reference/changes_2018.json``): loaded by migrate, read here."""

    list_display = ["order", "title_en", "title_zh_hans", "topic"]
    list_filter = ["topic"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
