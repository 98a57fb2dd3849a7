from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def thai_unless_chosen(get_response):
    """Thai is the default whatever the browser asks for; English only when the person picks it
    (the language cookie set by the switch). Runs before LocaleMiddleware. The API (/api/) is the
    exception: a client system asks for its language with Accept-Language (api.errors)."""

    def middleware(request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return get_response(request)

    return middleware


def request_size_cap(get_response):
    """A request whose body is larger than REQUEST_MAX_BYTES is refused with a 413 before anything reads
    it: Django caps the form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams uploaded files to disk
    whatever their size, so without this one request could fill the disk. The API answers in its one
    error shape; a page with a Thai error page. Runs after LocaleMiddleware (the message's language)."""

    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            megabytes = settings.REQUEST_MAX_BYTES // (1024 * 1024)
            message = _("What was sent is larger than %(mb)s MB; send fewer or smaller files at a time.")
            message %= {"mb": megabytes}
            if request.path.startswith("/api/"):
                from api.errors import body

                return JsonResponse(body("too_large", message), status=413)
            return render(request, "413.html", {"message": message}, status=413)
        return get_response(request)

    return middleware
