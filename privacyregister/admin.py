from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin

from privacyregister import audit, services
from privacyregister.models import Board, Membership, School, SecurityEvent, User


class LogsRemovedRoles(admin.ModelAdmin):
    """Deleting objects here can take roles with it; the board's log records each one, with the
    administrator as actor. `roles_through` leads from a Membership to the deleted objects."""

    roles_through: str

    def delete_model(self, request, obj) -> None:
        self._log_removed_roles(request, type(obj).objects.filter(pk=obj.pk))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset: QuerySet) -> None:
        self._log_removed_roles(request, queryset)
        super().delete_queryset(request, queryset)

    def _log_removed_roles(self, request, queryset: QuerySet) -> None:
        removed = Membership.objects.filter(**{f"{self.roles_through}__in": queryset})
        for membership in removed.select_related("user", "board"):
            audit.record_membership("membership.deleted", membership, actor=request.user)


@admin.register(User)
class UserAdmin(LogsRemovedRoles, DjangoUserAdmin):
    roles_through = "user"
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
    readonly_fields = ["set_up_at"]
    inlines = [SchoolInline]

    def save_model(self, request, obj: Board, form, change: bool) -> None:
        """A board added here starts like one made on the product page (services.board_setup)."""
        super().save_model(request, obj, form, change)
        if not change:
            services.board_setup(board=obj)
            audit.record(
                "board.created", actor=request.user, board=obj, name=obj.name, slug=obj.slug
            )


# guardian annotates change_form_template as an instance str, django-stubs as a ClassVar: the
# two libraries' annotations disagree, the value is fine.
@admin.register(School)
class SchoolAdmin(LogsRemovedRoles, GuardedModelAdmin):  # type: ignore[misc]
    roles_through = "school"
    list_display = ["name", "board", "brin", "sector", "director_name"]
    list_filter = ["sector", "board"]
    search_fields = ["name", "brin", "director_name"]
    list_select_related = ["board"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(LogsRemovedRoles, admin.ModelAdmin):
    list_display = ["user", "role", "board", "school", "created_at"]
    list_filter = ["role", "board"]
    search_fields = ["user__email", "user__full_name", "board__name", "school__name"]
    list_select_related = ["user", "board", "school"]
    autocomplete_fields = ["user", "board", "school"]
    readonly_fields = ["created_at"]
    roles_through = "pk"

    def save_model(self, request, obj: Membership, form, change: bool) -> None:
        """Log the role given; a changed role is logged as the old one taken, the new given."""
        before = (
            Membership.objects.select_related("user", "board").get(pk=obj.pk) if change else None
        )
        what = ("user_id", "board_id", "role", "school_id")
        if before and all(getattr(before, f) == getattr(obj, f) for f in what):
            super().save_model(request, obj, form, change)
            return
        if before and (before.user_id, before.board_id) != (obj.user_id, obj.board_id):
            obj.created_at = timezone.now()  # someone else's role, or another board's
        super().save_model(request, obj, form, change)
        if before:
            audit.record_membership("membership.deleted", before, actor=request.user)
        audit.record_membership("membership.created", obj, actor=request.user)


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
