from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from breaches.models import Breach, BreachEvent, BreachMeasure


class MeasureInline(admin.TabularInline):
    model = BreachMeasure
    extra = 0


class EventInline(admin.TabularInline):
    model = BreachEvent
    extra = 0
    readonly_fields = ["at", "actor", "kind", "description"]
    can_delete = False


@admin.register(Breach)
class BreachAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "board", "status", "aware_at"]
    list_filter = ["status", "source"]
    readonly_fields = ["number", "reported_at"]
    inlines = [MeasureInline, EventInline]
