"""The project's URLs plus stock Viewflow's own app for StockFlow under /stock/ (its inbox, queue...)."""

from django.urls import path
from viewflow.urls import Site
from viewflow.workflow.flow import FlowAppViewset

from project.urls import urlpatterns as project_urlpatterns

from .stockflow.flows import StockFlow

stock_site = Site(title="Stock Viewflow", viewsets=[FlowAppViewset(StockFlow, icon="assignment")])

urlpatterns = [path("stock/", stock_site.urls), *project_urlpatterns]
