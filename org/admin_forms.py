"""Shared pieces of our admin screens, mixed into every ModelAdmin of ours as `ThaiAdmin`: dates shown
in the Buddhist era and typed as day/month/BE year (`BuddhistEraDates`) and a record's history in the
reader's language (`ThaiHistory`); and, where the admin changes data people are judged by (the
organisation, who operates a factory), every change written to the audit chain of the record it
changes, with before and after (`AuditedChanges`)."""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from workflows import audit

from .calendar import format_be
from .forms import BEDateField

ADDED = _("Added in the admin")
EDITED = _("Edited in the admin")
DELETED = _("Deleted in the admin")
SECRET = {"password"}  # never copied into the audit trail


class ShownOnly:
    """An admin (or inline) that shows its rows and never adds, edits or deletes them: workflow state
    (changed by the flows, whose services write the audit chain), grants (computed from the
    organisation), the steps nobody may hold (read from the tasks)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def be_column(name: str, label) -> callable:
    """A list column (or, as an attribute of a ModelAdmin, a read-only field) showing the date field
    `name` in the Buddhist era."""

    @admin.display(description=label, ordering=name)
    def column(*args):  # (obj) as a list column, (model_admin, obj) as a method
        return format_be(getattr(args[-1], name)) or "—"

    column.__name__ = f"{name}_be"
    return column


class BuddhistEraDates:
    """Date fields are typed as 25/03/2567 and date columns read 25 มี.ค. 2567 (the admin's own
    calendar widget and list formats would show the Christian era)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
            return db_field.formfield(form_class=BEDateField, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_list_display(self, request):
        return [self._be(name) for name in super().get_list_display(request)]

    def _be(self, name):
        if not isinstance(name, str):
            return name
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:  # a method or attribute of the admin or model
            return name
        if isinstance(field, models.DateField):
            return be_column(name, field.verbose_name)
        return name


def _source_label(form, name: str) -> str:
    """The untranslated label of a form field: the model field's verbose name (Django's capitalised
    copy of it has no translation), else the form's own label. Call with translation off."""
    label = form.fields[name].label
    try:
        verbose = form._meta.model._meta.get_field(name).verbose_name
    except (FieldDoesNotExist, AttributeError):
        verbose = None
    if verbose is not None and str(label) == capfirst(str(verbose)):
        return str(verbose)
    return str(label or name)


class ThaiHistory:
    """The admin's history of a record ("Changed name and levels.") names the fields by their
    untranslated labels, translated when read: Django stores capitalised labels ("Name"), which have
    no translation, so the history read in English whatever the language."""

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        forms = [form, *(f for formset in formsets or () for f in formset.forms)]
        sources = {}
        with translation.override(None):
            for each in forms:
                for name in each.changed_data:
                    if name in each.fields:
                        sources[str(each.fields[name].label or name)] = _source_label(each, name)
        for part in message:
            changed = part.get("changed", {})
            if "fields" in changed:
                changed["fields"] = [sources.get(label, label) for label in changed["fields"]]
        return message


class ThaiAdmin(ThaiHistory, BuddhistEraDates):
    """What every ModelAdmin of ours mixes in: Buddhist-era dates and a history in the reader's language."""


def audit_state(obj: models.Model, names) -> dict:
    """The named fields of `obj` as the audit stores them; a many-to-many field as its sorted pks."""
    plain = [n for n in names if not obj._meta.get_field(n).many_to_many]
    state = audit.snapshot(obj, plain)
    for name in names:
        if name not in plain:
            state[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
    return state


class AuditedChanges:
    """Every add, edit and delete saved in the admin enters the hash-chained audit trail of the record
    (chain `<model>:<pk>`), with the fields the form changed before and after, and who did it.

    The entry is written in the request's transaction, after the related (many-to-many) data is saved,
    so a failed save leaves no entry and a failed entry saves nothing."""

    audit_action = "admin"

    def _audited_fields(self, form, change: bool) -> list[str]:
        """An edit records the fields the form changed; an add records every field of the form."""
        fields = {f.name for f in self.model._meta.get_fields() if f.concrete or f.many_to_many}
        names = form.changed_data if change else list(form.fields)
        return [name for name in names if name in fields and name not in SECRET]

    def save_model(self, request, obj, form, change):
        names = self._audited_fields(form, change)
        stored = type(obj).objects.get(pk=obj.pk) if change else None
        form._audit_before = audit_state(stored, names) if stored is not None else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj, names = form.instance, self._audited_fields(form, change)
        audit.record_changes(
            subject=obj, before=getattr(form, "_audit_before", {}), after=audit_state(obj, names), by=request.user,
            action=f"{self.audit_action}.{obj._meta.model_name}.{'edit' if change else 'add'}",
            label=EDITED if change else ADDED,
        )  # fmt: skip

    def delete_model(self, request, obj):
        names = [f.name for f in obj._meta.concrete_fields if not f.primary_key and f.name not in SECRET]
        audit.record(
            subject=obj, action=f"{self.audit_action}.{obj._meta.model_name}.delete", label=DELETED, by=request.user,
            before=audit_state(obj, names),
        )  # fmt: skip
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
