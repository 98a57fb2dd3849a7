"""Checklist templates for the process administrator (Django admin), low-code: templates, their
versions, sections and items are data. Only a draft is editable; a published or retired version
and everything in it are shown read-only. Creating, publishing and new drafts go through
workflows.inspection.checklists, whose refusals are shown as messages."""

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.admin_forms import AuditedChanges, ThaiAdmin, be_column

from . import checklists
from .admin_forms import (
    ChecklistItemForm,
    ChecklistSectionForm,
    ChecklistTemplateForm,
    ChecklistVersionForm,
    titled_filter,
)
from .errors import InspectionError
from .models import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
    Letterhead,
    OrderWording,
    VersionStatus,
)

PUBLISHED_AT = be_column("published_at", gettext_lazy("published"))


def labelled(name: str, label):
    """A list column of the field `name` headed `label` (the model's own label is shared with other
    models, e.g. "title (Thai)" is a position's title)."""

    @admin.display(description=label, ordering=name)
    def column(obj):
        return getattr(obj, name)

    column.__name__ = name
    return column


@admin.display(description=gettext_lazy("checklist template"), ordering="template__code")
def template_column(obj):
    return obj.template


@admin.display(description=gettext_lazy("published by"), ordering="published_by")
def publisher_column(obj):
    return obj.published_by or "—"


@admin.display(description=gettext_lazy("checklist version"), ordering="version")
def version_column(obj):
    return obj.version


def _stored_version(pk: int) -> ChecklistVersion:
    """The version as it is in the database now (not as a form may have changed it)."""
    return ChecklistVersion.objects.get(pk=pk)


class RefusalsAsMessages:
    """A service's refusal (InspectionError) becomes an error message on the same page, not a 500;
    the transaction of the request is rolled back first."""

    def _refused(self, request, error: InspectionError):
        self.message_user(request, error.message, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except InspectionError as error:
            return self._refused(request, error)

    def delete_view(self, request, *args, **kwargs):
        try:
            return super().delete_view(request, *args, **kwargs)
        except InspectionError as error:
            return self._refused(request, error)

    def changelist_view(self, request, *args, **kwargs):
        try:
            return super().changelist_view(request, *args, **kwargs)
        except InspectionError as error:
            return self._refused(request, error)


def _new_drafts(request, templates) -> HttpResponseRedirect | None:
    """Make a new draft of each template; open it when there is just one."""
    created = []
    for template in templates:
        try:
            created.append(checklists.version_new_draft(template=template, by=request.user))
        except InspectionError as error:
            messages.error(request, error.message)
    for version in created:
        messages.success(
            request, _("%(version)s was made as a draft; edit it, then publish it.") % {"version": version}
        )
    if len(created) == 1:
        return HttpResponseRedirect(reverse("admin:inspection_checklistversion_change", args=[created[0].pk]))
    return None


class VersionInline(admin.TabularInline):
    """The versions of a template, read-only: they are made and published by the actions."""

    model = ChecklistVersion
    form = ChecklistVersionForm
    fields = ("number", "status", "published_be", "published_by", "notes")
    readonly_fields = fields
    published_be = PUBLISHED_AT
    ordering = ("-number",)
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(RefusalsAsMessages, ThaiAdmin, admin.ModelAdmin):
    form = ChecklistTemplateForm
    list_display = (
        "code",
        labelled("title_th", gettext_lazy("checklist name (Thai)")),
        labelled("title_en", gettext_lazy("checklist name (English)")),
        "current",
        "version_list",
    )
    search_fields = ("code", "title_th", "title_en")
    fields = ("code", "title_th", "title_en", "description")
    inlines = [VersionInline]
    actions = ["make_new_draft"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("versions")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()

    @admin.display(description=gettext_lazy("in use"))
    def current(self, obj):
        published = [v for v in obj.versions.all() if v.status == VersionStatus.PUBLISHED]
        return f"v{published[0].number}" if published else "—"

    @admin.display(description=gettext_lazy("versions"))
    def version_list(self, obj):
        versions = sorted(obj.versions.all(), key=lambda v: -v.number)
        return ", ".join(f"v{v.number} {v.get_status_display()}" for v in versions) or "—"

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        version = checklists.checklist_create(
            code=obj.code, title_th=obj.title_th, title_en=obj.title_en, description=obj.description, by=request.user
        )
        obj.pk = version.template_id
        obj._state.adding = False

    @admin.action(description=gettext_lazy("Make a new draft version"), permissions=["change"])
    def make_new_draft(self, request, queryset):
        return _new_drafts(request, queryset)


class SectionInline(admin.TabularInline):
    model = ChecklistSection
    form = ChecklistSectionForm
    fields = ("order", "title_th", "title_en", "item_count")
    readonly_fields = ("item_count",)
    extra = 0
    show_change_link = True

    @admin.display(description=gettext_lazy("items"))
    def item_count(self, obj):
        return obj.items.count() if obj.pk else 0

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and obj is not None and obj.is_editable

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_editable)


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(RefusalsAsMessages, ThaiAdmin, admin.ModelAdmin):
    form = ChecklistVersionForm
    list_display = (template_column, "number", "status", "published_at", publisher_column, "items")
    list_filter = (
        "status",
        ("template", titled_filter(admin.RelatedFieldListFilter, gettext_lazy("checklist template"))),
    )
    list_select_related = ("template", "published_by")
    fields = ("template", "number", "status", "notes", "published_be", "published_by")
    always_readonly = ("template", "number", "status", "published_be", "published_by")
    published_be = PUBLISHED_AT
    inlines = [SectionInline]
    actions = ["publish", "make_new_draft"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("sections__items"))

    @admin.display(description=gettext_lazy("items"), ordering="item_count")
    def items(self, obj):
        return obj.item_count

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return self.fields
        return self.always_readonly

    def has_add_permission(self, request):
        return False  # versions come from a new template or from "Make a new draft version"

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_editable)

    def save_model(self, request, obj, form, change):
        if change:
            checklists.ensure_editable(_stored_version(obj.pk))
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        checklists.ensure_editable(_stored_version(form.instance.pk))
        super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        checklists.ensure_editable(_stored_version(obj.pk))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for version in queryset:
            checklists.ensure_editable(version)
        super().delete_queryset(request, queryset)

    @admin.action(description=gettext_lazy("Publish"), permissions=["change"])
    def publish(self, request, queryset):
        for version in queryset.select_related("template").order_by("template", "number"):
            try:
                checklists.version_publish(version=version, by=request.user)
            except InspectionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("%(version)s is published.") % {"version": version})

    @admin.action(description=gettext_lazy("Make a new draft version"), permissions=["change"])
    def make_new_draft(self, request, queryset):
        templates = ChecklistTemplate.objects.filter(pk__in=queryset.values("template")).order_by("code")
        return _new_drafts(request, templates)


