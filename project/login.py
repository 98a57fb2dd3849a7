"""What a person is told when too many wrong passwords have locked logging in (django-axes)."""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext

LOCKED_OUT_STATUS = 429


def lockout_message() -> str:
    cool_off = settings.AXES_COOLOFF_TIME
    if not cool_off:
        return gettext(
            "Too many wrong passwords: logging in as this user from this computer is locked. "
            "Ask an administrator to unlock it."
        )
    minutes = max(1, round(cool_off.total_seconds() / 60))
    return ngettext(
        "Too many wrong passwords: logging in as this user from this computer is locked for %(minutes)d minute. "
        "Try again later, or ask an administrator to unlock it.",
        "Too many wrong passwords: logging in as this user from this computer is locked for %(minutes)d minutes. "
        "Try again later, or ask an administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page (ours or the admin's) again, its form's errors replaced by
    the lockout message (a right password is refused too, so "wrong password" would mislead)."""
    message = lockout_message()
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    template = getattr(original_response, "template_name", None)
    if form is None or template is None:
        return HttpResponse(message, status=LOCKED_OUT_STATUS, content_type="text/plain; charset=utf-8")
    form._errors = ErrorDict({NON_FIELD_ERRORS: form.error_class([message], error_class="nonfield")})
    return TemplateResponse(request, template, context, status=LOCKED_OUT_STATUS).render()
