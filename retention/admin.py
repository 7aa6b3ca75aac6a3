from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from retention.models import RetentionException, RetentionRule


class RetentionExceptionInline(admin.TabularInline):
    model = RetentionException
    extra = 0


@admin.register(RetentionRule)
class RetentionRuleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "board", "period_display", "start_event", "action", "legal_source"]
    list_filter = ["board", "start_event", "action", "period_unit"]
    search_fields = ["name", "legal_source", "note"]
    list_select_related = ["board"]
    filter_horizontal = ["activities", "data_categories"]
    inlines = [RetentionExceptionInline]
