from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog, set_language
from viewflow.contrib.auth import AuthViewset
from viewflow.urls import Site

from dashboards.views import HomeView
from project import health
from registry.viewsets import RegistryApp
from workflows.budget.viewsets import BudgetApp
from workflows.complaint.viewsets import ComplaintApp
from workflows.inspection.viewsets import InspectionApp
from workflows.planning.viewsets import PlanningApp


class KamkapSite(Site):
    """The site shell: the home page at /, each application in the menu."""

    @property
    def index_path(self):
        return path("", HomeView.as_view(), name="index")


site = KamkapSite(
    title=_("Kamkap"),
    primary_color="#1a3a6b",
    secondary_color="#c9a227",
    viewsets=[InspectionApp(), ComplaintApp(), RegistryApp(), BudgetApp(), PlanningApp()],
)

urlpatterns = [
    path("health/", health.alive, name="health-alive"),
    path("health/ready/", health.ready, name="health-ready"),
    path("accounts/", AuthViewset(with_profile_view=False).urls),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("complaint/", include("workflows.complaint.urls")),
    path("api/v1/", include("api.urls")),  # "api:…" names reverse to /api/v1/
    path("api/", include(("api.urls", "api"), namespace="api-unversioned")),  # the same views, kept as aliases
    path("dashboards/", include("dashboards.urls")),
    path("notifications/", include("workflows.notification_urls")),
    path("", include("workflows.inspection.verify")),  # /verify/<reference>/: public check of an issued document
    path("", include("project.pwa")),  # /manifest.webmanifest, /sw.js (scope /), /offline/
    path("", include("project.offline")),  # /offline/inspections/: inspections kept on the device (issue 16)
    path("", site.urls),
]
# No public /media/: evidence and imports are served by views that ask permissions.access.
