from django.apps import AppConfig
from django.conf import settings
from django.core import checks

ACCESSIBILITY_STATUSES = ("non conforme", "partiellement conforme", "totalement conforme")


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages du service"

    def ready(self):
        checks.register(check_accessibility_status)


def check_accessibility_status(app_configs, **kwargs):
    """The footer mention must be one of the three wordings the RGAA (and DashLord) expects."""
    if settings.ACCESSIBILITY_STATUS in ACCESSIBILITY_STATUSES:
        return []
    return [
        checks.Error(
            f"ACCESSIBILITY_STATUS vaut {settings.ACCESSIBILITY_STATUS!r}.",
            hint="Valeurs possibles : " + ", ".join(ACCESSIBILITY_STATUSES) + ".",
            id="pages.E001",
        )
    ]
