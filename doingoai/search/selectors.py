"""Reads for the portal search: which pages, in what order, with what snippet.

A results page runs a bounded number of queries however many pages match: the tier counts
(at most two, each stopping at ``MAX_RESULTS``), one or two ranked slices and the specific
fields of the page's hits (articles, plain pages); the sections of the language are cached.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page

from doingoai.portal.models import ArticlePage, SectionPage, StandardPage
from doingoai.portal.page_cache import content_version
from doingoai.portal.selectors import public_only
from doingoai.text import snippets, vietnamese

from .backends import follow_tiers, portal_search_backend, ranked_slice, ranking_of
from .query import ParsedQuery, parse_query

PAGE_SIZE = 20
MAX_RESULTS = 1000  # results that can be paged through (counts stop there: "more than 1,000")
SNIPPET_LENGTH = 240
MAX_SUGGESTION_TRIES = 8


@dataclass(frozen=True)
class Filters:
    locale_id: int
    section: SectionPage | None = None
    date_from: date | None = None
    date_to: date | None = None

    @property
    def articles_only(self) -> bool:
        """Plain pages have no section and no date: a section or date filter leaves them out."""
        return bool(self.section or self.date_from or self.date_to)


@dataclass
class Hit:
    page: Page  # the specific page (ArticlePage, a photo/video story, or StandardPage)
    exact: bool  # spelled as typed (only meaningful when the query had diacritics)
    section: SectionPage | None = None
    snippet: list[tuple[str, bool]] = field(default_factory=list)
    # The words typed stand together, in order (None: one word, or the backend cannot say).
    together: bool | None = None
    # Whether accents were typed (so "not spelled as typed" is worth saying).
    accents: bool = False

    @property
    def date(self) -> datetime | None:
        return getattr(self.page, "published_at", None) or self.page.last_published_at

    @property
    def group(self) -> str:
        """Which group of the results list the hit is in, for the notes between groups:
        ``""`` (the first group: spelled as typed, words together), ``"apart"`` (the words
        are not next to each other), ``"accents"`` (matches only when accents are
        ignored), ``"accents-apart"`` (both)."""
        parts = []
        if self.accents and not self.exact:
            parts.append("accents")
        if self.together is False:
            parts.append("apart")
        return "-".join(parts)


@dataclass
class Outcome:
    query: ParsedQuery
    results: PaginatorPage | None = None
    total: int = 0
    more_than_max: bool = False  # total is MAX_RESULTS and there are more
    estimated_total: int | None = None  # about how many match in all, when more than max
    searched: int | None = None  # only the newest ~this many pages were searched (see below)
    suggestion: str | None = None  # "did you mean", when nothing matched

    @property
    def hits(self) -> list[Hit]:
        return list(self.results.object_list) if self.results is not None else []


def pages_to_search(filters: Filters) -> QuerySet:
    """Live public portal pages of one language, newest first (the order of equal scores)."""
    if filters.articles_only:
        qs = ArticlePage.objects.live().filter(locale_id=filters.locale_id)
        if filters.section is not None:
            qs = qs.filter(path__startswith=filters.section.path)
        if filters.date_from is not None:
            qs = qs.filter(published_at__gte=_start_of(filters.date_from))
        if filters.date_to is not None:
            qs = qs.filter(published_at__lt=_start_of(filters.date_to + timedelta(days=1)))
        qs = qs.order_by(F("published_at").desc())
    else:
        qs = (
            Page.objects.live()
            .filter(locale_id=filters.locale_id)
            .type(ArticlePage, StandardPage)
            .order_by(Coalesce(F("articlepage__published_at"), F("first_published_at")).desc())
        )
    return public_only(qs)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class TieredResults:
    """The results of several queries listed one after the other, as a sliceable sequence
    for Django's Paginator. Each hit remembers its tier."""

    def __init__(self, tiers: list, *, limit: int = MAX_RESULTS) -> None:
        self.tiers = tiers
        self.limit = limit
        self._counts: list[int] | None = None

    def tier_counts(self) -> list[int]:
        """Matches per tier, counting no further than ``limit + 1`` in all."""
        if self._counts is None:
            counts, remaining = [], self.limit + 1
            for tier in self.tiers:
                counted = tier[:remaining].count() if remaining > 0 else 0
                counts.append(counted)
                remaining -= counted
            self._counts = counts
        return self._counts

    def total(self) -> int:
        return sum(self.tier_counts())

    def rankings(self) -> list:
        """The bounded rankings the counted tiers came from (database backends)."""
        return [
            ranking
            for tier, _count in zip(self.tiers, self.tier_counts(), strict=False)
            if (ranking := ranking_of(tier)) is not None
        ]

    def estimated_total(self) -> int | None:
        """About how many pages match in all, when more than ``limit`` do and the backend
        could tell (the count itself stops at ``limit + 1``)."""
        if self.total() <= self.limit:
            return None
        estimates = [r.estimate for r in self.rankings() if r.estimate]
        return max(estimates) if estimates else None

    def searched(self) -> int | None:
        """When the search stopped before the oldest pages (a phrase of very common words
        costs a check of every page holding the words): about how many of the newest pages
        were searched; otherwise None."""
        partial = [r.searched for r in self.rankings() if not r.exhaustive]
        return min(partial) if partial else None

    def count(self) -> int:
        return min(self.total(), self.limit)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[tuple[Page, int]]:
        start, stop = key.start or 0, min(key.stop or self.limit, self.limit)
        out: list[tuple[Page, int]] = []
        offset = 0
        for index, (tier, count) in enumerate(zip(self.tiers, self.tier_counts(), strict=True)):
            low, high = max(start - offset, 0), min(stop - offset, count)
            if low < high:
                # Straight from the ranking when it holds them (hits_for loads the pages).
                ranked = ranked_slice(tier, low, high)
                found = ranked if ranked is not None else tier[low:high]
                out.extend((page, index) for page in found)
            offset += count
            if offset >= stop:
                break
        return out


