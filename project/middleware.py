def thai_unless_chosen(get_response):
    """Thai is the default whatever the browser asks for; English only when the person picks it
    (the language cookie set by the switch). Runs before LocaleMiddleware."""

    def middleware(request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return get_response(request)

    return middleware
