import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from . import matomo

logger = logging.getLogger(__name__)


def read_only(view):
    """The pages only answer GET and HEAD; any other method gets 405 (Method Not Allowed).

    The CSRF check is skipped because these views change nothing: it would otherwise answer a POST with
    403 before the view could refuse the method. A view that accepts a form is written without it.
    """
    return csrf_exempt(require_safe(view))


def text_page(content: str, title: str, description: str, template: str = "pages/text_page.html"):
    """A page whose text lives in templates/pages/content/<content>.html (the team edits it there)."""
    return read_only(
        TemplateView.as_view(
            template_name=template,
            extra_context={
                "content_template": f"pages/content/{content}.html",
                "title": title,
                "description": description,
            },
        )
    )


@read_only
def home(request):
    return render(request, "pages/home.html")


@read_only
def stats(request):
    return render(
        request,
        "pages/stats.html",
        {
            "content_template": "pages/content/stats.html",
            "title": "Statistiques",
            "description": "Les indicateurs d'impact du service et sa fréquentation.",
            "matomo_configured": bool(settings.MATOMO_SITE_ID),
            "visits": matomo.monthly_visits() if settings.MATOMO_SITE_ID else None,
            "matomo_dashboard_url": matomo.dashboard_url(),
        },
    )


@read_only
@never_cache
def healthz(request):
    """For uptime checks: answers 200 when the application and its database respond."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "injoignable"}, status=503)
    return JsonResponse({"status": "ok"})


def server_error(request):
    """The 500 page, in the service's layout; plain text if even the layout fails."""
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("The 500 page itself could not be rendered")
        return HttpResponseServerError("Erreur inattendue.", content_type="text/plain; charset=utf-8")
