"""Organisation screens for the process administrator (Django admin). Saving an assignment here
recomputes the grants of the people concerned, as the org services do, and every add, edit and
delete of a person, holding, acting assignment, position or unit enters the audit chain."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from permissions import grants

from .admin_forms import AuditedChanges, ThaiAdmin, be_column
from .models import ActingAssignment, ClosureDay, Holding, Person, Position, Unit
from .services import overlapping


class PeriodForm(forms.ModelForm):
    """One holder (or one acting person) per position at a time."""

    def clean(self):
        data = super().clean()
        position, start, end = data.get("position"), data.get("start"), data.get("end")
        if position and start:
            others = type(self.instance).objects.filter(position=position).exclude(pk=self.instance.pk)
            if overlapping(others, start, end):
                raise forms.ValidationError(_("Someone else fills this position in that period."))
        return data


class OrgAdmin(AuditedChanges, ThaiAdmin, admin.ModelAdmin):
    audit_action = "admin.org"


class PeriodAdmin(OrgAdmin):
    form = PeriodForm
    list_display = ("person", "position", "start", "end")
    list_filter = ("position__kind",)
    search_fields = ("person__username", "person__first_name", "person__last_name", "position__title_th")
    autocomplete_fields = ("person", "position")

    def save_model(self, request, obj, form, change):
        previous = type(obj).objects.filter(pk=obj.pk).values_list("person", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        grants.sync_for_person(obj.person)
        if previous and previous != obj.person_id:
            grants.sync_for_person(Person.objects.get(pk=previous))

    def delete_model(self, request, obj):
        person = obj.person
        super().delete_model(request, obj)
        grants.sync_for_person(person)


@admin.register(Holding)
class HoldingAdmin(PeriodAdmin):
    pass


@admin.register(ActingAssignment)
class ActingAssignmentAdmin(PeriodAdmin):
    list_display = ("person", "kind", "position", "start", "end", "order_ref")


@admin.register(Position)
class PositionAdmin(OrgAdmin):
    list_display = ("title_th", "kind", "unit")
    list_filter = ("kind",)
    search_fields = ("title_th", "title_en")
    filter_horizontal = ("oversees",)
    autocomplete_fields = ("unit",)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        grants.sync_for_position(form.instance)


@admin.register(Unit)
class UnitAdmin(OrgAdmin):
    list_display = ("code", "name_th", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name_th", "name_en")


@admin.register(Person)
class PersonAdmin(OrgAdmin):
    list_display = ("username", "title_th", "first_name", "last_name", "is_active")
    search_fields = ("username", "first_name", "last_name")
    # Grants follow from the positions a person holds (permissions.grants), never from groups or
    # permissions set by hand; who is staff or superuser is set on the server (createsuperuser), not
    # in a form a process administrator can reach: these are shown, never edited here.
    fields = (
        "username", "title_th", "first_name", "last_name", "email", "is_active", "is_superuser", "is_staff",
        "last_login_be", "date_joined_be",
    )  # fmt: skip
    readonly_fields = ("is_superuser", "is_staff", "last_login_be", "date_joined_be")
    last_login_be = be_column("last_login", gettext_lazy("last login"))
    date_joined_be = be_column("date_joined", gettext_lazy("date joined"))


@admin.register(ClosureDay)
class ClosureDayAdmin(OrgAdmin):
    """Days the offices do not work besides weekends and public holidays (org.workdays): the extra
    days the cabinet announces (no office: the whole ministry) and an office's own closures."""

    list_display = ("day_be", "name", "office")
    list_filter = ("office",)
    fields = ("day", "name", "office")
    autocomplete_fields = ("office",)
    day_be = be_column("day", gettext_lazy("day"))
