import pytest

from doingoai.monitoring import fetching, selectors
from doingoai.monitoring.near_index import near_index_reset

from .site import start_site


@pytest.fixture(scope="session")
def _site_server():
    site, server, thread = start_site()
    yield site
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def site(_site_server):
    """The local test site on 127.0.0.1, routes reset for each test."""
    _site_server.reset()
    return _site_server


@pytest.fixture(autouse=True)
def _monitoring_state(settings):
    """Loopback allowed, no politeness delay, fast retries and empty per-process caches."""
    settings.MONITORING_ALLOW_LOOPBACK = True
    settings.MONITORING_HOST_INTERVAL = 0
    settings.MONITORING_BACKOFF_SECONDS = 0.01
    settings.MONITORING_READ_TIMEOUT = 1.0
    settings.MONITORING_CONNECT_TIMEOUT = 1.0
    fetching.robots_cache.clear()
    fetching.host_rate_limiter._next.clear()
    selectors._gazetteer_cache.clear()
    near_index_reset()
    yield
    near_index_reset()


@pytest.fixture
def fetcher():
    with fetching.Fetcher(retries=1, backoff=0.01) as instance:
        yield instance


@pytest.fixture
def gazetteer(db):
    """The bundled Lào Cai gazetteer, loaded with the management command."""
    import io

    from django.core.management import call_command

    call_command("load_gazetteer", stdout=io.StringIO())