def run_search(
    query: ParsedQuery, filters: Filters, *, page_number=1, sections: list | None = None
) -> Outcome:
    outcome = Outcome(query=query)
    if query.is_empty:
        return outcome
    backend = portal_search_backend()
    pages = pages_to_search(filters)
    tiers = [backend.search(q, pages, operator="and") for q in query.tiers()]
    follow_tiers(tiers)
    results = TieredResults(tiers, limit=MAX_RESULTS)
    outcome.total = results.count()
    outcome.more_than_max = results.total() > MAX_RESULTS
    outcome.estimated_total = results.estimated_total()
    outcome.searched = results.searched()
    if outcome.total == 0:
        outcome.suggestion = suggest(query, pages, backend)
        return outcome
    paginator = Paginator(results, PAGE_SIZE)
    outcome.results = paginator.get_page(page_number)
    outcome.results.object_list = hits_for(
        outcome.results.object_list, query=query, locale_id=filters.locale_id, sections=sections
    )
    return outcome


def sections_of(locale_id: int) -> list[SectionPage]:
    """The live public sections of a language, in tree order (cached until the next publish,
    like the portal's own site furniture)."""
    key = f"search:sections:{content_version()}:{locale_id}"
    sections = cache.get(key)
    if sections is None:
        sections = list(
            public_only(SectionPage.objects.live().filter(locale_id=locale_id)).order_by("path")
        )
        cache.set(key, sections, 3600)
    return sections


def hits_for(
    found: list[tuple[Page, int]], *, query: ParsedQuery, locale_id: int, sections=None
) -> list[Hit]:
    """The specific pages of one results page, with section and snippet (≤ 3 queries).
    ``found``: pages, or the ``Ranked`` results of a bounded ranking (their pages are loaded
    here, once)."""
    if not found:
        return []
    specific: dict[int, Page] = {
        page.pk: page for page, _tier in found if isinstance(page, (ArticlePage, StandardPage))
    }
    missing = [page.pk for page, _tier in found if page.pk not in specific]
    if missing:
        specific.update(ArticlePage.objects.filter(pk__in=missing).in_bulk())
    missing = [pk for pk in missing if pk not in specific]
    if missing:
        specific.update(StandardPage.objects.filter(pk__in=missing).in_bulk())
    if sections is None:
        sections = sections_of(locale_id)
    by_path = {section.path: section for section in sections}
    exact_tier = 0 if query.has_diacritics else None
    terms, phrases = query.highlight_terms, query.highlight_phrases
    hits = []
    for found_page, tier in found:
        page = specific.get(found_page.pk, found_page)
        if not isinstance(page, Page):
            continue  # unpublished or deleted since it was ranked
        together = getattr(found_page, "search_together", None)
        exact = tier == exact_tier
        # Spelled as typed: only the spellings typed are marked ("cửa", not "của"). Words
        # standing together: the run of them is marked, not each word wherever it is.
        spelling = query.exact_forms if exact else None
        if together:
            snippet = snippet_for(page, (), query.together_phrases, exact=spelling)
        else:
            snippet = snippet_for(page, terms, phrases, exact=spelling)
        hits.append(
            Hit(
                page=page,
                exact=exact,
                section=by_path.get(page.path[: -page.steplen]),
                snippet=snippet,
                together=together,
                accents=query.has_diacritics,
            )
        )
    return hits


