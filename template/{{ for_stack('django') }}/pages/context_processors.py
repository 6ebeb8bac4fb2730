from django.conf import settings

SKIPLINKS = [
    {"link": "#content", "label": "Contenu"},
    {"link": "#fr-navigation", "label": "Menu"},
    {"link": "#footer", "label": "Pied de page"},
]


def service(request):
    """What every page shows: the service's identity, the accessibility mention, the tracker settings."""
    tracked = bool(settings.MATOMO_SITE_ID) and not any(
        request.path.startswith(prefix) for prefix in settings.MATOMO_EXCLUDED_PATHS
    )
    return {
        "SERVICE_NAME": settings.SERVICE_NAME,
        "SERVICE_DESCRIPTION": settings.SERVICE_DESCRIPTION,
        "SERVICE_PUBLISHER": settings.SERVICE_PUBLISHER,
        "SERVICE_INCUBATOR": settings.SERVICE_INCUBATOR,
        "SERVICE_INCUBATOR_IN_SENTENCE": settings.SERVICE_INCUBATOR_IN_SENTENCE,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "REPOSITORY_URL": settings.REPOSITORY_URL,
        "ACCESSIBILITY_STATUS": settings.ACCESSIBILITY_STATUS,
        "MATOMO": {"url": settings.MATOMO_URL, "site_id": settings.MATOMO_SITE_ID} if tracked else None,
        "skiplinks": SKIPLINKS,
    }
