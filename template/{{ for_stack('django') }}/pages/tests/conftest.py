import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated(settings):
    """Every test starts without audience measurement and with an empty cache, whatever the machine."""
    settings.MATOMO_SITE_ID = ""
    cache.clear()
    yield
    cache.clear()
