#!/usr/bin/env python
"""Latency of the portal search over N synthetic articles, against references in the same run.

Runs the fixed query mix of bench/queries.txt (written before any tuning) several times and
prints p50/p95/max in milliseconds, per kind of query and overall, for:

  page        GET /vi/tim-kiem/?q=… through Django's test client: what a visitor waits for
              (counts, ranked slice, snippets, template, site furniture), no page cache
  search      doingoai.search.selectors.run_search() alone (no template)
  ref-fts     a naive full-text query on the same index, ranking every match: SQLite
              ``SELECT rowid … WHERE fts MATCH ? ORDER BY rank LIMIT 20`` (FTS5's bm25);
              PostgreSQL ``… WHERE body @@ q ORDER BY ts_rank(body, q) DESC LIMIT 20``
              (no page filters, no count, no folding of the query beyond what the index holds)
  ref-like    (``--like``) a plain ``LIKE '%…%'`` scan of title, lead and body for the query
              as typed, newest 20 — a full scan, minutes per round at 1,000,000 articles

The references make the figures comparable across runs on a noisy shared machine: compare the
ratio search / ref-fts rather than milliseconds.

Corpora are built once and reused: ``--engine sqlite`` uses var/bench/sqlite-N.sqlite3,
``--engine postgres`` the database ``doingoai_searchbench_N`` on 127.0.0.1:5432 (created when
missing); ``DATABASE_URL`` overrides either. ``--build`` builds the corpus (bench/corpus.py)
when the database does not already hold N synthetic articles.

    nice -n 5 .venv/bin/python bench/search_latency.py --engine sqlite --n 100000 --build
    nice -n 5 .venv/bin/python bench/search_latency.py --engine postgres --n 1000000 --build

Not a test: it prints figures (and --json writes them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (bench/corpus.py: sets up Django)

BENCH_DIR = ROOT / "var" / "bench"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
BASE = 100_000  # larger corpora are copies of this one (see corpus.replicate)
QUERIES = HERE / "queries.txt"
METHODS = ("page", "search", "ref-fts", "ref-like")


def database_url(engine: str, n: int) -> str:
    if engine == "sqlite":
        return f"sqlite:///{BENCH_DIR / f'sqlite-{n}.sqlite3'}"
    return f"{POSTGRES_SERVER}/doingoai_searchbench_{n}"


def ensure_postgres_database(url: str, template: str | None = None) -> None:
    """Create the database if missing (as a copy of ``template``'s database, if given)."""
    import psycopg

    server, _slash, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        if template is None:
            conn.execute(f'CREATE DATABASE "{name}"')
        else:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.rpartition("/")[2]}"')


