"""Configuration without code: report kinds and their fields, and who operates which factory. Filed
reports are read-only here (they change only through the filing service, which keeps every revision)."""

from django.contrib import admin

from .models import FactoryOperator, ReportField, ReportKind, SelfReport


class ReportFieldInline(admin.TabularInline):
    model = ReportField
    extra = 0
    fields = ("order", "key", "label_th", "label_en", "unit", "value_type", "min_value", "max_value", "required")


@admin.register(ReportKind)
class ReportKindAdmin(admin.ModelAdmin):
    list_display = ("code", "form_ref", "name_th", "frequency", "due_days", "factory_types", "active")
    list_filter = ("frequency", "active")
    inlines = [ReportFieldInline]


@admin.register(FactoryOperator)
class FactoryOperatorAdmin(admin.ModelAdmin):
    list_display = ("person", "factory", "created_at")
    search_fields = ("person__username", "person__first_name", "factory__name", "factory__reg_no")
    raw_id_fields = ("person", "factory")


@admin.register(SelfReport)
class SelfReportAdmin(admin.ModelAdmin):
    list_display = ("factory", "kind", "period_start", "revision", "is_current", "first_filed_at", "channel")
    list_filter = ("kind", "is_current", "channel")
    search_fields = ("factory__name", "factory__reg_no")
    list_select_related = ("factory", "kind")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
