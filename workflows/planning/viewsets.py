"""The planning application: risk scores of factories, the quarterly plans and the flow's task URLs."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from viewflow.urls import Application

from permissions import access
from workflows.viewsets import ScopedFlowViewset

from . import views
from .flows import PlanFlow


class PlanningApp(Application):
    title = _("Inspection planning")
    icon = "event_note"
    app_name = "planning"
    base_template_name = "kamkap/base_page.html"
    viewsets = [ScopedFlowViewset(PlanFlow, app_name="flow", home="planning:list")]

    def has_view_permission(self, user, obj=None):
        return access.can_anywhere(user, "view")

    @property
    def index_path(self):
        return path("", RedirectView.as_view(pattern_name="planning:list"), name="index")

    list_path = path("plans/", views.PlanListView.as_view(), name="list")
    generate_path = path("plans/generate/", views.GenerateView.as_view(), name="generate")
    capacity_path = path("plans/capacity/", views.CapacityView.as_view(), name="capacity")
    plan_path = path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan")
    item_add_path = path("plans/<int:pk>/add/", views.ItemAddView.as_view(), name="item_add")
    item_remove_path = path("plans/<int:pk>/remove/<int:item_pk>/", views.ItemRemoveView.as_view(), name="item_remove")
    risk_path = path("risk/", views.RiskListView.as_view(), name="risk")
    why_path = path("risk/<int:factory_pk>/", views.RiskWhyView.as_view(), name="why")