def snippet_for(page: Page, terms, phrases=(), *, exact=None) -> list[tuple[str, bool]]:
    """Around the first match in the lead (or intro), else in the body; else the lead's start.
    ``exact``: the spellings to mark (see ``snippets.find_matches``)."""
    lead = getattr(page, "lead", None) or getattr(page, "intro", "") or ""
    found = _snippet(lead, terms, phrases, exact)
    if found:
        return found
    body = plain_body(page)
    return _snippet(body, terms, phrases, exact) or snippets.leading(
        lead or body, length=SNIPPET_LENGTH
    )


_TAG = re.compile(r"<[^>]*>")


def plain_body(page: Page) -> str:
    """The text of a page's body for its snippet: the strings of its StreamField blocks read
    from the stored JSON, tags stripped (the portal's ``body_text`` renders each block to
    text through Wagtail's blocks and an HTML parser: most of a results page's snippet time
    when the leads do not match). Links and file references are left out."""
    body = getattr(page, "body", None)
    raw = getattr(body, "raw_data", None)
    if raw is None:
        return getattr(page, "body_text", "") or ""
    parts: list[str] = []

    def strings(value) -> None:
        if isinstance(value, str):
            if not value.startswith(("http://", "https://", "/")):
                parts.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("id", "type"):
                    strings(item)
        elif isinstance(value, list):
            for item in value:
                strings(item)

    for block in raw:
        strings(block.get("value") if isinstance(block, dict) else None)
    return html.unescape(_TAG.sub(" ", " ".join(parts)))


def _snippet(text: str, terms, phrases, exact=None) -> list[tuple[str, bool]]:
    """``snippets.snippet()`` of ``text``. (It finds Vietnamese words in the text as written,
    stopping shortly after the first match: no folded copy of a long body is made, which used
    to be most of a results page's snippet time.)"""
    return snippets.snippet(text, terms, phrases, length=SNIPPET_LENGTH, exact=exact)


def suggestion_candidates(query: ParsedQuery) -> list[str]:
    """Queries to offer as "did you mean" when nothing matched, best first: without the
    phrase quotes; decoded from Telex typed without an input method ("Laof Cai"); with one
    word left out (the last word first)."""
    words = list(query.words)
    plain = " ".join(words)
    telex = vietnamese.telex_to_vietnamese(plain)
    candidates = [plain] if query.quoted else []
    if telex:
        candidates.append(telex)
    for text in (telex, plain):
        variant = text.split() if text else []
        if 1 < len(variant) <= 6:
            for index in reversed(range(len(variant))):
                candidates.append(" ".join(variant[:index] + variant[index + 1 :]))
    seen = {query.text.casefold()}
    unique = []
    for candidate in candidates:
        key = candidate.casefold()
        if candidate and key not in seen:
            seen.add(key)
            unique.append(candidate)
    return unique[:MAX_SUGGESTION_TRIES]


def suggest(query: ParsedQuery, pages: QuerySet, backend) -> str | None:
    """The first candidate that finds something (one small query per candidate tried)."""
    for candidate in suggestion_candidates(query):
        parsed = parse_query(candidate)
        folded = parsed.folded_query()
        if folded is not None and backend.search(folded, pages, operator="and")[:1].count():
            return candidate
    return None
