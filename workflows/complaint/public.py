"""The public pages (no login): file a complaint, see the tracking number, read its status."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from org.errors import DomainError

from . import selectors, services
from .forms import PublicComplaintForm


def client_ip(request) -> str | None:
    """The address the request came from (REMOTE_ADDR: behind a proxy, the proxy must set it)."""
    return request.META.get("REMOTE_ADDR") or None


@login_not_required
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    form = PublicComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_submit(
                data=form.cleaned_data, photos=request.FILES.getlist("photos"), source_ip=client_ip(request)
            )
        except DomainError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.message)
        else:  # redirect after POST (a 200 reply to a POST becomes 422 under Turbo)
            return redirect(f"{reverse('complaint_public:submitted')}?no={complaint.tracking_no}")
    return render(request, "complaint/public_new.html", {"form": form, "max_photos": services.PHOTO_MAX_COUNT})


@login_not_required
@require_http_methods(["GET"])
def complaint_submitted(request):
    return render(request, "complaint/public_submitted.html", {"tracking_no": request.GET.get("no", "")[:20]})


@login_not_required
@require_http_methods(["GET"])
def complaint_status(request):
    number = request.GET.get("no", "")[:30]
    status = selectors.public_status(number) if number else None
    return render(request, "complaint/public_status.html", {"no": number, "status": status, "searched": bool(number)})
