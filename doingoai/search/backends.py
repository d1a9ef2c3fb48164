"""Query-side tuning of Wagtail's database search backends for the portal search.

The portal searches through Wagtail's configured search backend (``WAGTAILSEARCH_BACKENDS``;
for ``wagtail.search.backends.database`` modelsearch picks SQLite FTS5 or PostgreSQL full-text
search; a setting can make it Elasticsearch/OpenSearch). Reading modelsearch 1.3 showed what
this module changes for the two database backends — same index tables, same query objects,
same ``SearchResults`` API; any other backend is used as configured:

* **SQLite ranks in quadratic time.** Its ``search()`` filters ``pk IN (matches)`` and then
  scores each row with a *correlated* subquery that re-runs the FTS5 ``MATCH`` (and BM25's
  document counts) per row: 56 s for one common word over 10,000 articles. Here the ``MATCH``
  runs once, joined to the page query, with the score and tie-breakers in one statement.
* **SQLite ignores field boosts.** Its FTS5 table has three columns — ``title`` (the page
  title), ``autocomplete`` (AutocompleteFields) and ``body`` (every other SearchField) — and
  ranks with an unweighted ``bm25()``. Here ``bm25()`` weighs the columns; the portal pages
  index their folded headline and lead as an AutocompleteField, so headline and lead outweigh
  the body as their ``SearchField(boost=…)`` say (PostgreSQL maps boosts to tsvector weights
  A–D itself).
* **PostgreSQL does not use its full-text index.** It matches ``title || body @@ query``, for
  which Wagtail's migrations create no index, so every page's entry is read (0.35 s for a rare
  word over 10,000 articles). The portal's folded copies are all in ``body``, so matching
  ``body @@ query`` alone finds the same pages, through the GIN index on ``body``; the rank
  still uses title and body.
* **Negation** of a several-word query is wrong in modelsearch: on SQLite ``(a AND b) NOT
  (c AND d)`` is written without parentheses (FTS5's NOT binds tighter than AND); on
  PostgreSQL ``NOT (a AND b)`` becomes ``NOT a AND NOT b`` and a negated phrase is not
  negated. The portal's second tier ("matches, but not spelled as typed") needs it right.
* **Ties.** Both order by score, then primary key; PostgreSQL also scales the title's rank by a
  ``title_norm`` that depends on when the entry was written, so identical pages never tie.
  Here equal scores follow the queryset's own ``order_by`` (the portal passes newest first).
* **Counts** of a sliced result (``results[:1001].count()``) stop at the slice's end.
* **Ranking every match does not scale** (a common word matches nearly every page: SQLite's
  ``bm25()`` first reads each query word's whole posting list to count its rows, PostgreSQL's
  ``ts_rank`` reads each match's tsvector from TOAST). Ordered by relevance, a query here
  ranks a *bounded candidate set* (``ranking()``): its newest ``CANDIDATES`` matches among
  the pages searched — index rows are numbered in the order pages are first indexed, i.e.
  publication order, and both engines read matches in that order and stop at the ``LIMIT``
  (read in windows of rows from the newest back, so rarer words cost no more) — plus the
  newest ``HEADING_CANDIDATES`` older pages matching in the headline or lead. Each candidate
  is scored by where the query matches (headline + lead, headline; SQLite adds ``bm25()``
  when every match is a candidate and no word is common), ties newest first. Past the
  candidates the count is estimated from their density; a slice past them (Wagtail's admin
  paging through everything) ranks every match as before. A phrase of very common words must
  check word positions in nearly every row: it is read within ``SCAN_BUDGET`` and the
  ranking says how many of the newest rows were searched (``Ranking.exhaustive``,
  ``searched``). On SQLite a tier ``F AND NOT E`` listed after E's (``follow_tiers()``)
  reads no older rows than E's did and leaves E's known rows out. See docs/search.md,
  "Large databases".

The portal search applies this to the configured backend itself (``portal_search_backend``);
pointing ``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]`` at this module applies it to every
search of the site, Wagtail's admin included.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import pairwise

from django.core.exceptions import EmptyResultSet, FieldError
from django.db import connections
from django.db.models import (
    DateField,
    DateTimeField,
    Expression,
    F,
    OrderBy,
)
from modelsearch.backends import get_search_backend
from modelsearch.index import SearchField, get_indexed_models
from modelsearch.query import And, Fuzzy, MatchAll, Not, Or, Phrase, PlainText
from modelsearch.utils import get_descendants_content_types_pks

# Weights of the FTS5 columns, in table order (autocomplete, body, title): the folded headline
# and lead are in "autocomplete" (and again in "body"), the headline as written in "title".
SQLITE_COLUMN_WEIGHTS = (6.0, 1.0, 2.0)
# Bounded ranking (see the module docstring): the newest CANDIDATES matches of a query, plus
# the newest HEADING_CANDIDATES older ones that match in the headline or lead, are ranked.
CANDIDATES = 1001  # the portal pages through 1,000 results and counts "more than 1,000"
HEADING_CANDIDATES = 200
# … found no further back than this many times the span of rows of the newest matches (a
# rare combination of words would otherwise read posting lists back to the oldest pages).
HEADING_REACH = 4
HEADING_WEIGHT = 6  # the query matches within headline + lead
# The words typed (unquoted) stand together, in the order typed: before any other score.
TOGETHER_WEIGHT = 10
# Older matches with the words together looked for when the newest matches have few
# (fewer than TOGETHER_ENOUGH: a results page of them), up to this many.
TOGETHER_CANDIDATES = 200
TOGETHER_ENOUGH = 20
TITLE_WEIGHT = 2  # … within the headline itself
# SQLite's bm25() first counts the rows holding each query term, reading the term's whole
# posting list; it is added as a finer score only when no term is in more rows than this.
BM25_MAX_ROWS = 5000
# Matches are read from the newest index rows back, in windows of rows growing 4 times; a
# query still short of CANDIDATES after SCAN_BUDGET seconds stops there (approximate).
FIRST_WINDOW = 20_000
PHRASE_FIRST_WINDOW = 2_000  # a phrase checks word positions in every row holding its words
WINDOW_GROWTH = 4
SCAN_BUDGET = 0.010
PG_PHRASE_FIRST_WINDOW = 500  # each row's tsvector is read from TOAST to check a phrase
# PostgreSQL: the words together are checked in the body of this many of the newest
# candidates (one TOAST read each); in the headline and lead, of them all.
PG_TOGETHER_CHECK = 300
# SQLite: indexes that cover a table's part of the candidate statements. The portal's
# tie-breaker, ``portal_articlepage.published_at``, comes after the large body in the row
# (overflow pages to follow for each candidate); SQLite's planner prefers the primary key
# to the covering index unless told (``INDEXED BY``, only once the migration made it).
SQLITE_COVERING_INDEXES = {"portal_articlepage": "portal_article_pub_cover"}
_sqlite_indexes: dict[tuple[str, str], frozenset[str]] = {}
# Search fields whose tsvector weights (PostgreSQL) mark the headline, and headline + lead.
HEADLINE_FIELDS = ("folded_title",)
HEADING_FIELDS = ("folded_title", "folded_lead")


def _tiebreakers(queryset) -> list[tuple[object, bool]]:
    """``(expression, descending)`` for each item of the queryset's ``order_by``."""
    out = []
    for item in queryset.query.order_by:
        if isinstance(item, str):
            out.append((F(item.removeprefix("-")), item.startswith("-")))
        elif isinstance(item, OrderBy):
            out.append((item.expression, item.descending))
    return out


def _is_date(expression) -> bool:
    """A resolved expression whose values are dates or datetimes."""
    try:
        return isinstance(expression.output_field, (DateField, DateTimeField))
    except (AttributeError, FieldError):
        return False


