import pytest
from django.core.cache import cache

from tests.factories import build_portal

# One Chromium per test process for every browser test (tests/e2e, tests/reports…).
pytest_plugins = ["tests.browser_fixtures"]


@pytest.fixture(autouse=True)
def _clean_state(settings):
    """Each test starts with an empty cache and visit buffer."""
    from doingoai.visitors.buffer import get_visit_store

    settings.ALLOWED_HOSTS = ["*"]
    cache.clear()
    get_visit_store.cache_clear()
    yield
    get_visit_store.cache_clear()


@pytest.fixture
def portal(db):
    """A small portal: homes in four languages, two sections, articles of every type."""
    return build_portal()


@pytest.fixture
def browser_ua():
    return "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
