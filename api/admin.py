"""Service accounts and API tokens in the Thai admin. The administrator registers another system as a
service account (it gets a person of its own that cannot log in; its scope is the position the
administrator appoints that person to, like anyone's) and issues its tokens here, with their scopes:
the key is shown once, on saving. A person's token is made by its owner (POST /api/v1/token/), never
here (a token made for someone else lets its maker act as them). Any token can be revoked here;
issuing and revoking enter the audit chain of the token's owner."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from org.admin_forms import ThaiAdmin
from workflows import audit

from . import tokens
from .models import ApiToken, ServiceAccount

ISSUED = _("API token issued in the admin")
REVOKED = _("API token revoked in the admin")


@admin.register(ServiceAccount)
class ServiceAccountAdmin(ThaiAdmin, admin.ModelAdmin):
    list_display = ("name", "person", "created_at")
    fields = ("name", "note", "person")
    readonly_fields = ("person",)
    search_fields = ("name",)

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if not change:  # its own person, without a usable password
            person = get_user_model()(username=f"svc-{slugify(obj.name)[:100] or 'system'}", first_name=obj.name[:150])
            person.set_unusable_password()
            person.save()
            obj.person = person
        super().save_model(request, obj, form, change)


class TokenIssueForm(forms.ModelForm):
    service_account = forms.ModelChoiceField(ServiceAccount.objects.order_by("name"), label=_("service account"))
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=list(tokens.SCOPES.items()), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiToken
        fields = ("name",)


@admin.register(ApiToken)
class ApiTokenAdmin(ThaiAdmin, admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "scopes", "created_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "name", "prefix")
    actions = ["revoke"]
    readonly = ("prefix", "user", "name", "scopes", "created_at", "expires_at", "revoked_at", "revoked_by")

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = TokenIssueForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ("service_account", "name", "scopes") if obj is None else self.readonly

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)  # the list; a token is shown only

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the record of who held a key stays

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        account = form.cleaned_data["service_account"]
        token, key = tokens.token_issue(
            user=account.person, scopes=form.cleaned_data["scopes"], name=form.cleaned_data["name"]
        )
        obj.pk, obj.prefix, obj.user = token.pk, token.prefix, account.person
        audit.record(
            subject=account.person, action="admin.apitoken.issue", label=ISSUED, by=request.user,
            after={"token": token.prefix, "scopes": token.scopes, "expires_at": token.expires_at},
        )  # fmt: skip
        message = gettext("The key of %(account)s (shown only now; give it to the system): %(key)s")
        messages.warning(request, message % {"account": account.name, "key": key})

    def save_related(self, request, form, formsets, change):
        pass  # the token was saved by the service

    def log_addition(self, request, obj, message):
        pass  # the audit chain holds it (and obj is not the saved row)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = 0
        with transaction.atomic():
            for token in queryset.select_related("user"):
                if tokens.token_revoke(token=token, by=request.user):
                    count += 1
                    audit.record(
                        subject=token.user, action="admin.apitoken.revoke", label=REVOKED, by=request.user,
                        after={"token": token.prefix},
                    )  # fmt: skip
        self.message_user(request, gettext("%(count)d token(s) revoked.") % {"count": count})
