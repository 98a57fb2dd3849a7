"""Public complaint pages, included at /complaint/ before the site (no login)."""

from django.urls import path

from . import public

app_name = "complaint_public"

urlpatterns = [
    path("new/", public.complaint_new, name="new"),
    path("submitted/", public.complaint_submitted, name="submitted"),
    path("status/", public.complaint_status, name="status"),
]
