"""Registry screens on Viewflow's viewsets. Every list and object check asks permissions.access."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.forms import Layout, Row
from viewflow.urls import Application, DetailViewMixin, ModelViewset
from viewflow.views import Action, CreateModelView, DetailModelView, UpdateModelView

from permissions import access, operators

from . import views
from .errors import RegistryError
from .forms import FactoryForm
from .models import Factory
from .results import ResultViewset
from .selfreports import selectors as selfreport_selectors
from .selfreports.viewsets import SelfReportViewset
from .services import factory_create, factory_update


class ServiceFormMixin:
    """Create/update through the registry service; its errors become form errors."""

    def save_with_service(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.save_with_service(form)
        except RegistryError as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved %(factory)s.") % {"factory": self.object})
        return redirect(self.object.get_absolute_url())


class FactoryCreateView(ServiceFormMixin, CreateModelView):
    def save_with_service(self, form):
        return factory_create(by=self.request.user, data=form.cleaned_data)


class FactoryUpdateView(ServiceFormMixin, UpdateModelView):
    def save_with_service(self, form):
        return factory_update(factory=self.object, by=self.request.user, data=form.cleaned_data)


class FactoryDetailView(DetailModelView):
    template_name = "registry/factory_detail.html"

    def get_queryset(self):
        return access.visible(
            self.request.user, Factory.objects.select_related("province", "district", "sub_district", "office")
        )

    def get_context_data(self, **kwargs):
        can_change = access.can(self.request.user, "change", self.object)
        from workflows.inspection.crosscheck import discrepancy_counts
        from workflows.planning.models import RiskScore

        reports = selfreport_selectors.factory_reports(self.object)[:12]
        return super().get_context_data(
            can_change=can_change, self_reports=reports, risk=RiskScore.objects.filter(factory=self.object).first(),
            discrepancies=discrepancy_counts([self.object.pk]).get(self.object.pk, 0), **kwargs,
        )  # fmt: skip


class FactoryViewset(DetailViewMixin, ModelViewset):
    model = Factory
    icon = "factory"
    title = _("Factories")
    form_class = FactoryForm
    form_layout = Layout(
        Row("reg_no", "factory_type", "category_code"),
        "name",
        Row("operator", "jurisdiction", "status"),
        "address",
        Row("province", "district", "sub_district"),
        Row("latitude", "longitude"),
        Row("machinery_hp", "workers"),
        Row("licence_issued_on", "operating_since"),
    )
    create_view_class = FactoryCreateView
    update_view_class = FactoryUpdateView
    detail_view_class = FactoryDetailView
    list_columns = ("reg_no", "name", "factory_type", "province", "district", "status")
    list_filter_fields = ("status", "factory_type", "jurisdiction", "province")
    list_search_fields = ("reg_no", "name", "operator")
    list_paginate_by = 25

    def get_queryset(self, request):
        return access.visible(request.user, Factory.objects.select_related("province", "district"))

    def has_view_permission(self, user, obj=None):
        if obj is None:
            return access.can_anywhere(user, "view")
        return access.can(user, "view", obj)

    def has_change_permission(self, user, obj=None):
        if obj is None:
            return access.can_anywhere(user, "change")
        return access.can(user, "change", obj)

    def has_add_permission(self, user):
        return access.can_anywhere(user, "change")

    def has_delete_permission(self, user, obj=None):
        return False

    def get_list_page_actions(self, request, *actions):
        if access.can_anywhere(request.user, "change"):
            actions = (Action(name=_("Import CSV"), url="import/", icon="upload_file"), *actions)
        return super().get_list_page_actions(request, *actions)

    @property
    def import_path(self):
        return path("import/", views.ImportCreateView.as_view(viewset=self), name="import")

    @property
    def import_detail_path(self):
        return path("import/<int:pk>/", views.ImportDetailView.as_view(viewset=self), name="import_detail")


class RegistryApp(Application):
    title = _("Factory registry")
    icon = "factory"
    app_name = "registry"
    base_template_name = "kamkap/base_page.html"
    viewsets = [
        FactoryViewset(app_name="factory"),
        SelfReportViewset(app_name="selfreports"),
        ResultViewset(app_name="results"),
    ]

    def has_view_permission(self, user, obj=None):
        return access.can_anywhere(user, "view") or operators.is_operator(user)
