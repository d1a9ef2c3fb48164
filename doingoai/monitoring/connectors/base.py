"""The connector interface and its registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings

from ..fetching import Fetcher

if TYPE_CHECKING:
    from ..models import Source

REGISTRY: dict[str, type[Connector]] = {}


class ConnectorError(Exception):
    """The source was fetched but could not be read (a malformed feed, a broken sitemap)."""

    code = "unreadable"


@dataclass
class Entry:
    """One document a source points at."""

    url: str
    title: str = ""
    summary: str = ""
    published: datetime | None = None
    author: str = ""
    # Set when the connector already has the text (social-media exports): no page fetch.
    text: str | None = None
    language: str = ""
    kind: str = "article"
    # The unique key of the document when it is not its URL (``social:facebook:123``).
    key: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Discovery:
    entries: list[Entry] = field(default_factory=list)
    not_modified: bool = False
    http_status: int | None = None
    etag: str = ""
    last_modified: str = ""
    problems: list[str] = field(default_factory=list)


def max_entries() -> int:
    return int(getattr(settings, "MONITORING_MAX_ENTRIES", 100))


class Connector:
    kind: ClassVar[str] = ""
    # False when entries carry their text (nothing to fetch per entry).
    fetches_pages: ClassVar[bool] = True

    def __init__(self, fetcher: Fetcher | None) -> None:
        self.fetcher = fetcher

    def discover(self, source: Source) -> Discovery:  # pragma: no cover - interface
        raise NotImplementedError


def register(cls: type[Connector]) -> type[Connector]:
    if not cls.kind:
        raise ValueError(f"{cls.__name__} has no kind")
    REGISTRY[cls.kind] = cls
    return cls


def get_connector(kind: str, *, fetcher: Fetcher) -> Connector:
    try:
        connector_class = REGISTRY[kind]
    except KeyError:
        raise ConnectorError(f"no connector for sources of kind {kind!r}") from None
    return connector_class(fetcher)
