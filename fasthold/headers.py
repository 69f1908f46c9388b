"""Response headers that keep personal data out of caches and lock down browser features.

Content-Security-Policy comes from Django's own middleware (SECURE_CSP in settings); this module adds
what Django has no setting for. Static files never reach it: WhiteNoise answers them earlier in
MIDDLEWARE, so they stay cacheable.
"""

from django.utils.cache import patch_cache_control

# Browser features Fasthold never uses, switched off for every page and anything framed in it.
# (interest-cohort was FLoC's name; Chromium now logs it as unrecognised, browsing-topics replaced it.)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
)

# Pages an anonymous visitor may read that carry nothing about a person: a shared cache may keep them.
PUBLIC_PREFIXES = ("/guidance/",)


def may_be_stored(request, response) -> bool:
    """Only public guidance read anonymously, and never a download: everything else is about a person
    or a session (case pages, PDFs, calendar files and the token feed, the login steps with their tokens)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if response.has_header("Content-Disposition"):
        return False
    return request.path_info.startswith(PUBLIC_PREFIXES)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not may_be_stored(request, response):
            # no-store alone keeps it out of the browser's disk cache, its back button and any proxy; a
            # public or max-age a view set would only contradict it.
            response.headers.pop("Cache-Control", None)
            patch_cache_control(response, no_store=True)
        elif response.cookies:
            # A public page that sets a cookie (the CSRF token of the language form) is for this
            # browser only: a shared cache must not hand the cookie to the next visitor.
            patch_cache_control(response, private=True)
        return response