class ItemInline(admin.StackedInline):
    """An item, one block each (a row of seventeen columns does not fit a screen): its choices and
    non-compliant answers are typed one per line, never as JSON (ChecklistItemForm)."""

    model = ChecklistItem
    form = ChecklistItemForm
    fieldsets = (
        (None, {"fields": (("order", "code", "answer_type"), "question_th", "question_en")}),
        (gettext_lazy("Answers"), {"fields": ("choices", "noncompliant_answers")}),
        (
            gettext_lazy("Numbers"),
            {"fields": (("unit", "compliant_min", "compliant_max"), ("reported_field", "tolerance_pct"))},
        ),
        (gettext_lazy("When non-compliant"), {"fields": (("severity", "weight", "photo_required"),)}),
        (gettext_lazy("Guide for the inspector"), {"fields": ("legal_ref", "guidance")}),
    )
    extra = 0

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and obj is not None and obj.version.is_editable

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.version.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.version.is_editable)


@admin.register(ChecklistSection)
class ChecklistSectionAdmin(RefusalsAsMessages, ThaiAdmin, admin.ModelAdmin):
    form = ChecklistSectionForm
    list_display = (labelled("title_th", gettext_lazy("section name (Thai)")), version_column, "order", "items")
    list_filter = (
        ("version__status", titled_filter(admin.ChoicesFieldListFilter, gettext_lazy("version status"))),
        ("version__template", titled_filter(admin.RelatedFieldListFilter, gettext_lazy("checklist template"))),
    )
    list_select_related = ("version__template",)
    search_fields = ("title_th", "title_en", "items__code", "items__question_th")
    fields = ("version", "order", "title_th", "title_en")
    inlines = [ItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description=gettext_lazy("items"), ordering="item_count")
    def items(self, obj):
        return obj.item_count

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return self.fields if not obj.version.is_editable else ("version",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = ChecklistVersion.objects.filter(status=VersionStatus.DRAFT).select_related("template")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.version.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.version.is_editable)

    def save_model(self, request, obj, form, change):
        if change:
            checklists.ensure_editable(ChecklistSection.objects.select_related("version").get(pk=obj.pk).version)
        checklists.ensure_editable(_stored_version(obj.version_id))
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        checklists.ensure_editable(_stored_version(form.instance.version_id))
        super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        checklists.ensure_editable(_stored_version(obj.version_id))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for section in queryset.select_related("version"):
            checklists.ensure_editable(section.version)
        super().delete_queryset(request, queryset)


@admin.register(OrderWording)
class OrderWordingAdmin(AuditedChanges, ThaiAdmin, admin.ModelAdmin):
    """What each kind of order's letter says: subject, legal basis, appeal clause, delegation line."""

    list_display = ("kind", "subject")
    fields = ("kind", "subject", "legal_basis", "appeal", "delegated_from")


@admin.register(Letterhead)
class LetterheadAdmin(AuditedChanges, ThaiAdmin, admin.ModelAdmin):
    """The emblem (the Garuda, on the ministry's row) and each office's address and contact block."""

    list_display = ("unit", "phone", "email")
    list_select_related = ("unit",)
    fields = ("unit", "emblem", "address", "section", "phone", "fax", "email")
