"""The complaints application for the office: a scoped list, a complaint page and the flow's task
URLs. Viewflow's stock dashboard and lists are left out (not scoped per office: VIEWFLOW.md trap 2)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from viewflow.urls import Application

from permissions import access
from workflows.viewsets import ScopedFlowViewset

from . import views
from .flows import ComplaintFlow


class ComplaintApp(Application):
    """Mounted at /complaints/ (namespace "complaints"); the public pages live at /complaint/."""

    title = _("Complaints")
    icon = "campaign"
    app_name = "complaints"
    base_template_name = "kamkap/base_page.html"
    viewsets = [ScopedFlowViewset(ComplaintFlow, app_name="flow", home="complaints:list")]

    def has_view_permission(self, user, obj=None):
        return access.can_anywhere(user, "view")

    @property
    def index_path(self):
        return path("", RedirectView.as_view(pattern_name="complaints:list"), name="index")

    list_path = path("list/", views.ComplaintListView.as_view(), name="list")
    detail_path = path("<int:pk>/", views.ComplaintDetailView.as_view(), name="detail")
    photo_path = path("photo/<int:pk>/", views.PhotoFileView.as_view(), name="photo")
    reassign_path = path("task/<int:task_pk>/reassign/", views.ReassignView.as_view(), name="reassign")
