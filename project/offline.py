"""Offline inspections (issue 16, item 3): the one page an inspector works from in a factory without signal.

/offline/inspections/  the page's shell, the same for everyone (no person's data, like /offline/): the service
                       worker precaches it (project/pwa.py), so it opens with no network, and the inspection
                       shown is chosen by the address's fragment (#task=<id>), which never reaches the server.
                       Everything in it is drawn by static/kamkap/js/offline/*.js: the person's inspect tasks
                       and "make available offline" through the v1 API (the session cookie and the CSRF token:
                       api.base takes SessionAuthentication); the saved inspections, their answers, notes and
                       photos and the queue of what waits to be sent in IndexedDB (idb, built by `make pwa`).
                       Sending is the API's draft, evidence and complete endpoints, each item of the queue with
                       an Idempotency-Key made once when the item is queued (api.idempotency), so a retried
                       sync never does anything twice. What the API refuses because the task moved on (409
                       taken / closed / unclaimed, 403 not your duty, 404) fails with the reason and stays on
                       the device, to copy or export.

Reachable without logging in, as the shell holds no data: the API answers 401 to a caller who is not logged in,
and the page then says to log in.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

TEMPLATE = "kamkap/offline_inspections.html"


def shell(language: str | None = None) -> str:
    """The page as the worker precaches it (project/pwa.py takes its MD5 as the revision)."""
    context = {"language": language or get_language(), "csrf_cookie": settings.CSRF_COOKIE_NAME}
    return render_to_string(TEMPLATE, context, request=None)


@login_not_required
@require_safe
@never_cache
def inspections(request):
    if request.user.is_authenticated:
        get_token(request)  # the CSRF cookie the page's API posts send back (X-CSRFToken); the body is the same
    return HttpResponse(shell())


@login_not_required
@require_safe
@never_cache
def who(request):
    """Who is logged in ("" for nobody): the page keeps each saved inspection as its owner's, shows and sends only
    the current person's, and tells the service worker, as register.js does on the other pages."""
    return JsonResponse({"who": str(request.user.pk) if request.user.is_authenticated else ""})


urlpatterns = [
    path("offline/inspections/", inspections, name="offline-inspections"),
    path("offline/inspections/who/", who, name="offline-inspections-who"),
]
