"""Connectors: one class per kind of source, all with the same interface.

``get_connector(kind, fetcher=...)`` returns the connector registered for a
``Source.Kind``; ``connector.discover(source)`` returns a ``Discovery`` — the entries found
(URLs to read, or, for social-media exports, posts whose text is already there) plus the
validators for the next conditional GET and the problems met on the way. The pipeline
(``doingoai.monitoring.services``) does the rest: fetch, extract, dedupe, score, store.

A new kind of source is a new ``Connector`` subclass decorated with ``@register`` and a
new choice in ``Source.Kind``.
"""

from .base import (
    REGISTRY,
    Connector,
    ConnectorError,
    Discovery,
    Entry,
    get_connector,
    register,
)
from .feeds import FeedConnector
from .listing import ListingConnector, SingleURLConnector
from .sitemaps import SitemapConnector
from .social import SocialExportConnector, parse_social_export

__all__ = [
    "REGISTRY",
    "Connector",
    "ConnectorError",
    "Discovery",
    "Entry",
    "FeedConnector",
    "ListingConnector",
    "SingleURLConnector",
    "SitemapConnector",
    "SocialExportConnector",
    "get_connector",
    "parse_social_export",
    "register",
]
