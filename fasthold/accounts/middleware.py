from django.conf import settings


class UserLanguageMiddleware:
    """A logged-in user's preferred language wins over the browser's, unless they chose one
    explicitly this session (the language cookie set by the language switch)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            language = getattr(request.session, "get", lambda *_: None)("preferred_language")
            if language:
                request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = language
        return self.get_response(request)
