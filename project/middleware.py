def thai_unless_chosen(get_response):
    """Thai is the default whatever the browser asks for; English only when the person picks it
    (the language cookie set by the switch). Runs before LocaleMiddleware. The API (/api/) is the
    exception: a client system asks for its language with Accept-Language (api.errors)."""

    def middleware(request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return get_response(request)

    return middleware
