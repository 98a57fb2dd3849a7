"""A person's notifications: the list (newest first, 25 a page), opening one (marked read, then its task
or case), marking one read where it is shown, marking all read, and whether they also come by e-mail.
Each person sees and marks only their own: every query starts from `Notification.objects.of(request.user)`."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .models import NoticeKind, NoticePreference, Notification

PAGE = 25


def notification_list(request):
    """`?unread`: the unread ones; `?kind=escalated` (an inbox's "see them all"): those of one kind."""
    kind = NoticeKind(request.GET["kind"]) if request.GET.get("kind") in NoticeKind.values else None
    notices = Notification.objects.of(request.user).filter(**_only(request, kind)).select_related("task")
    page = Paginator(notices, PAGE).get_page(request.GET.get("page"))
    query = "unread" if "unread" in request.GET else (f"kind={kind.value}" if kind else "")
    context = {"page": page, "unread_only": "unread" in request.GET, "kind": kind, "query": query}
    return render(request, "workflows/notifications/list.html", context)


def _only(request, kind) -> dict:
    only = {"read_at__isnull": True} if "unread" in request.GET else {}
    return {**only, "kind": kind.value} if kind else only


@require_POST
def notification_open(request, pk: int):
    """Mark one read and go to its task or case."""
    notice = get_object_or_404(Notification.objects.of(request.user), pk=pk)
    if notice.read_at is None:
        Notification.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    if notice.link and url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None):
        return redirect(notice.link)
    return redirect("notifications:list")


@require_POST
def notification_read(request, pk: int):
    """Mark one read where it is shown (an inbox's "Seen" on an escalation: it stays listed, unhighlighted,
    until its step is done), back to that page."""
    notice = get_object_or_404(Notification.objects.of(request.user), pk=pk)
    if notice.read_at is None:
        Notification.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return redirect(back)
    return redirect("notifications:list")


@require_POST
def notification_read_all(request):
    count = Notification.objects.of(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notifications:list")


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NoticePreference
        fields = ["by_email"]
        help_texts = {
            "by_email": gettext_lazy("Notifications always appear under the bell; e-mails go to your address.")
        }


def notification_settings(request):
    preference = NoticePreference.objects.filter(person=request.user).first() or NoticePreference(person=request.user)
    form = PreferenceForm(request.POST if request.method == "POST" else None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(request, "workflows/notifications/settings.html", {"form": form})
