from urllib.parse import urlsplit

from django.conf import settings


def content_security_policy() -> str:
    """Only the site itself, plus the Matomo instance when tracking is on. No inline script or style."""
    tracker = []
    if settings.MATOMO_SITE_ID:
        parts = urlsplit(settings.MATOMO_URL)
        tracker = [f"{parts.scheme}://{parts.netloc}"]
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *tracker],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *tracker],
        "font-src": ["'self'"],
        "connect-src": ["'self'", *tracker],
        "frame-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class SecurityHeadersMiddleware:
    """Headers that Django's SecurityMiddleware does not send (it already sends HSTS, nosniff,
    Referrer-Policy and Cross-Origin-Opener-Policy; XFrameOptionsMiddleware sends X-Frame-Options)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), geolocation=(), microphone=(), payment=(), usb=()"
        )
        return response
