from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin

from privacyregister.models import Board, Membership, School, SecurityEvent, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Persoon"), {"fields": ["full_name"]}),
        (_("Rechten"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Data"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class SchoolInline(admin.TabularInline):
    model = School
    extra = 0
    fields = ["name", "slug", "brin", "sector"]
    show_change_link = True


@admin.register(Board)
class BoardAdmin(GuardedModelAdmin):
    list_display = ["name", "slug", "fg_name", "fg_is_external"]
    list_filter = ["fg_is_external"]
    search_fields = ["name", "slug", "kvk_number", "fg_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SchoolInline]


@admin.register(School)
class SchoolAdmin(GuardedModelAdmin):
    list_display = ["name", "board", "brin", "sector", "director_name"]
    list_filter = ["sector", "board"]
    search_fields = ["name", "brin", "director_name"]
    list_select_related = ["board"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "board", "school"]
    list_filter = ["role", "board"]
    search_fields = ["user__email", "user__full_name", "board__name", "school__name"]
    list_select_related = ["user", "board", "school"]
    autocomplete_fields = ["user", "board", "school"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The audit log is read-only, also for the installation's administrator."""

    list_display = ["at", "action", "actor", "board", "ip_address"]
    list_filter = ["action", "board"]
    search_fields = ["action", "actor__email"]
    list_select_related = ["actor", "board"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
