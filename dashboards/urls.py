from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.MinistryView.as_view(), name="index"),
    path("dashboard.xlsx", views.MinistryExcelView.as_view(), name="xlsx"),
    path("cluster/<int:pk>/", views.ClusterView.as_view(), name="cluster"),
    path("cluster/<int:pk>/dashboard.xlsx", views.ClusterExcelView.as_view(), name="cluster_xlsx"),
    path("office/<int:pk>/", views.OfficeView.as_view(), name="office"),
    path("office/<int:pk>/dashboard.xlsx", views.OfficeExcelView.as_view(), name="office_xlsx"),
    path("office/<int:pk>/briefing.pdf", views.BriefingPdfView.as_view(), name="briefing"),
    path("standard/", views.StandardView.as_view(), name="standard"),
]
