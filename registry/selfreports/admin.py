"""Configuration without code: report kinds and their fields, and who operates which factory (both
audited). Filed reports are read-only here (they change only through the filing service, which keeps
every revision)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from org.admin_forms import AuditedChanges, ThaiAdmin

from ..models import FactoryType
from .models import FactoryOperator, ReportField, ReportKind, SelfReport


class ReportKindForm(forms.ModelForm):
    """Which factory types must file: ticked, never typed as JSON; stored as the same list of numbers."""

    factory_types = forms.TypedMultipleChoiceField(
        label=_("factory types that must file"),
        choices=FactoryType.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every factory type files this report."),
    )

    class Meta:
        model = ReportKind
        fields = ("code", "form_ref", "name_th", "name_en", "frequency", "due_days", "factory_types", "active", "order")

    def clean_factory_types(self):
        return sorted(set(self.cleaned_data["factory_types"]))


class ReportFieldInline(admin.TabularInline):
    model = ReportField
    extra = 0
    fields = ("order", "key", "label_th", "label_en", "unit", "value_type", "min_value", "max_value", "required")


@admin.register(ReportKind)
class ReportKindAdmin(AuditedChanges, ThaiAdmin, admin.ModelAdmin):
    form = ReportKindForm
    list_display = ("code", "form_ref", "name_th", "frequency", "due_days", "types", "active")
    list_filter = ("frequency", "active")
    inlines = [ReportFieldInline]

    @admin.display(description=_("factory types that must file"))
    def types(self, obj):
        if not obj.factory_types:
            return _("Every factory type")
        return ", ".join(str(FactoryType(t).label) for t in obj.factory_types if t in FactoryType.values)


@admin.register(FactoryOperator)
class FactoryOperatorAdmin(AuditedChanges, ThaiAdmin, admin.ModelAdmin):
    """Who operates which factory is a grant (an operator sees that factory's results): every add,
    change and delete here enters the audit chain."""

    list_display = ("person", "factory", "created_at")
    search_fields = ("person__username", "person__first_name", "factory__name", "factory__reg_no")
    raw_id_fields = ("person", "factory")


@admin.register(SelfReport)
class SelfReportAdmin(ThaiAdmin, admin.ModelAdmin):
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
