from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from processing import models


class VocabularyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "board"]
    list_filter = ["board"]
    search_fields = ["name", "description"]
    list_select_related = ["board"]


admin.site.register(models.DataSubjectGroup, VocabularyAdmin)
admin.site.register(models.DataSource, VocabularyAdmin)
admin.site.register(models.StaffRole, VocabularyAdmin)


@admin.register(models.DataCategory)
class DataCategoryAdmin(VocabularyAdmin):
    list_display = ["name", "kind", "special_type", "board"]
    list_filter = ["kind", "special_type", "board"]


@admin.register(models.SecurityMeasure)
class SecurityMeasureAdmin(VocabularyAdmin):
    list_display = ["name", "kind", "board"]
    list_filter = ["kind", "board"]


@admin.register(models.Recipient)
class RecipientAdmin(VocabularyAdmin):
    list_display = ["name", "kind", "product", "in_eea", "dpa_status", "dpa_valid_until", "board"]
    list_filter = ["kind", "in_eea", "dpa_status", "dpa_uses_sector_model", "board"]
    search_fields = ["name", "product", "description"]


class ActivityInline(admin.TabularInline):
    extra = 0


class PurposeInline(ActivityInline):
    model = models.Purpose


class DossierInline(ActivityInline):
    model = models.Dossier


class DataCategoryInline(ActivityInline):
    model = models.ActivityDataCategory


class SourceInline(ActivityInline):
    model = models.ActivitySource


class RecipientInline(ActivityInline):
    model = models.ActivityRecipient


class TransferInline(ActivityInline):
    model = models.Transfer


class StaffAccessInline(ActivityInline):
    model = models.StaffAccess


class CookieInline(ActivityInline):
    model = models.Cookie


class CommentInline(ActivityInline):
    model = models.Comment
    readonly_fields = ["created_at"]


@admin.register(models.ProcessingActivity)
class ProcessingActivityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "board", "status", "applies_to_all_schools", "next_review_on"]
    list_filter = [
        "status",
        "board",
        "applies_to_all_schools",
        "dpia_required",
        "purposes__legal_basis",
        "subject_groups__name",
    ]
    search_fields = ["name", "description", "purposes__description"]
    list_select_related = ["board"]
    filter_horizontal = ["schools", "subject_groups", "processors", "security_measures"]
    raw_id_fields = ["owner", "approved_by"]
    inlines = [
        PurposeInline,
        DossierInline,
        DataCategoryInline,
        SourceInline,
        RecipientInline,
        TransferInline,
        StaffAccessInline,
        CookieInline,
        CommentInline,
    ]


@admin.register(models.StatementVersion)
class StatementVersionAdmin(admin.ModelAdmin):
    """Published statements are immutable: the admin shows them but cannot change them."""

    list_display = ["__str__", "board", "school", "number", "published_at", "published_by"]
    list_filter = ["board"]
    search_fields = ["school__name", "board__name", "change_summary"]
    list_select_related = ["board", "school", "published_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(models.RegisterExport)
class RegisterExportAdmin(admin.ModelAdmin):
    list_display = ["board", "format", "exported_at", "exported_by", "activity_count", "status"]
    exclude = ["content"]
    list_filter = ["board", "format"]
    list_select_related = ["board", "exported_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
