from django.contrib import admin

from rights.models import PublicHoliday, RightsRequest, RightsRequestEvent


class EventInline(admin.TabularInline):
    model = RightsRequestEvent
    extra = 0
    readonly_fields = ["at"]


@admin.register(RightsRequest)
class RightsRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "board", "school", "status", "received_on", "deadline", "handler"]
    list_filter = ["board", "type", "status", "requester_role"]
    search_fields = ["requester_name", "concerns", "decision_motivation"]
    list_select_related = ["board", "school", "handler"]
    date_hierarchy = "received_on"
    inlines = [EventInline]


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    search_fields = ["name"]
