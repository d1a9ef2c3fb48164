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

The portal search applies this to the configured backend itself (``portal_search_backend``);
pointing ``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]`` at this module applies it to every
search of the site, Wagtail's admin included.
"""

from __future__ import annotations

from functools import cache

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Expression, F, FloatField, Func, IntegerField, OrderBy
from django.db.models.functions import Cast
from django.db.models.lookups import Lookup
from modelsearch.backends import get_search_backend
from modelsearch.query import Fuzzy, MatchAll, Not, Phrase, PlainText
from modelsearch.utils import get_descendants_content_types_pks

# Weights of the FTS5 columns, in table order (autocomplete, body, title): the folded headline
# and lead are in "autocomplete" (and again in "body"), the headline as written in "title".
SQLITE_COLUMN_WEIGHTS = (6.0, 1.0, 2.0)


def _tiebreakers(queryset) -> list[tuple[object, bool]]:
    """``(expression, descending)`` for each item of the queryset's ``order_by``."""
    out = []
    for item in queryset.query.order_by:
        if isinstance(item, str):
            out.append((F(item.removeprefix("-")), item.startswith("-")))
        elif isinstance(item, OrderBy):
            out.append((item.expression, item.descending))
    return out


def _is_plain_search(query, fields) -> bool:
    """A query these compilers handle (anything but match-all, a bare NOT or fuzzy)."""
    return not (fields or isinstance(query, (MatchAll, Not, Fuzzy)))


@cache
def _sqlite_backend_class():
    from modelsearch.backends.database.sqlite import sqlite as base
    from modelsearch.backends.database.sqlite.query import (
        SearchQueryCombinable,
        SearchQueryField,
        normalize,
    )

    fts = base.SQLiteFTSIndexEntry._meta.db_table

    class WeightedBM25(Func):
        output_field = FloatField()

        def as_sql(self, compiler, connection, **extra):
            weights = ", ".join(str(float(w)) for w in SQLITE_COLUMN_WEIGHTS)
            return f"bm25({fts}, {weights})", []

    class FTSMatch(Lookup):
        """``<fts table> MATCH '<query>'`` over all columns (no column filter to check)."""

        lookup_name = "portal_match"

        def __init__(self, query):
            self.query = query
            super().__init__(None, None)

        def as_sql(self, compiler, connection):
            sql, params = compiler.compile(self.query)
            return f"{fts} MATCH %s", [sql % tuple(params)]

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

        def _joined(self, *, scored: bool) -> tuple[str, list, list]:
            """``FROM`` clause joining the page queryset (``b``) to the FTS matches (``m``),
            its params, and the tie-breakers (``b.search_tb<i>``, descending?)."""
            match = (
                base.SQLiteFTSIndexEntry.objects.filter(
                    FTSMatch(self.build_search_query(normalize(self.query)))
                )
                .filter(
                    index_entry__content_type_id__in=get_descendants_content_types_pks(
                        self.queryset.model
                    )
                )
                .annotate(pid=Cast("index_entry__object_id", IntegerField()))
            )
            if scored:
                match = match.annotate(score=WeightedBM25()).values("pid", "score")
            else:
                match = match.values("pid")
            tiebreakers = _tiebreakers(self.queryset) if scored else []
            pages = self.queryset.order_by().values(
                search_pk=F("pk"),
                **{f"search_tb{i}": expression for i, (expression, _d) in enumerate(tiebreakers)},
            )
            pages_sql, pages_params = pages.query.sql_with_params()
            match_sql, match_params = match.query.sql_with_params()
            return (
                f"({pages_sql}) b JOIN ({match_sql}) m ON m.pid = b.search_pk",
                [*pages_params, *match_params],
                [descending for _expression, descending in tiebreakers],
            )

        def count_statement(self, limit: int | None):
            joined, params, _tiebreakers = self._joined(scored=False)
            if limit is None:
                return f"SELECT COUNT(*) FROM {joined}", params  # noqa: S608
            sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM {joined} LIMIT %s) c"  # noqa: S608
            return sql, [*params, limit]

        def page_statement(self, start: int, stop: int | None):
            joined, params, descending = self._joined(scored=True)
            order = ["m.score"] if self.order_by_relevance else []
            order += [f"b.search_tb{i}{' DESC' if d else ''}" for i, d in enumerate(descending)]
            order.append("m.pid DESC")
            sql = (
                f"SELECT m.pid, m.score FROM {joined} "  # noqa: S608
                f"ORDER BY {', '.join(order)} LIMIT %s OFFSET %s"
            )
            return sql, [*params, -1 if stop is None else stop - start, start]

        def run(self, sql, params):
            with connections[self.queryset.db].cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

    class Results(base.SQLiteSearchResults):
        def _tuned(self):
            compiler = self.query_compiler  # autocomplete() has modelsearch's own compiler
            return isinstance(compiler, Compiler) and _is_plain_search(
                normalize(compiler.query), compiler.fields
            )

        def _do_search(self):
            if not self._tuned():
                return super()._do_search()
            compiler = self.query_compiler
            if self.stop is not None and self.stop <= self.start:
                return []
            try:
                rows = compiler.run(*compiler.page_statement(self.start, self.stop))
            except EmptyResultSet:
                return []
            by_pk = compiler.queryset.in_bulk([pk for pk, _score in rows])
            results = []
            for pk, score in rows:
                obj = by_pk.get(pk)
                if obj is not None:
                    if self._score_field:
                        setattr(obj, self._score_field, score)
                    results.append(obj)
            return results

        def _do_count(self):
            if not self._tuned():
                return super()._do_count()
            compiler = self.query_compiler
            try:
                [(count,)] = compiler.run(*compiler.count_statement(self.stop))
            except EmptyResultSet:
                return 0
            return max(0, count - self.start)

    class Backend(base.SQLiteSearchBackend):
        query_compiler_class = Compiler
        results_class = Results

    return Backend


@cache
def _postgres_backend_class():
    from modelsearch.backends.database.postgres import postgres as base

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

    class Results(base.PostgresSearchResults):
        def _do_count(self):
            compiler = self.query_compiler  # autocomplete() has modelsearch's own compiler
            if not isinstance(compiler, Compiler) or not _is_plain_search(
                compiler.query, compiler.fields
            ):
                return super()._do_count()
            queryset, _query = compiler.matches(compiler.get_config(self.backend))
            # Counting up to the slice's end reads no further than that.
            count = queryset.order_by()[: self.stop].count()
            return max(0, count - self.start)

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


def portal_search_backend():
    """The configured default search backend, with the database backends tuned as above."""
    return _tuned(get_search_backend())


def SearchBackend(params):  # the name modelsearch looks for in a backend module
    """``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "doingoai.search.backends"}}`` gives
    every search of the site (Wagtail's admin too) the tuning above; otherwise the same
    choice as ``wagtail.search.backends.database``."""
    from modelsearch.backends.database import SearchBackend as database_backend

    return _tuned(database_backend(params))
