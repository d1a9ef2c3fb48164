"""Writes of the monitoring module: fetch a source, store what it found, schedule fetches.

``source_fetch(source=...)`` is the pipeline: the source's connector discovers entries, each
new entry is fetched (pages ahead, in ``MONITORING_FETCH_THREADS`` threads: only the network
work, see ``_PagesAhead``), extracted and prepared (signatures, relevance, classification:
``_item_prepare``) in the calling thread outside any transaction, then stored
``MONITORING_STORE_BATCH`` items per transaction, **each item in its own savepoint**
(``_batch_write``, ``_item_write``), in the order of the entries. So:

- re-ingesting is idempotent: an entry whose canonical URL (or social key) is stored is
  skipped before any fetch, and the unique canonical URL stops a concurrent duplicate (the
  refused item's savepoint is rolled back, the rest of its batch is stored);
- a crash in the middle loses nothing and duplicates nothing: the batches before the crash
  are committed, the one being written is rolled back whole (items, cluster counts, growth
  counts; their signatures are taken out of the near-duplicate index), and the source's
  ETag/Last-Modified are only saved after the run, so the next run reads the feed again and
  stores the rest.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doingoai.textproc.dedupe import content_hash, signature_to_bytes, words_and_signature
from doingoai.textproc.extraction import NO_TEXT, extract_article, guess_language
from doingoai.textproc.gazetteer import Gazetteer
from doingoai.textproc.urls import InvalidURL, canonical_url
from doingoai.textproc.words import analyse

from .classification import (
    CLASSIFICATION_FIELDS,
    ActiveClassifier,
    classification_fields,
    classifier_active,
    clusters_classification_refresh,
    item_classify,
)
from .connectors import (
    Connector,
    ConnectorError,
    Entry,
    SocialExportConnector,
    get_connector,
    parse_social_export,
)
from .fetching import HTML_TYPES, Fetcher, FetchError, FetchResult, url_refusal
from .models import Cluster, Item, MentionHour, Source
from .near_index import near_index_add, near_index_find, near_index_remove, near_index_sync
from .rows import cluster_join, row_insert, run, shared_cursor
from .selectors import gazetteer_current

logger = logging.getLogger(__name__)

MAX_FETCH_ATTEMPTS = 3
MAX_BACKOFF = timedelta(days=1)


@dataclass
class FetchReport:
    source_id: int
    status: str = Source.Status.OK
    entries: int = 0
    created: int = 0
    existing: int = 0
    retried: int = 0
    no_text: int = 0
    failed: int = 0
    error: str = ""
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ItemDraft:
    """What the pipeline learnt about one entry, ready to be stored."""

    key: str
    url: str
    title: str = ""
    text: str = ""
    published: datetime | None = None
    author: str = ""
    language: str = ""
    status: str = Item.Status.OK
    error: str = ""
    kind: str = Item.Kind.ARTICLE
    extra: dict = field(default_factory=dict)


# --- Source health ----------------------------------------------------------------------------

_HEALTH_FIELDS = [
    "last_fetched_at",
    "last_status",
    "last_http_status",
    "last_error",
    "consecutive_failures",
    "last_new_items",
    "etag",
    "last_modified",
    "next_fetch_at",
]


def source_record_success(
    *,
    source: Source,
    now: datetime,
    status: str,
    http_status: int | None,
    etag: str,
    last_modified: str,
    new_items: int,
    problems: list[str],
) -> None:
    source.last_fetched_at = now
    source.last_status = status
    source.last_http_status = http_status
    source.last_error = "\n".join(problems)[:4000]
    source.consecutive_failures = 0
    source.last_new_items = new_items
    source.etag = (etag or "")[:255]
    source.last_modified = (last_modified or "")[:64]
    source.next_fetch_at = now + source.fetch_interval
    source.save(update_fields=_HEALTH_FIELDS)


def source_record_failure(*, source: Source, now: datetime, error: Exception) -> None:
    """Record the error; the next attempt backs off (interval × 2^failures, at most a day)."""
    source.consecutive_failures += 1
    source.last_fetched_at = now
    source.last_status = Source.Status.ERROR
    source.last_http_status = getattr(error, "status", None)
    source.last_error = str(error)[:4000]
    source.last_new_items = 0
    delay = min(source.fetch_interval * 2 ** min(source.consecutive_failures - 1, 6), MAX_BACKOFF)
    source.next_fetch_at = now + max(delay, source.fetch_interval)
    source.save(update_fields=_HEALTH_FIELDS)


# --- One item -------------------------------------------------------------------------------


def entry_key(entry: Entry) -> str:
    """The unique key an entry is stored under (its canonical URL, or its social key)."""
    return entry.key or canonical_url(entry.url)


def _mention_time(published: datetime | None, fetched: datetime) -> datetime:
    if published is not None and published <= fetched + timedelta(hours=1):
        return published
    return fetched  # no date, or a date in the future: count it when we saw it


def _mention_hour(when: datetime) -> datetime:
    return when.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


@cache
def _mention_upsert_sql(vendor: str) -> str:
    table = connection.ops.quote_name(MentionHour._meta.db_table)
    return (
        f"INSERT INTO {table} (cluster_id, hour, mentions) VALUES (%s, %s, 1) "  # noqa: S608 - table name from the model
        f"ON CONFLICT (cluster_id, hour) DO UPDATE SET mentions = {table}.mentions + 1"
    )


def _count_mention(cluster_id: int, when: datetime) -> None:
    """One more mention of the story in the hour of ``when``: one upsert (``INSERT … ON
    CONFLICT DO UPDATE``, SQLite and PostgreSQL), safe against a concurrent worker."""
    hour = _mention_hour(when)
    if connection.vendor in ("sqlite", "postgresql"):
        run(
            _mention_upsert_sql(connection.vendor),
            [cluster_id, connection.ops.adapt_datetimefield_value(hour)],
        )
        return
    if MentionHour.objects.filter(cluster_id=cluster_id, hour=hour).update(  # pragma: no cover
        mentions=F("mentions") + 1
    ):
        return
    try:  # pragma: no cover - other database engines
        with transaction.atomic():
            MentionHour.objects.create(cluster_id=cluster_id, hour=hour, mentions=1)
    except IntegrityError:  # pragma: no cover - created meanwhile by another worker
        MentionHour.objects.filter(cluster_id=cluster_id, hour=hour).update(
            mentions=F("mentions") + 1
        )


def _sql(template: str) -> str:
    """``template`` with the item table and columns quoted for the database."""
    return _sql_for(template, connection.vendor)


@cache
def _sql_for(template: str, vendor: str) -> str:
    quote = connection.ops.quote_name
    return template.format(
        item=quote(Item._meta.db_table),
        cluster=quote(Item._meta.get_field("cluster").column),
        hash=quote(Item._meta.get_field("content_hash").column),
        fetched=quote(Item._meta.get_field("fetched_at").column),
        pk=quote(Item._meta.pk.column),
    )


_ITEM_CLUSTER_SQL_TEMPLATE = "UPDATE {item} SET {cluster} = %s WHERE {pk} = %s"
# Item.objects.filter(content_hash=…, cluster__isnull=False).values_list("cluster_id").first(),
# ordered like the model (newest first), written out: the lookup runs for every stored item.
_HASH_SQL_TEMPLATE = (
    "SELECT {cluster} FROM {item} WHERE {hash} = %s AND {cluster} IS NOT NULL{exclude} "
    "ORDER BY {fetched} DESC LIMIT 1"
)


def _cluster_of_hash(digest: str, *, exclude_pk: int | None) -> int | None:
    """The story of a stored item with the same content hash (the newest), if any."""
    sql = _sql(_HASH_SQL_TEMPLATE.replace("{exclude}", " AND {pk} <> %s" if exclude_pk else ""))
    row = run(sql, [digest, exclude_pk] if exclude_pk else [digest], fetch=True)[1]
    return row[0] if row else None


def _item_save(item: Item) -> None:
    if item.pk is None:
        row_insert(item)  # IntegrityError when another run stored the key
    else:
        item.save()


def _join_cluster(item: Item, cluster_id: int | None, when: datetime) -> int:
    """Save ``item`` (insert, or update a retried item) as a mention of the story
    ``cluster_id``, or of a new story when that is ``None`` or no longer exists; returns the
    story's id. Runs inside ``item_store``'s transaction.

    Joining a story is one ``UPDATE`` (``rows.cluster_join``: counters, the "new source?"
    test as an ``EXISTS`` sub-query, earliest/latest mention, highest relevance and risk, the
    topic if it had none) made *before* the item is saved, so its row count also tells
    whether the story still exists; then the item is saved with its story and the hour
    counted (one upsert). A new story needs no "new source?" query: the item is saved, the
    story created with its counters, topic and risk, and the item pointed at it.
    """
    if cluster_id is not None and cluster_join(item, cluster_id, when):
        item.cluster_id = cluster_id
        _item_save(item)
        _count_mention(cluster_id, when)
        return cluster_id
    _item_save(item)
    cluster = Cluster(
        representative=item,
        # A comment has no title: the story is named after its opening words instead.
        title=(item.title or " ".join(item.text.split())[:120])[:500],
        first_seen=when,
        last_seen=when,
        mention_count=1,
        source_count=1,
        max_relevance=item.relevance,
        max_risk=item.risk_score,
        topic=item.topic,
    )
    row_insert(cluster)
    run(_sql(_ITEM_CLUSTER_SQL_TEMPLATE), [cluster.pk, item.pk])  # the ORM's UPDATE, written out
    item.cluster = cluster
    _count_mention(cluster.pk, when)
    return cluster.pk


@dataclass
class _Prepared:
    """An item ready to be written: its fields, content hash and MinHash (no database)."""

    key: str
    fields: dict
    has_text: bool
    digest: str
    minhash: object | None
    now: datetime


def _item_prepare(
    *,
    source: Source,
    draft: ItemDraft,
    gazetteer: Gazetteer,
    now: datetime | None,
    classifier: ActiveClassifier | None,
) -> _Prepared:
    """Dedupe signatures, relevance and classification of one draft (no database access).

    The title and the text are folded and tokenised once (``textproc.words.analyse``) for
    the MinHash signature, the gazetteer and the lexicon.
    """
    now = now or timezone.now()
    has_text = draft.status == Item.Status.OK and bool(draft.text)
    title_words, text_words = analyse(draft.title), analyse(draft.text)
    words, minhash = (
        words_and_signature(draft.text, analysed=text_words) if has_text else ([], None)
    )
    digest = content_hash(draft.text, words=words) if has_text else ""
    relevance = gazetteer.score(
        title=draft.title,
        text=draft.text,
        title_analysed=title_words,
        text_analysed=text_words,
    )
    fields = {
        "source": source,
        "kind": draft.kind,
        "url": draft.url[:2048],
        "content_hash": digest,
        "title": draft.title[:500],
        "text": draft.text if has_text else "",
        "published_at": draft.published,
        "author": draft.author[:255],
        "language": draft.language[:16],
        "fetched_at": now,
        "extraction_status": draft.status,
        "error": draft.error[:4000],
        "relevance": relevance.score,
        "matched_terms": relevance.terms,
        "signature": signature_to_bytes(minhash) if minhash is not None else None,
        "extra": draft.extra,
    }
    classified = "\n".join(filter(None, (draft.title, fields["text"])))
    # The words of "title\ntext" are the title's words then the text's (split on whitespace).
    classified_words = title_words.words + (text_words.words if fields["text"] else [])
    classifier = classifier or classifier_active()
    fields.update(classification_fields(classifier.classify(classified, words=classified_words)))
    return _Prepared(draft.key, fields, has_text, digest, minhash, now)


def _item_write(
    prepared: _Prepared, *, existing_pk: int | None, indexed: list[int] | None = None
) -> Item | None:
    """Write one prepared item in its own ``atomic`` block: a transaction, or a savepoint
    inside a batch's transaction (then only this item is rolled back on an error). Its
    signature is added to the near-duplicate index once the block succeeded, and its key
    appended to ``indexed`` (the batch removes those keys if its transaction fails)."""
    fields = prepared.fields
    try:
        with transaction.atomic():
            if existing_pk is not None:
                item = Item.objects.select_for_update().filter(pk=existing_pk).first()
                if item is None or item.extraction_status != Item.Status.FETCH_ERROR:
                    return None  # deleted, or already retried by another run
                for name, value in fields.items():
                    setattr(item, name, value)
                item.fetch_attempts += 1
            else:
                item = Item(canonical_url=prepared.key, **fields)
            if prepared.has_text:
                cluster_id = _cluster_of_hash(prepared.digest, exclude_pk=item.pk)
                if cluster_id is None and prepared.minhash is not None:
                    match = near_index_find(prepared.minhash)
                    cluster_id = match.group if match else None
                _join_cluster(item, cluster_id, _mention_time(item.published_at, prepared.now))
            else:
                _item_save(item)
    except IntegrityError:
        if existing_pk is not None:
            raise
        return None  # stored meanwhile by another run: nothing of this one is kept
    added = prepared.minhash is not None and item.cluster_id
    if added and near_index_add(item.pk, prepared.minhash, item.cluster_id) and indexed is not None:
        indexed.append(item.pk)
    return item


def item_store(
    *,
    source: Source,
    draft: ItemDraft,
    gazetteer: Gazetteer,
    existing_pk: int | None = None,
    now: datetime | None = None,
    classifier: ActiveClassifier | None = None,
) -> Item | None:
    """Store one item with its dedupe, relevance and classification, in one transaction
    (a savepoint when called inside one).

    Returns ``None`` when another run stored the same key meanwhile (the unique canonical
    URL refuses the insert and the whole transaction, story counts included, is rolled back).
    """
    prepared = _item_prepare(
        source=source, draft=draft, gazetteer=gazetteer, now=now, classifier=classifier
    )
    return _item_write(prepared, existing_pk=existing_pk)


# --- A batch --------------------------------------------------------------------------------


def _page_fetch(fetcher: Fetcher, url: str) -> FetchResult | FetchError:
    """Fetch one page; a ``FetchError`` is returned (it is recorded on the item), not raised."""
    try:
        return fetcher.fetch(url, accept=HTML_TYPES)
    except FetchError as error:
        return error


def _page_fetch_in_thread(fetcher: Fetcher, url: str, language: str | None):
    # Translations are per thread: error messages in the caller's language, as before.
    if language is None:
        return _page_fetch(fetcher, url)
    with translation.override(language):
        return _page_fetch(fetcher, url)


def _fetches_page(entry: Entry, connector: Connector, fetcher: Fetcher | None) -> bool:
    return entry.text is None and connector.fetches_pages and fetcher is not None


def entry_draft(
    *,
    entry: Entry,
    key: str,
    connector: Connector,
    fetcher: Fetcher | None,
    fetched: FetchResult | FetchError | None = None,
) -> ItemDraft:
    """Fetch (unless ``fetched`` is given: the page fetched ahead) and extract one entry
    (no database access)."""
    draft = ItemDraft(
        key=key,
        url=entry.url,
        title=entry.title,
        published=entry.published,
        author=entry.author,
        kind=entry.kind,
        extra=dict(entry.extra),
    )
    if not _fetches_page(entry, connector, fetcher):
        draft.text = entry.text or ""
        draft.status = Item.Status.OK if draft.text.strip() else Item.Status.NO_TEXT
        draft.language = entry.language or guess_language(draft.text)
        return draft
    result = fetched if fetched is not None else _page_fetch(fetcher, entry.url)
    if isinstance(result, FetchError):
        draft.status = Item.Status.FETCH_ERROR
        draft.error = str(result)
        return draft
    extracted = extract_article(result.content, url=result.final_url)
    if result.final_url != entry.url:
        draft.extra["final_url"] = result.final_url
    draft.title = extracted.title or entry.title
    draft.text = extracted.text
    draft.published = entry.published or extracted.published
    draft.author = extracted.author or entry.author
    draft.language = extracted.language
    draft.status = Item.Status.NO_TEXT if extracted.status == NO_TEXT else Item.Status.OK
    return draft


def store_batch() -> int:
    """Items stored per transaction (each in its own savepoint)."""
    return max(1, int(getattr(settings, "MONITORING_STORE_BATCH", 25)))


def fetch_threads() -> int:
    """Threads fetching the pages of a batch together before it is extracted (0: none)."""
    return max(0, int(getattr(settings, "MONITORING_FETCH_THREADS", 4)))


class _BatchPages:
    """Fetch the pages of one batch together, in a few threads, before it is extracted.

    Only the network work runs in the threads: ``Fetcher.fetch`` with all its checks (the
    per-host interval and robots.txt are shared, thread-safe state, so the politeness rules
    are the same as fetching one page after the other). Extraction, dedupe, scoring and
    storing stay in the calling thread, in the order of the entries, once the batch's pages
    are in. Fetching the *next* pages while extracting looked cheaper but was not: the
    fetching threads then fight the extraction for the interpreter lock, and each switch
    slowed the extraction down (10-15 % of its time, ``bench/monitoring_ingest.py``);
    fetched together, the threads only wait on the network and on each other. Leaving the
    ``with`` block (also on an exception) cancels pages not started and waits for the others.
    """

    def __init__(self, fetcher: Fetcher | None, threads: int) -> None:
        self.fetcher = fetcher
        self.threads = threads if fetcher is not None else 0
        self.executor: ThreadPoolExecutor | None = None
        self.language = translation.get_language()

    def __enter__(self) -> _BatchPages:
        return self

    def __exit__(self, *exc) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def fetch(self, urls: dict[int, str]) -> dict[int, FetchResult | FetchError]:
        """``{entry index: page or error}`` for ``{entry index: url}`` (empty when fetching
        in threads is off or there is one page: each is then fetched when extracted)."""
        if not self.threads or len(urls) < 2:
            return {}
        if self.executor is None:
            self.executor = ThreadPoolExecutor(
                max_workers=self.threads, thread_name_prefix="monitoring-fetch"
            )
        futures = {
            index: self.executor.submit(_page_fetch_in_thread, self.fetcher, url, self.language)
            for index, url in urls.items()
        }
        return {index: future.result() for index, future in futures.items()}


def entries_ingest(
    *,
    source: Source,
    entries: list[Entry],
    connector: Connector,
    fetcher: Fetcher | None,
    report: FetchReport,
    now: datetime | None = None,
) -> FetchReport:
    """Store the new entries of a batch, each in its own transaction (pages fetched ahead
    in ``MONITORING_FETCH_THREADS`` threads, see ``_BatchPages``)."""
    keyed: list[tuple[Entry, str]] = []
    for entry in entries:
        try:
            keyed.append((entry, entry_key(entry)))
        except InvalidURL:
            report.problems.append(_("%(url)s: not an http(s) address") % {"url": entry.url[:200]})
    report.entries = len(keyed)
    known = {
        key: (pk, status, attempts)
        for key, pk, status, attempts in Item.objects.filter(
            canonical_url__in=[key for _entry, key in keyed]
        ).values_list("canonical_url", "pk", "extraction_status", "fetch_attempts")
    }
    gazetteer = gazetteer_current()
    try:
        classifier = classifier_active()
    except Exception:  # a bad setting fails each item, as item_store reports it
        classifier = None
    near_index_sync()
    todo: list[tuple[Entry, str, int | None]] = []
    seen: set[str] = set()
    for entry, key in keyed:
        if key in seen:
            continue
        seen.add(key)
        existing_pk = None
        if key in known:
            pk, status, attempts = known[key]
            if status != Item.Status.FETCH_ERROR or attempts >= MAX_FETCH_ATTEMPTS:
                report.existing += 1
                continue
            existing_pk = pk
        todo.append((entry, key, existing_pk))
    size = store_batch()
    with _BatchPages(fetcher, fetch_threads()) as pages:
        for start in range(0, len(todo), size):
            prepared: list[tuple[_Prepared, int | None]] = []
            batch = range(start, min(start + size, len(todo)))
            fetched = pages.fetch(
                {
                    index: todo[index][0].url
                    for index in batch
                    if _fetches_page(todo[index][0], connector, fetcher)
                }
            )
            # Stage by stage over the batch (all extractions, then all the rest): each
            # stage's code and data stay in the processor's caches, which measurably
            # speeds up the extraction (bench/monitoring_ingest.py).
            drafts: list[tuple[ItemDraft, int | None]] = []
            for index in batch:
                entry, key, existing_pk = todo[index]
                try:  # fetch (unless fetched above) and extract
                    draft = entry_draft(
                        entry=entry,
                        key=key,
                        connector=connector,
                        fetcher=fetcher,
                        fetched=fetched.get(index),
                    )
                except Exception:  # one bad entry never stops the batch
                    _failed(report, key, source)
                    continue
                drafts.append((draft, existing_pk))
            for draft, existing_pk in drafts:
                try:  # dedupe signatures, relevance, classification
                    item = _item_prepare(
                        source=source,
                        draft=draft,
                        gazetteer=gazetteer,
                        now=now,
                        classifier=classifier,
                    )
                except Exception:  # one bad entry never stops the batch
                    _failed(report, draft.key, source)
                    continue
                prepared.append((item, existing_pk))
            _batch_write(source=source, prepared=prepared, report=report)
    return report


def _failed(report: FetchReport, key: str, source: Source) -> None:
    logger.exception("Monitoring: could not store %s from source %s", key, source.pk)
    report.failed += 1


def _batch_write(
    *, source: Source, prepared: list[tuple[_Prepared, int | None]], report: FetchReport
) -> None:
    """Write prepared items in one transaction, each in a savepoint (a failed or duplicate
    item is rolled back alone). If the transaction itself fails (a crash), the items it
    indexed are removed from the near-duplicate index and the exception propagates."""
    if not prepared:
        return
    indexed: list[int] = []
    try:
        with transaction.atomic(), shared_cursor():
            for item_prepared, existing_pk in prepared:
                try:
                    item = _item_write(item_prepared, existing_pk=existing_pk, indexed=indexed)
                except Exception:  # one bad entry never stops the batch
                    _failed(report, item_prepared.key, source)
                    continue
                if item is None:
                    report.existing += 1
                    continue
                if existing_pk is not None:
                    report.retried += 1
                else:
                    report.created += 1
                if item.extraction_status == Item.Status.NO_TEXT:
                    report.no_text += 1
                elif item.extraction_status == Item.Status.FETCH_ERROR:
                    report.failed += 1
    except BaseException:
        near_index_remove(indexed)
        raise


def source_fetch(*, source: Source, fetcher: Fetcher | None = None) -> FetchReport:
    """Fetch ``source`` now: discover, fetch and extract new entries, dedupe, score, store."""
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher()
    report = FetchReport(source_id=source.pk)
    try:
        connector = get_connector(source.kind, fetcher=fetcher)
        try:
            # The fetch refuses such an address anyway; checking the source's own address
            # first makes its health say so even when the connector fetches nothing itself
            # (a single URL) or the host moved inside the network after the source was saved.
            refusal = url_refusal(source.url) if source.url else None
            if refusal is not None:
                raise refusal
            discovery = connector.discover(source)
        except (FetchError, ConnectorError) as error:
            source_record_failure(source=source, now=timezone.now(), error=error)
            report.status = Source.Status.ERROR
            report.error = str(error)
            return report
        if discovery.not_modified:
            report.status = Source.Status.NOT_MODIFIED
        else:
            entries_ingest(
                source=source,
                entries=discovery.entries,
                connector=connector,
                fetcher=fetcher,
                report=report,
            )
        report.problems.extend(discovery.problems)
        # Validators are saved only now: a crash above means the next run reads it all again.
        source_record_success(
            source=source,
            now=timezone.now(),
            status=report.status,
            http_status=discovery.http_status,
            etag=discovery.etag,
            last_modified=discovery.last_modified,
            new_items=report.created,
            problems=report.problems,
        )
        return report
    finally:
        if own_fetcher:
            fetcher.close()


def social_export_import(*, source: Source, data: bytes, filename: str = "") -> FetchReport:
    """Import a social-media export file into ``source`` (idempotent: ids already stored are
    skipped). Bad rows are reported in ``problems`` with their row number and reason."""
    report = FetchReport(source_id=source.pk)
    try:
        export = parse_social_export(data, filename=filename, platform=source.platform)
    except ConnectorError as error:
        report.status = Source.Status.ERROR
        report.error = str(error)
        return report
    connector = SocialExportConnector(fetcher=None)
    report.problems.extend(str(error) for error in export.errors)
    entries_ingest(
        source=source, entries=export.entries, connector=connector, fetcher=None, report=report
    )
    source_record_success(
        source=source,
        now=timezone.now(),
        status=Source.Status.OK,
        http_status=None,
        etag=source.etag,
        last_modified=source.last_modified,
        new_items=report.created,
        problems=report.problems,
    )
    return report


# --- Scheduling -----------------------------------------------------------------------------


def sources_due(*, now: datetime | None = None):
    now = now or timezone.now()
    return (
        Source.objects.filter(active=True)
        .exclude(url="")
        .filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
        .order_by(F("next_fetch_at").asc(nulls_first=True), "pk")
    )


def sources_enqueue_due(*, now: datetime | None = None, limit: int | None = None) -> list[int]:
    """Enqueue a fetch task for each due source, claiming it first so that two schedulers
    never enqueue the same source twice."""
    from .tasks import fetch_source

    now = now or timezone.now()
    limit = limit or int(getattr(settings, "MONITORING_ENQUEUE_LIMIT", 50))
    enqueued = []
    for source in list(sources_due(now=now)[:limit]):
        claimed = Source.objects.filter(pk=source.pk, next_fetch_at=source.next_fetch_at)
        if source.next_fetch_at is None:
            claimed = Source.objects.filter(pk=source.pk, next_fetch_at__isnull=True)
        if claimed.update(next_fetch_at=now + source.fetch_interval):
            fetch_source.enqueue(source_id=source.pk)
            enqueued.append(source.pk)
    return enqueued


def items_rescore(*, batch_size: int = 500) -> int:
    """Recompute relevance of every item with the current watch terms, and its topic and
    risk with the active classifier (then each story's highest risk and topic)."""
    gazetteer = gazetteer_current()
    classifier = classifier_active()
    updated = ["relevance", "matched_terms", *CLASSIFICATION_FIELDS]
    changed = 0
    batch: list[Item] = []
    for item in Item.objects.only("pk", "title", "text", *updated).iterator(chunk_size=batch_size):
        before = [getattr(item, name) for name in updated]
        relevance = gazetteer.score(title=item.title, text=item.text)
        item.relevance, item.matched_terms = relevance.score, relevance.terms
        item_classify(item, classifier)
        if [getattr(item, name) for name in updated] != before:
            batch.append(item)
        if len(batch) >= batch_size:
            Item.objects.bulk_update(batch, updated)
            changed += len(batch)
            batch = []
    if batch:
        Item.objects.bulk_update(batch, updated)
        changed += len(batch)
    clusters_classification_refresh()
    return changed


# --- Permissions ----------------------------------------------------------------------------

ADMIN_GROUP = "Quản trị viên"
READER_GROUPS = ("Biên tập viên", "Lãnh đạo duyệt")


@transaction.atomic
def monitoring_grant_permissions() -> None:
    """Administrators manage sources and watch terms and may delete items and stories;
    editors and approving leaders read everything, fetch sources now, import exports and
    label items (idempotent, additive)."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from .models import ItemLabel, WatchTerm

    if not Permission.objects.filter(content_type__app_label="monitoring").exists():
        return  # this app's permissions are not created yet

    def permissions(model, actions):
        content_type = ContentType.objects.get_for_model(model)
        codenames = [f"{action}_{model._meta.model_name}" for action in actions]
        return Permission.objects.filter(content_type=content_type, codename__in=codenames)

    everything = ("view", "add", "change", "delete")
    admin, _created = Group.objects.get_or_create(name=ADMIN_GROUP)
    for model in (Source, WatchTerm):
        admin.permissions.add(*permissions(model, everything))
    admin.permissions.add(*permissions(Source, ("fetch",)))
    for model in (Item, Cluster):
        admin.permissions.add(*permissions(model, ("view", "delete")))
    for name in READER_GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        for model in (Source, WatchTerm, Item, Cluster):
            group.permissions.add(*permissions(model, ("view",)))
        group.permissions.add(*permissions(Source, ("fetch",)))
        # Staff label items (gán nhãn) to train the classifier.
        group.permissions.add(*permissions(ItemLabel, ("view", "add", "change")))
    admin.permissions.add(*permissions(ItemLabel, everything))
