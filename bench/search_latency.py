#!/usr/bin/env python
"""Latency of the portal search over N synthetic articles, against references in the same run.

Runs the fixed query mix of bench/queries.txt (written before any tuning) several times and
prints p50/p95 in milliseconds, per kind of query and overall, for:

  page        GET /vi/tim-kiem/?q=… through Django's test client: what a visitor waits for
              (counts, ranked slice, snippets, template, site furniture), no page cache
  search      doingoai.search.selectors.run_search() alone (no template)
  ref-fts     a naive full-text query on the same index: SQLite
              ``SELECT rowid … WHERE fts MATCH ? ORDER BY rank LIMIT 20``; PostgreSQL
              ``… WHERE body @@ q ORDER BY ts_rank(body, q) DESC LIMIT 20`` (no page filters,
              no count, no folding of the query beyond what the index holds)
  ref-like    a plain ``LIKE '%…%'`` scan of title, lead and body for the query as typed
              (case-sensitive for non-ASCII letters, no diacritic folding), newest 20

    DATABASE_URL=sqlite:////tmp/doingoai-bench/n10000.sqlite3 \\
        .venv/bin/python bench/search_latency.py --n 10000 --build
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/doingoai_bench \\
        .venv/bin/python bench/search_latency.py --n 10000 --build

``--build`` (re)creates the corpus with bench/corpus.py when the database does not already
hold N synthetic articles. Not a test: it prints figures (and --json writes them).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (bench/corpus.py: sets up Django)

QUERIES = HERE / "queries.txt"
METHODS = ("page", "search", "ref-fts", "ref-like")


def read_queries(path: Path = QUERIES) -> list[tuple[str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, _sep, query = line.partition("|")
            out.append((kind.strip(), query))
    return out


def percentile(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


class Runner:
    def __init__(self) -> None:
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from wagtail.models import Locale

        settings.ALLOWED_HOSTS = ["*"]
        settings.PAGE_CACHE_SECONDS = 0
        self.connection = connection
        self.client = Client()
        self.locale_id = Locale.objects.get(language_code="vi").pk

    # -- the portal ------------------------------------------------------------------------
    def page(self, query: str) -> None:
        response = self.client.get("/vi/tim-kiem/", {"q": query})
        assert response.status_code == 200

    def search(self, query: str) -> None:
        from doingoai.search.query import parse_query
        from doingoai.search.selectors import Filters, run_search

        run_search(parse_query(query), Filters(locale_id=self.locale_id))

    # -- references ----------------------------------------------------------------------
    def ref_fts(self, query: str) -> None:
        from doingoai.search.query import parse_query

        parsed = parse_query(query)
        if parsed.is_empty:
            return
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "sqlite":
                match = " AND ".join(
                    f'"{" ".join(part.folded)}"'
                    if part.is_phrase
                    else " AND ".join(f'"{token}"' for token in part.folded)
                    for part in parsed.parts
                )
                cursor.execute(
                    "SELECT rowid FROM wagtailsearch_indexentry_fts "
                    "WHERE wagtailsearch_indexentry_fts MATCH %s ORDER BY rank LIMIT 20",
                    [match],
                )
            else:
                tsquery = " & ".join(
                    " <-> ".join(part.folded) if part.is_phrase else " & ".join(part.folded)
                    for part in parsed.parts
                )
                cursor.execute(
                    "SELECT id FROM wagtailsearch_indexentry WHERE body @@ to_tsquery(%s) "
                    "ORDER BY ts_rank(body, to_tsquery(%s)) DESC LIMIT 20",
                    [tsquery, tsquery],
                )
            cursor.fetchall()

    def ref_like(self, query: str) -> None:
        words = query.replace('"', " ").split()
        if not words:
            return
        pattern = "%" + " ".join(words) + "%"
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.id FROM wagtailcore_page p "
                "JOIN portal_articlepage a ON a.page_ptr_id = p.id "
                "WHERE p.live AND (p.title LIKE %s OR a.lead LIKE %s "
                "OR CAST(a.body AS TEXT) LIKE %s) "
                "ORDER BY a.published_at DESC LIMIT 20",
                [pattern, pattern, pattern],
            )
            cursor.fetchall()

    def run(self, method: str, query: str) -> float:
        started = time.perf_counter()
        getattr(self, method.replace("-", "_"))(query)
        return (time.perf_counter() - started) * 1000


def measure(repeat: int) -> dict:
    runner = Runner()
    queries = read_queries()
    for _kind, query in queries:  # warm-up: caches, first-use imports, SQLite page cache
        for method in METHODS:
            runner.run(method, query)
    samples: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for _round in range(repeat):
        for kind, query in queries:
            for method in METHODS:
                elapsed = runner.run(method, query)
                samples[method][kind].append(elapsed)
                samples[method]["all"].append(elapsed)
    report: dict = {}
    for method, by_kind in samples.items():
        report[method] = {
            kind: {
                "p50": round(percentile(values, 50), 1),
                "p95": round(percentile(values, 95), 1),
            }
            for kind, values in by_kind.items()
        }
    return report


def print_report(report: dict, header: str) -> None:
    kinds = [kind for kind in next(iter(report.values())) if kind != "all"] + ["all"]
    print(header)
    print(f"{'kind':<15}" + "".join(f"{method:>20}" for method in METHODS))
    print(f"{'':<15}" + "".join(f"{'p50 / p95 ms':>20}" for _method in METHODS))
    for kind in kinds:
        cells = "".join(
            f"{report[m][kind]['p50']:>10.1f} /{report[m][kind]['p95']:>7.1f}" + " " * 2
            for m in METHODS
        )
        print(f"{kind:<15}{cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of synthetic articles")
    parser.add_argument("--build", action="store_true", help="build the corpus if needed")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    corpus.setup_django()
    from django.db import connection

    from doingoai.portal.models import ArticlePage

    built = None
    have = ArticlePage.objects.filter(slug__startswith="bench-").count()
    if have != args.n:
        if not args.build:
            raise SystemExit(f"the database holds {have:,} synthetic articles, not {args.n:,}")
        built = corpus.build(args.n)
        print(built)
    report = measure(args.repeat)
    header = (
        f"{connection.vendor}, {args.n:,} articles, {len(read_queries())} queries "
        f"x {args.repeat} rounds"
    )
    print_report(report, header)
    if args.json:
        args.json.write_text(
            json.dumps({"header": header, "corpus": built, "latency_ms": report}, indent=1)
        )


if __name__ == "__main__":
    main()
