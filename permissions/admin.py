"""Grants in the admin are shown, never edited: who may do what follows from the positions people hold
(permissions.grants recomputes the guardian rows when the organisation changes). Django's groups and
hand-set permissions are not used, and a person's API token is made by its owner (POST /api/v1/token/),
never handed out here: a token made for someone else lets its maker act as them (a service account's
token is issued in its own admin, api/admin). Revoking a token is allowed and enters the audit chain
of its owner.

The log-in locks of django-axes are shown here too, in Thai and the Buddhist era (axes has no Thai and
names its app "Axes"); deleting an attempt unlocks that user name, as axes intends."""

from axes import admin as axes_admin  # registers axes' admins first, so that they can be replaced
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from org.admin_forms import ShownOnly, ThaiAdmin
from org.calendar import format_be
from org.models import Unit
from workflows import audit

from .grants import CODENAMES
from .models import UnitUserObjectPermission

admin.site.unregister(Group)
admin.site.unregister(TokenProxy)


@admin.register(Group)
class ReadOnlyGroupAdmin(ShownOnly, GroupAdmin):
    actions = None


@admin.register(TokenProxy)
class RevocableTokenAdmin(ThaiAdmin, TokenAdmin):
    """Who has an API token and since when; the key itself is never shown."""

    list_display = ("user", "created")
    fields = ("user", "created")
    readonly_fields = ("user", "created")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        audit.record(
            subject=obj.user, action="admin.token.revoke", label=_("API token revoked in the admin"), by=request.user,
            after={"token_created": obj.created},
        )  # fmt: skip
        super().delete_model(request, obj)


class RightFilter(admin.SimpleListFilter):
    title = _("right")
    parameter_name = "right"

    def lookups(self, request, model_admin):
        names = dict(Unit._meta.permissions)
        return [(code, names[code]) for code in CODENAMES]

    def queryset(self, request, queryset):
        return queryset.filter(permission__codename=self.value()) if self.value() else queryset


@admin.register(UnitUserObjectPermission)
class GrantAdmin(ShownOnly, admin.ModelAdmin):
    """The grants computed from the organisation, for looking up why someone sees an office."""

    list_display = ("person", "right", "content_object")
    list_filter = (RightFilter,)
    list_select_related = ("user", "permission", "content_object")
    search_fields = ("user__username", "user__first_name", "user__last_name", "content_object__name_th")
    actions = None

    @admin.display(description=_("person"), ordering="user__username")
    def person(self, obj):
        return obj.user

    @admin.display(description=_("right"), ordering="permission__codename")
    def right(self, obj):
        return gettext(obj.permission.name)  # stored in English, the msgid of the permission's name


apps.get_app_config("axes").verbose_name = _("Login locks")


class LoginLockAdmin(ThaiAdmin):
    """Each row named by who tried, from where and when (axes names it in English with a Christian-era
    timestamp); no date drill-down, whose years would read in the Christian era."""

    date_hierarchy = None

    def action_checkbox(self, obj):
        label = format_html(gettext("Select this object for an action - {}"), self.named(obj))
        checkbox = forms.CheckboxInput({"class": "action-select", "aria-label": label}, lambda value: False)
        return checkbox.render(admin.helpers.ACTION_CHECKBOX_NAME, str(obj.pk))

    def named(self, obj) -> str:
        return f"{obj.username or '—'} · {obj.ip_address or '—'} · {format_be(obj.attempt_time)}"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["subtitle"] = self.named(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


for model in (AccessAttempt, AccessLog, AccessFailureLog):
    admin.site.unregister(model)


@admin.register(AccessAttempt)
class LockAttemptAdmin(LoginLockAdmin, axes_admin.AccessAttemptAdmin):
    @admin.display(description=_("status"))
    def status(self, obj):
        return super().status(obj)

    @admin.display(description=_("Expires At"))
    def expiration(self, obj):
        return format_be(obj.expiration.expires_at) if hasattr(obj, "expiration") else _("Not set")


@admin.register(AccessLog)
class LoginLogAdmin(LoginLockAdmin, axes_admin.AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class LoginFailureAdmin(LoginLockAdmin, axes_admin.AccessFailureLogAdmin):
    pass