def count_synthetic(connection, model) -> int:
    """The synthetic articles the database holds: 0 on a fresh database, before migrations
    created the tables (``--build`` on a new PostgreSQL database)."""
    if model._meta.db_table not in connection.introspection.table_names():
        return 0
    return model.objects.filter(slug__startswith="bench-").count()


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
        from modelsearch.conf import get_app_config
        from wagtail.models import Locale

        settings.ALLOWED_HOSTS = ["*"]
        settings.PAGE_CACHE_SECONDS = 0
        self.connection = connection
        self.client = Client()
        self.locale_id = Locale.objects.get(language_code="vi").pk
        self.index_table = get_app_config().get_model("IndexEntry")._meta.db_table

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
                fts = f"{self.index_table}_fts"
                cursor.execute(
                    f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s ORDER BY rank LIMIT 20",  # noqa: S608
                    [match],
                )
            else:
                tsquery = " & ".join(
                    " <-> ".join(part.folded) if part.is_phrase else " & ".join(part.folded)
                    for part in parsed.parts
                )
                cursor.execute(
                    f"SELECT id FROM {self.index_table} "  # noqa: S608
                    "WHERE body @@ to_tsquery('simple', %s) "
                    "ORDER BY ts_rank(body, to_tsquery('simple', %s)) DESC LIMIT 20",
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


def measure(
    repeat: int, methods: tuple[str, ...], ref_kinds: set[str] | None = None
) -> tuple[dict, dict]:
    """``ref_kinds``: the kinds of query the references are timed for (all by default; the
    naive ranking takes seconds a query at 1,000,000 articles)."""
    runner = Runner()
    queries = read_queries()

    def wanted(method: str, kind: str) -> bool:
        return not method.startswith("ref-") or ref_kinds is None or kind in ref_kinds

    for kind, query in queries:  # warm-up: caches, first-use imports, SQLite page cache
        for method in methods:
            if wanted(method, kind):
                runner.run(method, query)
    samples: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    per_query: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for _round in range(repeat):
        for kind, query in queries:
            for method in methods:  # interleaved: the machine's noise hits all alike
                if not wanted(method, kind):
                    continue
                elapsed = runner.run(method, query)
                samples[method][kind].append(elapsed)
                samples[method]["all"].append(elapsed)
                per_query[method][query].append(elapsed)
    report: dict = {}
    for method, by_kind in samples.items():
        report[method] = {
            kind: {
                "p50": round(percentile(values, 50), 1),
                "p95": round(percentile(values, 95), 1),
                "max": round(max(values), 1),
            }
            for kind, values in by_kind.items()
        }
    medians = {
        method: {query: round(statistics.median(values), 1) for query, values in by_query.items()}
        for method, by_query in per_query.items()
    }
    return report, medians


def print_report(report: dict, medians: dict, header: str) -> None:
    methods = list(report)
    kinds = [kind for kind in next(iter(report.values())) if kind != "all"] + ["all"]
    print(header)
    print(f"{'kind':<15}" + "".join(f"{method:>24}" for method in methods))
    print(f"{'':<15}" + "".join(f"{'p50 / p95 / max ms':>24}" for _method in methods))
    for kind in kinds:
        cells = "".join(
            f"{report[m][kind]['p50']:>8.1f} /{report[m][kind]['p95']:>6.1f} /"
            f"{report[m][kind]['max']:>7.1f}"
            if kind in report[m]
            else f"{'-':>24}"
            for m in methods
        )
        print(f"{kind:<15}{cells}")
    if "search" in report and "ref-fts" in report:
        ratios = [
            f"{kind} {report['search'][kind]['p95'] / max(report['ref-fts'][kind]['p95'], 0.1):.2f}"
            for kind in ("all", "common")
            if kind in report["ref-fts"]
        ]
        print(f"search p95 / ref-fts p95: {', '.join(ratios)} (same run, same machine)")
    slowest = sorted(medians.get("search", {}).items(), key=lambda item: -item[1])[:5]
    print("slowest queries (search, median ms): " + "; ".join(f"{q} {ms}" for q, ms in slowest))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of synthetic articles")
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--build", action="store_true", help="build the corpus if needed")
    parser.add_argument(
        "--build-only", action="store_true", help="build the corpus if needed, measure nothing"
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--like", action="store_true", help="also time the LIKE scan")
    parser.add_argument(
        "--ref-kinds", help="time the references for these kinds only, e.g. common,phrase"
    )
    parser.add_argument(
        "--no-replicate",
        dest="replicate",
        action="store_false",
        help=f"write every article (hours at 1,000,000) instead of copies of the {BASE:,}",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    args.build = args.build or args.build_only
    url = os.environ.get("DATABASE_URL") or database_url(args.engine, args.n)
    sqlite_file = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:") else None
    # Above BASE articles a corpus is made of copies of the BASE corpus (corpus.replicate).
    base = BASE if args.n > BASE and args.n % BASE == 0 and args.replicate else None
    building = None
    if sqlite_file is not None and not sqlite_file.exists():
        if not args.build:
            raise SystemExit(f"no corpus at {sqlite_file}: add --build")
        sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        building = sqlite_file.with_name(sqlite_file.name + ".building")
        building.unlink(missing_ok=True)
        if base is not None:
            source = Path(database_url("sqlite", base).removeprefix("sqlite:///"))
            if not source.exists():
                raise SystemExit(f"build the {base:,} corpus first (--n {base} --build)")
            shutil.copyfile(source, building)
        url = f"sqlite:///{building}"
    elif sqlite_file is None and args.build:
        ensure_postgres_database(
            url, template=None if base is None else database_url("postgres", base)
        )
    os.environ["DATABASE_URL"] = url
    corpus.setup_django()
    from django.db import connection

    from doingoai.portal.models import ArticlePage

    built = None
    have = count_synthetic(connection, ArticlePage) if not building else 0
    if have != args.n:
        if not args.build:
            raise SystemExit(f"the database holds {have:,} synthetic articles, not {args.n:,}")
        built = corpus.replicate(args.n, base=base) if base is not None else corpus.build(args.n)
        print(built)
        if building is not None:
            connection.close()
            building.rename(sqlite_file)
            os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
            connection.settings_dict["NAME"] = str(sqlite_file)
    if args.build_only:
        return
    methods = METHODS if args.like else tuple(m for m in METHODS if m != "ref-like")
    ref_kinds = set(args.ref_kinds.split(",")) if args.ref_kinds else None
    report, medians = measure(args.repeat, methods, ref_kinds)
    header = (
        f"{connection.vendor}, {args.n:,} articles, {len(read_queries())} queries "
        f"x {args.repeat} rounds"
    )
    print_report(report, medians, header)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"header": header, "corpus": built, "latency_ms": report, "median_ms": medians},
                indent=1,
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