def _is_plain_search(query, fields) -> bool:
    """A query these compilers handle (anything but match-all, a bare NOT or fuzzy)."""
    return not (fields or isinstance(query, (MatchAll, Not, Fuzzy)))


@dataclass(slots=True)
class Candidate:
    """One match of a bounded ranking: its page, its index row (the order pages were first
    indexed: publication order) and what the score is made of."""

    pid: int
    row: int
    tiebreakers: tuple
    heading: bool = False  # the query matches within the headline + lead
    title: bool = False  # the query matches within the headline
    together: bool = False  # the words typed stand together, in order (``adjacent()``)
    bm25: float = 0.0  # (SQLite, small result sets only) lower is better

    @property
    def score(self) -> float:
        return (
            TOGETHER_WEIGHT * self.together
            + HEADING_WEIGHT * self.heading
            + TITLE_WEIGHT * self.title
        )


@dataclass
class Ranking:
    candidates: list[Candidate]  # ranked
    complete: bool  # every match is a candidate (else there are more, older ones)
    exhaustive: bool = True  # False: reading stopped early, older pages were not searched
    searched: int = 0  # index rows read (≈ the newest pages) when not exhaustive
    estimate: int | None = None  # estimated matches in all, when not complete
    together: bool = False  # the candidates say whether the words typed stand together


def rank(candidates: list[Candidate], descending: list[bool]) -> list[Candidate]:
    """Best first: score, then bm25 (when there is one), then the queryset's order (newest
    first for the portal; missing values last when descending, first when not), then the
    newest page. One sort when the tie-breakers are numbers (dates are given as numbers);
    otherwise stable sorts, last key first."""
    if all(
        t is None or isinstance(t, (int, float, Decimal)) for c in candidates for t in c.tiebreakers
    ):
        if len(descending) == 1:
            # The portal's case (newest first): the same keys as ``key()`` below, made in
            # one pass (a thousand candidates a query).
            sign = -1 if descending[0] else 1
            present, missing = (0, 1) if descending[0] else (1, 0)
            tw, hw, iw = TOGETHER_WEIGHT, HEADING_WEIGHT, TITLE_WEIGHT
            keys = [
                (
                    -(tw * c.together + hw * c.heading + iw * c.title),
                    c.bm25,
                    *((present, sign * t) if (t := c.tiebreakers[0]) is not None else (missing, 0)),
                    -c.pid,
                )
                for c in candidates
            ]
            order = sorted(range(len(candidates)), key=keys.__getitem__)
            return [candidates[i] for i in order]

        def key(c: Candidate) -> tuple:
            parts: list = [-c.score, c.bm25]
            for t, down in zip(c.tiebreakers, descending, strict=True):
                if down:
                    parts += (0, -t) if t is not None else (1, 0)
                else:
                    parts += (1, t) if t is not None else (0, 0)
            parts.append(-c.pid)
            return tuple(parts)

        return sorted(candidates, key=key)
    ranked = sorted(candidates, key=lambda c: c.pid, reverse=True)
    for i in reversed(range(len(descending))):
        ranked.sort(
            key=lambda c, i=i: (c.tiebreakers[i] is not None, c.tiebreakers[i]),
            reverse=descending[i],
        )
    ranked.sort(key=lambda c: c.bm25)
    ranked.sort(key=lambda c: c.score, reverse=True)
    return ranked


def _objects(queryset, chosen: list[Candidate], score_field, together: bool = False) -> list:
    """The page objects of ranked candidates, in order (one query). With ``together``, each
    says whether the words typed stand together in it (``search_together``)."""
    by_pk = queryset.in_bulk([c.pid for c in chosen])
    out = []
    for c in chosen:
        obj = by_pk.get(c.pid)
        if obj is not None:
            if score_field:
                setattr(obj, score_field, c.score - c.bm25)
            if together:
                obj.search_together = c.together
            out.append(obj)
    return out


def adjacent(query):
    """The query with its unquoted words as a phrase (``PlainText("dien bien phu")`` →
    ``Phrase("dien bien phu")``, in the order typed): what a result matches when the words
    stand together. None when no part of the query has several unquoted words."""
    if isinstance(query, PlainText):
        words = query.query_string.split()
        if len(words) > 1 and query.operator.lower() == "and":
            return Phrase(" ".join(words))
        return None
    if isinstance(query, And):
        parts = [adjacent(q) for q in query.subqueries]
        if all(p is None for p in parts):
            return None
        return And([p or q for p, q in zip(parts, query.subqueries, strict=True)])
    return None


def tsquery_string(query, weights: str) -> str | None:
    """A ``to_tsquery`` string for a (positive) query with every word restricted to these
    tsvector weights (``'lao':AB & 'cai':AB``); words are quoted, never tsquery syntax."""

    def quoted(token: str) -> str:
        token = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
        return f"{token}:{weights}" if weights else token

    if isinstance(query, PlainText):
        words = [quoted(t) for t in query.query_string.split()]
        joiner = " | " if query.operator.lower() == "or" else " & "
        return f"({joiner.join(words)})" if words else None
    if isinstance(query, Phrase):
        words = [quoted(t) for t in query.query_string.split()]
        return f"({' <-> '.join(words)})" if words else None
    if isinstance(query, (And, Or)):
        parts = [tsquery_string(q, weights) for q in query.subqueries]
        if any(p is None for p in parts):
            return None
        return "(" + (" & " if isinstance(query, And) else " | ").join(parts) + ")"
    return None


def _has_phrase(query) -> bool:
    if isinstance(query, Phrase):
        return True
    if isinstance(query, (And, Or)):
        return any(_has_phrase(q) for q in query.subqueries)
    if isinstance(query, Not):
        return _has_phrase(query.subquery)
    if type(query).__name__ == "AndNot":
        return _has_phrase(query.subquery_a) or _has_phrase(query.subquery_b)
    return False


