"""Configuration for the process administrator: each fiscal year's quarterly disbursement targets
and behind-plan threshold and escalation delay (data, no code)."""

from django.contrib import admin

from org.admin_forms import AuditedChanges, ThaiAdmin

from .models import FiscalYearTarget


@admin.register(FiscalYearTarget)
class FiscalYearTargetAdmin(AuditedChanges, ThaiAdmin, admin.ModelAdmin):
    list_display = ("fiscal_year", "q1", "q2", "q3", "q4", "threshold", "escalate_after_days", "updated_at")
    ordering = ("-fiscal_year",)
