"""The site admin's view (Django admin): operators of the installation, not tenants' users."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Clause,
    EditionChange,
    IdentityProvider,
    Membership,
    Organization,
    SSODomain,
    Standard,
    User,
)


@admin.action(description=_("Remove second factors (lost authenticator or key)"))
def remove_second_factors(modeladmin, request, queryset):
    """The lost-factor path: the user's apps, keys and recovery codes go, their sessions end,
    they are told by email and set up a new factor at their next sign-in."""
    from itsms.accounts.services import second_factors_reset

    for user in queryset:
        second_factors_reset(user=user, actor=request.user)
    modeladmin.message_user(
        request, _("Second factors removed for %(count)d users.") % {"count": queryset.count()}
    )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "full_name"]
    actions = [remove_second_factors]
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


class SSODomainInline(admin.TabularInline):
    model = SSODomain
    extra = 0
    fields = ["domain", "approved", "created_at"]
    readonly_fields = ["domain", "created_at"]


@admin.register(IdentityProvider)
class IdentityProviderAdmin(SimpleHistoryAdmin):
    """Organisations configure their providers themselves; the site admin approves the domains
    that are not the configuring admin's own (``SSODomain.approved``)."""

    list_display = ["name", "organization", "protocol", "enabled", "password_sign_in_disabled"]
    list_filter = ["protocol", "enabled"]
    search_fields = ["name", "organization__name", "domains__domain"]
    exclude = ["client_secret_encrypted"]
    readonly_fields = ["key"]
    inlines = [SSODomainInline]


@admin.action(description=_("Approve the selected domains"))
def approve_domains(modeladmin, request, queryset):
    from itsms.sso.services import domain_approve

    for domain in queryset.filter(approved=False):
        domain_approve(domain=domain, actor=request.user)


@admin.register(SSODomain)
class SSODomainAdmin(SimpleHistoryAdmin):
    list_display = ["domain", "organization", "identity_provider", "approved", "created_at"]
    list_filter = ["approved"]
    search_fields = ["domain", "organization__name"]
    actions = [approve_domains]