def positive(query):
    """The query without its negated parts (``a AND NOT b`` → ``a``), or None."""
    if isinstance(query, Not):
        return None
    if type(query).__name__ == "AndNot":  # modelsearch's normalized SQLite form
        return positive(query.subquery_a)
    if isinstance(query, And):
        parts = [p for p in (positive(q) for q in query.subqueries) if p is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(parts)
    return query


def fts5_string(query, token=lambda t: t) -> str | None:
    """An FTS5 query string for a (positive) query: every token quoted (never FTS5 syntax),
    ``token`` applied to each."""

    def quoted(t: str) -> str:
        return '"' + token(t).replace('"', '""') + '"'

    if isinstance(query, PlainText):
        words = [quoted(t) for t in query.query_string.split()]
        joiner = " OR " if query.operator.lower() == "or" else " AND "
        return f"({joiner.join(words)})" if words else None
    if isinstance(query, Phrase):
        words = [token(t) for t in query.query_string.split()]
        return '"' + " ".join(words).replace('"', '""') + '"' if words else None
    if isinstance(query, (And, Or)):
        parts = [fts5_string(q, token) for q in query.subqueries]
        if any(p is None for p in parts):
            return None
        return "(" + (" AND " if isinstance(query, And) else " OR ").join(parts) + ")"
    return None


class _Unicode61Fold(dict):
    """``str.translate`` table of FTS5's default tokenizer (unicode61, remove_diacritics
    1): a Latin letter with one diacritic loses it; one with two (most Vietnamese vowels
    with a tone: ồ, ế) keeps them, as does đ. Filled as characters are met."""

    def __missing__(self, code: int) -> int:
        parts = unicodedata.normalize("NFD", chr(code))
        base = ord(parts[0])
        self[code] = base if len(parts) == 2 and unicodedata.combining(parts[1]) else code
        return self[code]


_UNICODE61 = _Unicode61Fold()
_FTS5_TOKEN = re.compile(r"[^\W_]+")


def fts5_tokens(text: str) -> list[str]:
    """The tokens FTS5's default tokenizer makes of ``text`` (runs of letters and digits,
    lower-cased, folded as ``_Unicode61Fold`` says)."""
    text = unicodedata.normalize("NFC", text).lower()
    if not text.isascii():
        text = text.translate(_UNICODE61)
    return _FTS5_TOKEN.findall(text)


def text_matcher(query, token=lambda t: t):
    """A test of whether a text matches a (positive) query, as an FTS5 ``MATCH`` of
    ``fts5_string(query, token)`` restricted to a column holding that text would say:
    for a few short texts (headlines) already read, where FTS5 would read the query words'
    posting lists over a long range of rows. The test takes the text, or its
    ``fts5_tokens`` (a list: to test one text against several queries)."""

    def phrases(q) -> list[tuple[str, ...]]:
        return [tuple(fts5_tokens(token(t))) for t in q.query_string.split()]

    def contains(tokens: list[str], present: set[str], phrase: tuple[str, ...]) -> bool:
        n = len(phrase)
        if n == 0 or not present.issuperset(phrase):
            return False
        if n == 1:
            return True
        first = phrase[0]
        return any(
            tokens[i] == first and tuple(tokens[i : i + n]) == phrase
            for i in range(len(tokens) - n + 1)
        )

    def compile_test(q):
        """The test of ``q`` for a text's tokens (a list and a set), its query words
        tokenized once."""
        if isinstance(q, PlainText):
            wanted = phrases(q)
            every = q.operator.lower() != "or"
            if not wanted:
                return lambda tokens, present: False
            if every:
                return lambda tokens, present: all(contains(tokens, present, p) for p in wanted)
            return lambda tokens, present: any(contains(tokens, present, p) for p in wanted)
        if isinstance(q, Phrase):
            phrase = tuple(t for p in phrases(q) for t in p)
            return lambda tokens, present: contains(tokens, present, phrase)
        if isinstance(q, (And, Or)):
            tests = [compile_test(sub) for sub in q.subqueries]
            if isinstance(q, And):
                return lambda tokens, present: all(t(tokens, present) for t in tests)
            return lambda tokens, present: any(t(tokens, present) for t in tests)
        return lambda tokens, present: False

    test = compile_test(query)

    def matches(text) -> bool:
        tokens = text if isinstance(text, list) else fts5_tokens(text or "")
        return test(tokens, set(tokens))

    return matches


_EXACT_MARKS = re.compile(r"(?<=[^\W\d_])\d+$")


def folded_token(token: str) -> str:
    """The folded word of an exact-form token (``lao2`` → ``lao``; numbers stay)."""
    return _EXACT_MARKS.sub("", token)


class BoundedResults:
    """Search results ranked from a bounded candidate set (``compiler.ranking()``) when
    ordered by relevance; otherwise, or for a slice past the candidates of a query with more
    matches, the backend's unbounded statements."""

    def _bounded(self) -> Ranking | None:
        if not self._tuned() or not self.query_compiler.order_by_relevance:
            return None
        return self.query_compiler.ranking()

    def _covers(self, ranking: Ranking) -> bool:
        found = len(ranking.candidates)
        return (
            ranking.complete
            or not ranking.exhaustive
            or (self.stop is not None and self.stop <= found)
        )

    def _do_search(self):
        if not self._tuned():
            return super()._do_search()
        if self.stop is not None and self.stop <= self.start:
            return []
        try:
            ranking = self._bounded()
            if ranking is not None and self._covers(ranking):
                chosen = ranking.candidates[self.start : self.stop]
                return _objects(
                    self.query_compiler.queryset, chosen, self._score_field, ranking.together
                )
            return self._unbounded_search()
        except EmptyResultSet:
            return []

    def _do_count(self):
        if not self._tuned():
            return super()._do_count()
        compiler = self.query_compiler
        try:
            # A count that stops early (the second tier after the first, "is there
            # anything?") needs no ranking: the matches are counted up to ``stop``, unless
            # the query has a phrase (read in windows by the ranking, within its budget).
            cheap = (
                self.stop is not None and self.stop < CANDIDATES and not _has_phrase(compiler.query)
            )
            if getattr(compiler, "_ranking", None) is not None or not cheap:
                ranking = self._bounded()
                if ranking is not None and self._covers(ranking):
                    found = len(ranking.candidates)
                    return max(0, min(found, self.stop or found) - self.start)
            count = self._unbounded_count()
        except EmptyResultSet:
            return 0
        return max(0, count - self.start)


@dataclass(frozen=True)
class Ranked:
    """A ranked result given without loading its page (``ranked_slice``): the caller loads
    the pages it shows itself, once."""

    pk: int
    search_together: bool | None = None


def ranked_slice(results, start: int, stop: int) -> list[Ranked] | None:
    """Results ``start:stop`` of a counted result set straight from its bounded ranking
    (no page loaded), when the ranking holds them; otherwise None (slice the results)."""
    ranking = ranking_of(results)
    if ranking is None or not (
        ranking.complete or not ranking.exhaustive or stop <= len(ranking.candidates)
    ):
        return None
    return [
        Ranked(c.pid, c.together if ranking.together else None)
        for c in ranking.candidates[start:stop]
    ]


def ranking_of(results) -> Ranking | None:
    """The bounded ranking a result set was served from (after its count or a slice), if
    any: ``exhaustive`` False means reading stopped before the oldest pages (a phrase of very
    common words), ``estimate`` is the estimated number of matches when there are more than
    the candidates."""
    return getattr(getattr(results, "query_compiler", None), "_ranking", None)


def estimate(found: int, top: int, lowest: int) -> int:
    """Matches in the whole index, from ``found`` matches among the index rows ``lowest``
    to ``top`` (matches are about as dense in older rows), to two significant digits."""
    total = found * top / max(top - lowest + 1, 1)
    digits = max(len(str(int(total))) - 2, 0)
    return max(found, int(round(total, -digits)))


@cache
def _sqlite_backend_class():
    from modelsearch.backends.database.sqlite import sqlite as base
    from modelsearch.backends.database.sqlite.query import (
        SearchQueryCombinable,
        SearchQueryField,
        normalize,
    )

    fts = base.SQLiteFTSIndexEntry._meta.db_table

    def _weights() -> str:
        return ", ".join(str(float(w)) for w in SQLITE_COLUMN_WEIGHTS)

    def _terms(query) -> list[str]:
        """The tokens of a (positive) query."""
        if isinstance(query, (PlainText, Phrase)):
            return query.query_string.split()
        if isinstance(query, (And, Or)):
            return [t for q in query.subqueries for t in _terms(q)]
        return []

    class Group(SearchQueryCombinable, Expression):
        """A parenthesised FTS5 sub-expression."""

        def __init__(self, inner):
            super().__init__(output_field=SearchQueryField())
            self.inner = inner

        def as_sql(self, compiler, connection):
            sql, params = compiler.compile(self.inner)
            return f"({sql})", params

    class Compiler(base.SQLiteSearchQueryCompiler):
        def build_search_query_content(self, query, config=None):
            # modelsearch writes "a AND b NOT c AND d" for (a AND b) NOT (c AND d); FTS5's NOT
            # binds tighter than AND, so every sub-expression is put in parentheses.
            return Group(super().build_search_query_content(query, config=config))

        # -- bounded ranking ------------------------------------------------------------
        def matches(
            self,
            fts_query=None,
            *,
            scored: bool,
            limit=None,
            below=None,
            at_least=None,
            bm25=False,
            title=False,
        ):
            """SQL and params of the FTS matches among the pages searched: ``pid`` and the
            index row ``row``, newest rows first, up to ``limit`` (FTS5 walks its posting
            lists in rowid order and stops there; nothing is scored); with ``scored`` also
            the queryset's tie-breakers ``tb<i>``. ``fts_query`` (an FTS5 string) replaces
            the compiled query; ``below`` keeps rows older than that row; ``title`` adds
            the page title last."""
            pages_sql, pages_params, descending = self.pages_statement(scored, title)
            entries = base.IndexEntry._meta.db_table
            types = get_descendants_content_types_pks(self.queryset.model)
            if not types:
                raise EmptyResultSet
            # Dates as Julian day numbers: the ranking sorts numbers in one pass.
            dates = getattr(self, "_tb_dates", ())
            columns = "".join(
                (
                    f", julianday(b.search_tb{i}) AS search_tb{i}"
                    if i in dates
                    else f", b.search_tb{i}"
                )
                for i in range(len(descending))
            )
            if bm25:
                columns += f", bm25({fts}, {_weights()}) AS search_score"
            if title:
                columns += ", b.search_title"
            sql = (
                f"SELECT b.search_pk, {fts}.rowid AS search_row{columns} "  # noqa: S608
                f"FROM {fts} JOIN {entries} e ON e.id = {fts}.rowid "
                f"JOIN ({pages_sql}) b ON b.search_pk = CAST(e.object_id AS integer) "
                f"WHERE {fts} MATCH %s AND e.content_type_id IN ({', '.join(['%s'] * len(types))})"
            )
            params = [*pages_params, fts_query or self.fts5_query(), *types]
            if below is not None:
                sql += f" AND {fts}.rowid < %s"
                params.append(below)
            if at_least is not None:
                sql += f" AND {fts}.rowid >= %s"
                params.append(at_least)
            if limit is not None:
                sql += f" ORDER BY {fts}.rowid DESC LIMIT %s"
                params.append(limit)
            return sql, params, descending

        def pages_statement(self, scored: bool, title: bool = False):
            """The pages searched as ``search_pk`` (and tie-breakers ``search_tb<i>``, the
            title ``search_title``)."""
            key = f"_pages_{scored:d}{title:d}"
            cached = getattr(self, key, None)
            if cached is None:
                tiebreakers = _tiebreakers(self.queryset) if scored else []
                pages = self.queryset.order_by().values(
                    search_pk=F("pk"),
                    **{
                        f"search_tb{i}": expression
                        for i, (expression, _d) in enumerate(tiebreakers)
                    },
                    **({"search_title": F("title")} if title else {}),
                )
                sql, params = pages.query.sql_with_params()
                sql = self.covering_hints(sql)
                cached = (sql, list(params), [descending for _e, descending in tiebreakers])
                setattr(self, key, cached)
                if scored:
                    self._tb_dates = {
                        i
                        for i in range(len(tiebreakers))
                        if _is_date(pages.query.annotations.get(f"search_tb{i}"))
                    }
            return cached

        def covering_hints(self, sql: str) -> str:
            """The pages statement with ``INDEXED BY`` for the tables joined to it that have
            one of ``SQLITE_COVERING_INDEXES`` (the indexes present are read once per
            process and database)."""
            connection = connections[self.queryset.db]
            key = (self.queryset.db, str(connection.settings_dict["NAME"]))
            present = _sqlite_indexes.get(key)
            if present is None:
                names = ", ".join(["%s"] * len(SQLITE_COVERING_INDEXES))
                rows = self.run(
                    f"SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ({names})",  # noqa: S608
                    list(SQLITE_COVERING_INDEXES.values()),
                )
                present = _sqlite_indexes[key] = frozenset(name for (name,) in rows)
            for table, index in SQLITE_COVERING_INDEXES.items():
                join = f'LEFT OUTER JOIN "{table}" ON'
                if index in present and join in sql:
                    sql = sql.replace(join, f'LEFT OUTER JOIN "{table}" INDEXED BY "{index}" ON')
            return sql

        def rows_matching(self, fts_query: str, lowest: int) -> set[int]:
            """Index rows from ``lowest`` up that match an FTS5 string (no page filter:
            only asked about rows already known to be candidates)."""
            sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s AND rowid >= %s"  # noqa: S608
            return {row for (row,) in self.run(sql, [fts_query, lowest])}

        def bm25_scores(self, rows: list[int]) -> dict[int, float]:
            """Weighted bm25 of these rows, when every term of the query is in at most
            BM25_MAX_ROWS rows (bm25 reads each term's whole posting list)."""
            terms = _terms(positive(self.query))
            if not terms:
                return {}
            probe = f"SELECT 1 FROM {fts} WHERE {fts} MATCH %s LIMIT 1 OFFSET %s"  # noqa: S608
            for term in terms:
                if self.run(probe, [f'"{term}"', BM25_MAX_ROWS]):
                    return {}
            # A range of rows, not ``rowid IN (…)``: FTS5 would run the whole MATCH again for
            # each row of the list (110 ms for 900 rows at 100,000 articles, 3 ms as a range).
            # Every term is in at most BM25_MAX_ROWS rows, so the range reads no more.
            sql = (
                f"SELECT rowid, bm25({fts}, {_weights()}) FROM {fts} "  # noqa: S608
                f"WHERE {fts} MATCH %s AND rowid >= %s AND rowid <= %s"
            )
            wanted = set(rows)
            scored = self.run(sql, [self.fts5_query(), min(rows), max(rows)])
            return {row: score for row, score in scored if row in wanted}

        def fts5_query(self) -> str:
            """The compiled FTS5 string of this query."""
            compiler = base.SQLiteFTSIndexEntry.objects.none().query.get_compiler(self.queryset.db)
            sql, params = compiler.compile(self.build_search_query(normalize(self.query)))
            return sql % tuple(params)

        def newest(
            self,
            fts_query,
            limit: int,
            below=None,
            budget=None,
            floor=0,
            exclude=frozenset(),
            title=False,
            phrase=None,
        ):
            """The newest ``limit`` matches (``pid, row, tie-breakers``), read in windows of
            index rows from the newest back, each up to ``WINDOW_GROWTH`` times the last (or
            as many rows as the matches found so far say are needed): a query with many
            matches stops in the first window; one with few reads them all, unless reading
            is slow (a phrase of very common words must check the positions of every row
            holding its words), when it stops after ``budget`` seconds — the next window is
            no larger than the rest of the budget allows at the pace of the rows read so far,
            so the budget is not overshot by a window 4 times the last. Reading stops at row
            ``floor``; the rows in ``exclude`` are left out; ``title`` adds the page title
            to each row; ``phrase`` says whether ``fts_query`` is a phrase (by default,
            whether this query has one). Returns the rows and whether every row (down to
            the first) was read.

            FTS5 walks a phrase backwards (``ORDER BY rowid DESC``) past the window's lower
            bound until it finds a match, so a window of a phrase query is read forwards and
            whole, and its newest matches kept."""
            budget = SCAN_BUDGET if budget is None else budget
            top = self.top_row()
            hi = start = top + 1 if below is None else below
            phrase = _has_phrase(self.query) if phrase is None else phrase
            window = PHRASE_FIRST_WINDOW if phrase else FIRST_WINDOW
            rows, started = [], time.monotonic()
            while True:
                lo = max(hi - window, floor)
                needed = limit - len(rows)
                # Matches that will be left out do not count towards the LIMIT.
                dropped = sum(1 for row in exclude if lo <= row < hi)
                sql, params, _descending = self.matches(
                    fts_query,
                    scored=True,
                    limit=None if phrase else needed + dropped,
                    below=hi,
                    at_least=lo if lo > 0 else None,
                    title=title,
                )
                found = self.run(sql, params)
                if dropped:
                    found = [row for row in found if row[1] not in exclude]
                if phrase:
                    found = sorted(found, key=lambda row: row[1], reverse=True)
                rows += found[:needed]
                if len(rows) >= limit or lo <= 0:
                    return rows, True
                if lo <= floor:
                    self._searched = top - lo
                    return rows, False
                # Words are found through their posting lists, which FTS5 reads no further
                # than the LIMIT: only a phrase's position checks need a time budget.
                elapsed = time.monotonic() - started
                if phrase and elapsed > budget:
                    self._searched = top - lo
                    return rows, False
                read = hi - lo
                density = len(rows) / max(top + 1 - lo, 1)
                window = read * WINDOW_GROWTH
                if density > 0:
                    window = max(read, min(window, int(1.5 * (limit - len(rows)) / density)))
                if phrase:
                    pace = elapsed / (start - lo)  # seconds per row read
                    window = min(window, int((budget - elapsed) / pace) if pace else window)
                    if window < PHRASE_FIRST_WINDOW // 4:  # not worth another statement
                        self._searched = top - lo
                        return rows, False
                hi = lo

        def follow(self, before) -> None:
            """This compiler's query is ``F AND NOT E`` and lists its results after those of
            ``before`` (E's compiler): see ``after_tier()``."""
            self._before = before

        def after_tier(self) -> tuple[int, frozenset[int] | None]:
            """When this query is ``F AND NOT E`` and follows E's tier, and E's ranking holds
            every match of E in the rows it read: the lowest row E read (0: all) and E's
            rows. The tier then reads no older rows than E's (both tiers searched the same
            newest pages) and leaves E's rows out of its headline matches (FTS5's column
            filter does not apply to the NOT). Otherwise ``(0, None)``."""
            before = getattr(self, "_before", None)
            query = self.query
            if before is None or not (
                isinstance(query, And)
                and len(query.subqueries) == 2
                and isinstance(query.subqueries[1], Not)
                and query.subqueries[1].subquery is before.query
            ):
                return 0, None
            ranking = before.ranking()
            if not (ranking.complete or not ranking.exhaustive):
                return 0, None  # E has more matches than its candidates
            floor = 0 if ranking.exhaustive else before.top_row() - ranking.searched
            return floor, frozenset(c.row for c in ranking.candidates)

        def top_row(self) -> int:
            if getattr(self, "_top", None) is None:
                table = base.IndexEntry._meta.db_table
                [(top,)] = self.run(f"SELECT COALESCE(MAX(id), 0) FROM {table}", [])  # noqa: S608
                self._top = top
            return self._top

        def flags(self, fts_query: str, lowest: int) -> set[int]:
            """Which candidates' index rows match an FTS5 string: one scan of the rows from
            the oldest candidate (``lowest``) up (no page filter: only candidates are looked
            up). FTS5 reads only the part of each posting list in that range."""
            return self.rows_matching(fts_query, lowest)

        def ranking(self) -> Ranking:
            """The bounded ranking of this query, computed once per query (the count and
            the slices of a result set share it)."""
            cached = getattr(self, "_ranking", None)
            if cached is not None:
                return cached
            _sql, _params, descending = self.pages_statement(True)
            head = positive(self.query)
            head_query = fts5_string(head)
            floor, exclude = self.after_tier()
            if exclude is not None and _has_phrase(self.query) and head_query is not None:
                # "F AND NOT E" after E's tier: the phrase F is checked alone (FTS5 would
                # check E's positions again) and E's rows, known, are left out.
                rows, searched_all = self.newest(
                    head_query, CANDIDATES, floor=floor, exclude=exclude
                )
            else:
                rows, searched_all = self.newest(None, CANDIDATES)
            complete = searched_all and len(rows) < CANDIDATES
            candidates = [Candidate(pid, row, tuple(tb)) for pid, row, *tb in rows]
            title_query = fts5_string(head, folded_token)
            together = adjacent(head) if head is not None else None
            together_query = fts5_string(together) if together is not None else None
            # Reading stopped early (a phrase of very common words): another pass over the
            # rows read for the flags would cost as much again; the matches found are listed
            # newest first.
            flagged = searched_all and candidates and head_query is not None
            if flagged:
                lowest = min(c.row for c in candidates)
                heading = self.flags(f"{{autocomplete}} : {head_query}", lowest)
                # The "title" column holds the headline as written (FTS5 folds its case and
                # marks): searched with the folded words.
                title = self.flags(f"{{title}} : {title_query}", lowest)
                near = self.flags(together_query, lowest) if together_query else set()
                for c in candidates:
                    c.heading, c.title = c.row in heading, c.row in title
                    c.together = c.row in near
            older: dict[int, Candidate] = {}
            if searched_all and not complete and rows and head_query is not None:
                lowest = min(row[1] for row in rows)
                reach = max(lowest - HEADING_REACH * (self.top_row() - lowest), 0)
                in_title = text_matcher(head, folded_token)
                if together_query and sum(c.together for c in candidates) < TOGETHER_ENOUGH:
                    # Few of the newest matches have the words together: the newest older
                    # pages that do, within the time budget (a phrase of common words is
                    # checked in every row holding them). Their headline is read from their
                    # title (their lead is not: a weaker heading flag for these).
                    more, _all = self.newest(
                        together_query,
                        TOGETHER_CANDIDATES,
                        below=lowest,
                        budget=SCAN_BUDGET / 2,
                        floor=reach,
                        exclude=exclude or frozenset(),
                        title=True,
                        phrase=True,
                    )
                    for pid, row, *tb, page_title in more:
                        matched = in_title(fts5_tokens(page_title or ""))
                        older[row] = Candidate(
                            pid, row, tuple(tb), heading=matched, title=matched, together=True
                        )
                # Older pages that match in the headline or lead: the newest strong matches
                # (the column filter applies to the positive part only: the rows of the
                # tier before are left out here). They match in the heading by definition;
                # whether in the headline is read from their title (they lie far back:
                # FTS5 would read the query words' posting lists all the way there), and
                # so whether the words stand together there, when not found above.
                more, _all = self.newest(
                    f"{{autocomplete}} : {head_query}",
                    HEADING_CANDIDATES,
                    below=lowest,
                    budget=SCAN_BUDGET / 2,
                    floor=reach,
                    exclude=exclude or frozenset(),
                    title=True,
                )
                in_title_together = (
                    text_matcher(together, folded_token) if together is not None else None
                )
                for pid, row, *tb, page_title in more:
                    known = older.get(row)
                    tokens = fts5_tokens(page_title or "")
                    older[row] = Candidate(
                        pid,
                        row,
                        tuple(tb),
                        heading=True,
                        title=in_title(tokens),
                        together=bool(
                            (known and known.together)
                            or (in_title_together and in_title_together(tokens))
                        ),
                    )
                candidates += older.values()
            if complete and candidates and head_query is not None:
                scores = self.bm25_scores([c.row for c in candidates])
                for c in candidates:
                    c.bm25 = scores.get(c.row, 0.0)
            ranking = Ranking(rank(candidates, descending), complete, searched_all)
            ranking.together = bool(flagged and together_query)
            if not searched_all:
                ranking.searched = self._searched
            elif not complete:
                main = rows[:CANDIDATES]
                ranking.estimate = estimate(len(main), self.top_row(), min(row[1] for row in main))
            self._ranking = ranking
            return ranking

        # -- unbounded (ordering other than relevance; slices beyond the candidates) ----
        def count_statement(self, limit: int | None):
            sql, params, _descending = self.matches(scored=False, limit=limit)
            return f"SELECT COUNT(*) FROM ({sql}) c", params  # noqa: S608

        def page_statement(self, start: int, stop: int | None):
            """Every match scored (bm25), ordered; the slice [start:stop]."""
            sql, params, descending = self.matches(scored=True, bm25=True)
            order = ["m.search_score"] if self.order_by_relevance else []
            order += [f"m.search_tb{i}{' DESC' if d else ''}" for i, d in enumerate(descending)]
            order.append("m.search_pk DESC")
            sql = (
                f"SELECT m.search_pk, m.search_score FROM ({sql}) m "  # noqa: S608
                f"ORDER BY {', '.join(order)} LIMIT %s OFFSET %s"
            )
            return sql, [*params, -1 if stop is None else stop - start, start]

        def run(self, sql, params):
            with connections[self.queryset.db].cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

    class Results(BoundedResults, base.SQLiteSearchResults):
        def _tuned(self):
            compiler = self.query_compiler  # autocomplete() has modelsearch's own compiler
            return isinstance(compiler, Compiler) and _is_plain_search(
                normalize(compiler.query), compiler.fields
            )

        def _unbounded_search(self):
            compiler = self.query_compiler
            rows = compiler.run(*compiler.page_statement(self.start, self.stop))
            chosen = [Candidate(pid, 0, (), bm25=score) for pid, score in rows]
            return _objects(compiler.queryset, chosen, self._score_field)

        def _unbounded_count(self):
            compiler = self.query_compiler
            [(count,)] = compiler.run(*compiler.count_statement(self.stop))
            return count

    class Backend(base.SQLiteSearchBackend):
        query_compiler_class = Compiler
        results_class = Results

    return Backend


@cache
def _postgres_backend_class():
    from modelsearch.backends.database.postgres import postgres as base
    from modelsearch.backends.database.postgres.weights import get_weight

    entries = base.IndexEntry._meta.db_table

    class Compiler(base.PostgresSearchQueryCompiler):
        def build_tsquery_content(self, query, config=None, invert=False):
            # modelsearch negates a multi-word PlainText word by word (NOT a AND NOT b, not
            # NOT (a AND b)) and ignores the negation of a Phrase: negate the whole instead.
            if invert and isinstance(query, (PlainText, Phrase)):
                return ~super().build_tsquery_content(query, config=config, invert=False)
            return super().build_tsquery_content(query, config=config, invert=invert)

        def get_index_vectors(self, search_query):
            # modelsearch multiplies the title's rank by a "title_norm" fixed when each entry
            # was written (the average title length *at that time* / this title's length), so
            # two identical pages indexed a week apart do not tie. Weigh title and body alike;
            # the field boosts (tsvector weights) still make the headline count most.
            return [(F("index_entries__title"), 1.0), (F("index_entries__body"), 1.0)]

        def matches(self, config):
            """The page queryset filtered to the matches, unordered."""
            search_query = self.build_tsquery(self.query, config=config)
            queryset = self.queryset.annotate(_search_body=F("index_entries__body")).filter(
                _search_body=search_query
            )
            return queryset, search_query

        def search(self, config, start, stop, score_field=None, backend=None):
            if not _is_plain_search(self.query, self.fields):
                return super().search(config, start, stop, score_field, backend)
            queryset, search_query = self.matches(config)
            rank = self._build_rank_expression(self.get_index_vectors(search_query), config)
            if self.order_by_relevance:
                tiebreak = [
                    expression.desc() if descending else expression.asc()
                    for expression, descending in _tiebreakers(self.queryset)
                ]
                queryset = queryset.order_by(rank.desc(), *tiebreak, "-pk")
            elif not queryset.query.order_by:
                queryset = queryset.order_by("-pk")
            if score_field is not None:
                queryset = queryset.annotate(**{score_field: rank})
            return queryset[start:stop]

        # -- bounded ranking ------------------------------------------------------------
        def weights_of(self, field_names) -> str:
            """The tsvector weights (A-D) of these search fields, on any indexed model (the
            portal searches ``Page``, whose subclasses declare them)."""
            boosts = {
                field.boost
                for model in get_indexed_models()
                for field in model.get_search_fields()
                if isinstance(field, SearchField) and field.field_name in field_names
            }
            return "".join(sorted({get_weight(boost) for boost in boosts}))

        def match_sql(self, config, *, match=None, heading_only=False, exclude=None):
            """SQL (on ``m``, an index entry) and params of the match condition: the
            query's ``body @@ query``; ``match``: this ``to_tsquery`` string instead;
            ``heading_only``: the query's positive part in the headline or lead.

            A positive query (or, with ``exclude``, the positive part of ``F AND NOT E``
            whose E rows are known and left out by the caller) is matched as
            ``autocomplete @@ q OR body @@ q`` when both vectors use one configuration: the
            small headline + lead vector first, and the large ``body`` (read from TOAST,
            most of a candidate's cost) only where the headline and lead do not match —
            the same rows, as ``body`` holds the folded headline and lead too."""
            auto = self.backend_autocomplete_config
            to_tsquery = "to_tsquery(%s::regconfig, %s)" if config else "to_tsquery(%s)"

            def body(string):
                return f"m.body @@ {to_tsquery}", [config, string] if config else [string]

            if match is not None:
                return body(match)
            head = positive(self.query)
            head_string = tsquery_string(head, "") if head is not None else None
            same = config == auto
            simple = head is not None and (head is self.query or exclude is not None)
            if heading_only:
                if head_string is None:
                    raise EmptyResultSet
                sql, params = (
                    "m.autocomplete @@ to_tsquery(%s::regconfig, %s)",
                    [auto, head_string],
                )
                if not (same and simple):
                    compiled, compiled_params = self.compiled_match(config)
                    sql, params = f"{sql} AND {compiled}", [*params, *compiled_params]
                return sql, params
            if same and simple and head_string is not None:
                in_body, body_params = body(head_string)
                return (
                    f"(m.autocomplete @@ to_tsquery(%s::regconfig, %s) OR {in_body})",
                    [auto, head_string, *body_params],
                )
            return self.compiled_match(config)

        def compiled_match(self, config):
            """modelsearch's ``body @@ query`` for the whole query (negation included)."""
            search_query = self.build_tsquery(self.query, config=config)
            sql, params = (
                base.IndexEntry.objects.filter(body=search_query)
                .values("id")
                .query.sql_with_params()
            )
            condition = sql.split(" WHERE ", 1)[1]
            return condition.replace(f'"{entries}".', "m."), list(params)

        def candidates_statement(
            self,
            config,
            *,
            limit,
            below=None,
            at_least=None,
            heading_only=False,
            match=None,
            exclude=None,
            entries_first=False,
        ):
            """The newest matches among the pages searched (``pid``, index row, tie-breakers,
            headline, heading and together-in-heading flags; ``match_sql()`` says which).
            PostgreSQL reads them through the GIN index on ``body`` (rare words) or the
            primary key backwards (common words: it stops at the LIMIT). ``exclude``: rows
            the caller leaves out (``match_sql()``)."""
            parts = getattr(self, "_statement_parts", None)
            if parts is None or parts[0] != config:
                parts = self._statement_parts = (config, *self.statement_parts(config))
            (_config, types, select, pages_sql, inner_sql) = parts[:5]
            flag_params, pages_params, descending, flags = parts[5:]
            key = (config, match, heading_only, exclude is not None)
            conditions = self.__dict__.setdefault("_conditions", {})
            if key not in conditions:
                conditions[key] = self.match_sql(
                    config, match=match, heading_only=heading_only, exclude=exclude
                )
            condition, condition_params = conditions[key]
            where = [condition, f"m.content_type_id IN ({', '.join(['%s'] * len(types))})"]
            where_params = [*condition_params, *types]
            if below is not None:
                where.append("m.id < %s")
                where_params.append(below)
            if at_least is not None:
                where.append("m.id >= %s")
                where_params.append(at_least)
            # ``entries_first``: the LIMIT on the entries, then their pages (see
            # ``fetch_candidates()``); PostgreSQL still reads a common word's entries
            # backwards through the primary key and stops at the LIMIT. Otherwise the LIMIT
            # on the join (without a LIMIT on the entries, taking the matching entries first
            # made PostgreSQL sort every entry of the window: 4 times the CPU for "tỉnh").
            # The flags are computed on the rows kept (after the LIMIT): when PostgreSQL
            # reads a window's matches through the GIN index and sorts them, flags in the
            # same SELECT were computed for every match of the window, each "t" reading the
            # row's ``body`` from TOAST. The vectors pass through the sort as references.
            if entries_first:
                # The newest matching entries first, then their pages (a LEFT JOIN: an
                # entry whose page is not searched comes back with no pid, so the caller
                # knows how many entries were read; see ``fetch_candidates()``).
                sql = (
                    f"{select} FROM ({inner_sql} FROM (SELECT m.id, m.object_id, "  # noqa: S608
                    f"m.autocomplete, m.body FROM {entries} m WHERE {' AND '.join(where)} "
                    "ORDER BY m.id DESC LIMIT %s) m "
                    f"LEFT JOIN ({pages_sql}) b ON b.search_pk = m.object_id::integer) s "
                    "ORDER BY s.id DESC"
                )
                params = [*flag_params, *where_params, limit, *pages_params]
                return sql, params, descending, flags
            sql = (
                f"{select} FROM ({inner_sql} "
                f"FROM {entries} m JOIN ({pages_sql}) b ON b.search_pk = m.object_id::integer "
                f"WHERE {' AND '.join(where)} ORDER BY m.id DESC LIMIT %s) s ORDER BY s.id DESC"
            )
            params = [*flag_params, *pages_params, *where_params, limit]
            return sql, params, descending, flags

        def statement_parts(self, config):
            """What ``candidates_statement()`` says the same way for every window (compiled
            once per query): the content types, the outer SELECT (tie-breakers and flags),
            the pages searched, the inner SELECT, their parameters, the tie-breakers'
            directions and the flags."""
            types = get_descendants_content_types_pks(self.queryset.model)
            if not types:
                raise EmptyResultSet
            # Flags: the headline + lead from the small "autocomplete" tsvector (the folded
            # heading, "simple" configuration); the headline from the weight of
            # folded_title in "body" (read from TOAST), only for rows matching the first;
            # the words together in the headline or lead (in the body: ``together_rows``).
            head = positive(self.query)
            heading = tsquery_string(head, "") if head is not None else None
            title_weights = self.weights_of(HEADLINE_FIELDS)
            title = tsquery_string(head, title_weights) if heading and title_weights else None
            together = adjacent(head) if heading else None
            together = tsquery_string(together, "") if together is not None else None
            tiebreakers = _tiebreakers(self.queryset)
            pages = self.queryset.order_by().values(
                search_pk=F("pk"),
                **{f"search_tb{i}": expression for i, (expression, _d) in enumerate(tiebreakers)},
            )
            pages_sql, pages_params = pages.query.sql_with_params()
            # Dates as microseconds since the epoch (exact integers): psycopg turns each
            # timestamp into an aware datetime, and each numeric into a Decimal, slowly
            # (thousands a query); only their order matters here.
            columns = "".join(
                f", (EXTRACT(EPOCH FROM b.search_tb{i}) * 1000000)::bigint AS search_c{i}"
                if _is_date(pages.query.annotations.get(f"search_tb{i}"))
                else f", b.search_tb{i} AS search_c{i}"
                for i in range(len(tiebreakers))
            )
            outer_columns = "".join(f", s.search_c{i}" for i in range(len(tiebreakers)))
            to_tsquery = "to_tsquery(%s::regconfig, %s)" if config else "to_tsquery(%s)"
            auto = self.backend_autocomplete_config
            flags, flag_sql, flag_params = [], "", []
            if heading:
                flags.append("h")
                flag_sql += ", s.search_a @@ to_tsquery(%s::regconfig, %s) AS h"
                flag_params += [auto, heading]
                if title:
                    flags.append("t")
                    flag_sql += (
                        ", CASE WHEN s.search_a @@ to_tsquery(%s::regconfig, %s) "
                        f"THEN s.search_b @@ {to_tsquery} ELSE false END AS t"
                    )
                    flag_params += [auto, heading, *([config, title] if config else [title])]
                if together:
                    flags.append("n")
                    flag_sql += ", s.search_a @@ to_tsquery(%s::regconfig, %s) AS n"
                    flag_params += [auto, together]
            select = f"SELECT s.search_pk, s.id{outer_columns}{flag_sql}"
            inner = (
                f"SELECT b.search_pk, m.id{columns}, m.autocomplete AS search_a, m.body AS search_b"
            )
            descending = [d for _e, d in tiebreakers]
            return types, select, pages_sql, inner, flag_params, pages_params, descending, flags

        def fetch_candidates(self, config, **kwargs):
            """The rows of ``candidates_statement(config, **kwargs)`` and what goes with
            them (descending tie-breakers, flags).

            Read as the newest ``limit`` matching entries first, then their pages: PostgreSQL
            plans the entries alone and reads a window's matches of two middling words
            through the GIN index on ``body``, where with the pages joined it walks the
            primary key backwards, reading ``body`` from TOAST for every entry on the way
            (≈ 10 µs each: "Mường Khương" 47 → 23 ms at 100,000 articles). When some of
            those entries' pages are not searched (another language, a section, not live)
            and the statement read ``limit`` entries, older matches may be missing: the
            window is read again with the pages joined while walking, and so are the next
            windows of this search."""
            if getattr(self, "_join_first", False):  # it happened before in this search
                sql, params, descending, flags = self.candidates_statement(config, **kwargs)
                return self.run(sql, params), descending, flags
            sql, params, descending, flags = self.candidates_statement(
                config, entries_first=True, **kwargs
            )
            rows = self.run(sql, params)
            kept = [row for row in rows if row[0] is not None]
            if len(kept) < len(rows) and len(rows) >= kwargs["limit"]:
                self._join_first = True
                sql, params, descending, flags = self.candidates_statement(config, **kwargs)
                kept = self.run(sql, params)
            return kept, descending, flags

        backend_autocomplete_config = "simple"  # modelsearch's, for the autocomplete vector

        def run(self, sql, params):
            with connections[self.queryset.db].cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        def top_row(self) -> int:
            if getattr(self, "_top", None) is None:
                [(top,)] = self.run(f"SELECT COALESCE(MAX(id), 0) FROM {entries}", [])  # noqa: S608
                self._top = top
            return self._top

        def follow(self, before) -> None:
            """This compiler's query is ``F AND NOT E`` and lists its results after those of
            ``before`` (E's compiler): see ``after_tier()``."""
            self._before = before

        def after_tier(self, config) -> tuple[int, frozenset[int] | None]:
            """As the SQLite backend's: when this query is ``F AND NOT E`` after E's tier and
            E's ranking holds every match of E in the rows it read, the lowest row E read
            (0: all) and E's rows. This tier then matches F alone (no ``NOT E`` to check in
            each row's ``body``) and leaves E's rows out. Otherwise ``(0, None)``."""
            before = getattr(self, "_before", None)
            query = self.query
            if before is None or not (
                isinstance(query, And)
                and len(query.subqueries) == 2
                and isinstance(query.subqueries[1], Not)
                and query.subqueries[1].subquery is before.query
            ):
                return 0, None
            ranking = before.ranking(config)
            if not (ranking.complete or not ranking.exhaustive):
                return 0, None
            floor = 0 if ranking.exhaustive else before.top_row() - ranking.searched
            return floor, frozenset(c.row for c in ranking.candidates)

        def newest(
            self,
            config,
            limit: int,
            budget=None,
            *,
            below=None,
            floor=0,
            match=None,
            phrase=None,
            exclude=None,
        ):
            """As the SQLite backend's: windows of index rows from the newest back (from
            ``below``, down to ``floor``), so a word of middling frequency does not make
            PostgreSQL fetch and sort all its matches; a phrase (checked on each row's
            tsvector, read from TOAST storage) within a time budget. ``match``: a
            ``to_tsquery`` string searched instead of the query (``phrase``: it is one);
            ``exclude``: rows left out."""
            if phrase is None:
                phrase = match is None and _has_phrase(self.query)
            budget = SCAN_BUDGET if budget is None else budget
            top = self.top_row()
            window = PG_PHRASE_FIRST_WINDOW if phrase else FIRST_WINDOW
            hi = start = top + 1 if below is None else below
            rows, started = [], time.monotonic()
            while True:
                lo = max(hi - window, floor)
                wanted = limit - len(rows)
                # Rows that will be left out do not count towards the LIMIT.
                dropped = sum(1 for row in exclude or () if lo <= row < hi)
                found, descending, flags = self.fetch_candidates(
                    config,
                    limit=wanted + dropped,
                    below=hi,
                    at_least=lo if lo > 0 else None,
                    match=match,
                    exclude=exclude,
                )
                if exclude:
                    found = [row for row in found if row[1] not in exclude]
                rows += found[:wanted]
                if len(rows) >= limit or lo <= 0:
                    return rows, True, descending, flags
                if lo <= floor:
                    self._searched = top - lo
                    return rows, False, descending, flags
                elapsed = time.monotonic() - started
                if phrase and elapsed > budget:
                    self._searched = top - lo
                    return rows, False, descending, flags
                read = hi - lo
                density = len(rows) / max(top + 1 - lo, 1)
                window = read * WINDOW_GROWTH
                if density > 0:
                    window = max(read, min(window, int(1.5 * (limit - len(rows)) / density)))
                if phrase:
                    pace = elapsed / (start - lo)
                    window = min(window, int((budget - elapsed) / pace) if pace else window)
                    if window < PG_PHRASE_FIRST_WINDOW // 4:
                        self._searched = top - lo
                        return rows, False, descending, flags
                hi = lo

        def together_rows(self, config, together: str, candidates: list[Candidate]) -> set[int]:
            """Which candidates have the words together in their ``body``, checked for the
            newest ``PG_TOGETHER_CHECK`` of them (each check reads the row's ``body`` from
            TOAST storage; the headline + lead flag covers them all)."""
            newest = sorted((c.row for c in candidates if not c.together), reverse=True)
            newest = newest[:PG_TOGETHER_CHECK]
            if not newest:
                return set()
            to_tsquery = "to_tsquery(%s::regconfig, %s)" if config else "to_tsquery(%s)"
            sql = (
                f"SELECT m.id FROM {entries} m WHERE m.id = ANY(%s) "  # noqa: S608
                f"AND m.body @@ {to_tsquery}"
            )
            params = [newest, *([config, together] if config else [together])]
            return {row for (row,) in self.run(sql, params)}

        def candidates_of(self, rows, descending, flags, *, together=None) -> list[Candidate]:
            """Candidates from the rows of ``candidates_statement`` (``together``: known)."""
            tb = len(descending)
            at = {flag: 2 + tb + i for i, flag in enumerate(flags)}
            h, t, n = at.get("h"), at.get("t"), at.get("n")
            return [
                Candidate(
                    row[0],
                    row[1],
                    row[2 : 2 + tb],
                    heading=h is not None and bool(row[h]),
                    title=t is not None and bool(row[t]),
                    together=bool(row[n]) if together is None and n is not None else bool(together),
                )
                for row in rows
            ]

        def ranking(self, config) -> Ranking:
            cached = getattr(self, "_ranking", None)
            if cached is not None:
                return cached
            floor, exclude = self.after_tier(config)
            rows, searched_all, descending, flags = self.newest(
                config, CANDIDATES, floor=floor, exclude=exclude
            )
            complete = searched_all and len(rows) < CANDIDATES
            candidates = self.candidates_of(rows, descending, flags)
            head = positive(self.query)
            together = adjacent(head) if head is not None else None
            together_string = tsquery_string(together, "") if together is not None else None
            if together_string and candidates and "n" in flags:
                near = self.together_rows(config, together_string, candidates)
                for c in candidates:
                    c.together = c.together or c.row in near
            if searched_all and not complete and rows and "h" in flags:
                lowest = min(row[1] for row in rows)
                # Not further back than HEADING_REACH times the candidates' span: a bitmap
                # of every older match would have to be read and sorted.
                reach = max(lowest - HEADING_REACH * (self.top_row() - lowest), 0)
                older: dict[int, Candidate] = {}
                if together_string and sum(c.together for c in candidates) < TOGETHER_ENOUGH:
                    # Few of the newest matches have the words together: the newest older
                    # pages that do, within the time budget.
                    more, _all, _d, more_flags = self.newest(
                        config,
                        TOGETHER_CANDIDATES,
                        SCAN_BUDGET / 2,
                        below=lowest,
                        floor=reach,
                        match=together_string,
                        phrase=True,
                        exclude=exclude,
                    )
                    older = {
                        c.row: c
                        for c in self.candidates_of(more, descending, more_flags, together=True)
                    }
                # Older pages that match in the headline or lead: the newest strong matches.
                heading_rows, _d, _f = self.fetch_candidates(
                    config,
                    limit=HEADING_CANDIDATES,
                    below=lowest,
                    at_least=reach or None,
                    heading_only=True,
                    exclude=exclude,
                )
                for c in self.candidates_of(heading_rows, descending, flags):
                    if not exclude or c.row not in exclude:
                        older.setdefault(c.row, c)
                candidates += older.values()
            ranking = Ranking(rank(candidates, descending), complete, searched_all)
            ranking.together = "n" in flags
            if not searched_all:
                ranking.searched = self._searched
            elif not complete and candidates:
                ranking.estimate = estimate(len(rows), self.top_row(), min(r[1] for r in rows))
            self._ranking = ranking
            return ranking

    class Results(BoundedResults, base.PostgresSearchResults):
        def _tuned(self):
            compiler = self.query_compiler  # autocomplete() has modelsearch's own compiler
            return isinstance(compiler, Compiler) and _is_plain_search(
                compiler.query, compiler.fields
            )

        def _bounded(self):
            compiler = self.query_compiler
            if not self._tuned() or not compiler.order_by_relevance:
                return None
            return compiler.ranking(compiler.get_config(self.backend))

        def _unbounded_search(self):
            return list(self.get_queryset())

        def _unbounded_count(self):
            compiler = self.query_compiler
            queryset, _query = compiler.matches(compiler.get_config(self.backend))
            # Counting up to the slice's end reads no further than that.
            return queryset.order_by()[: self.stop].count()

    class Backend(base.PostgresSearchBackend):
        query_compiler_class = Compiler
        results_class = Results

    return Backend


def _tuned_class(backend):
    module = type(backend).__module__
    if module == "modelsearch.backends.database.sqlite.sqlite":
        return _sqlite_backend_class()
    if module == "modelsearch.backends.database.postgres.postgres":
        return _postgres_backend_class()
    return None


def _tuned(backend):
    tuned = _tuned_class(backend)
    if tuned is None:
        return backend
    portal = tuned.__new__(tuned)
    portal.__dict__.update(backend.__dict__)  # the configured options (SEARCH_CONFIG, …)
    return portal


def follow_tiers(tiers: list) -> None:
    """Search results listed one after the other, each tier ``F AND NOT E`` following E's
    (the portal's exact spelling, then the other spellings): the tuned SQLite compiler of a
    later tier reuses what the tier before found (``after_tier()``)."""
    for before, after in pairwise(tiers):
        compiler = getattr(after, "query_compiler", None)
        previous = getattr(before, "query_compiler", None)
        if hasattr(compiler, "follow") and type(previous) is type(compiler):
            compiler.follow(previous)


def portal_search_backend():
    """The configured default search backend, with the database backends tuned as above."""
    return _tuned(get_search_backend())


def SearchBackend(params):  # the name modelsearch looks for in a backend module
    """``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "doingoai.search.backends"}}`` gives
    every search of the site (Wagtail's admin too) the tuning above; otherwise the same
    choice as ``wagtail.search.backends.database``."""
    from modelsearch.backends.database import SearchBackend as database_backend

    return _tuned(database_backend(params))
