#!/usr/bin/env python
"""Where a portal search's time goes, per query of bench/queries.txt, on a benchmark corpus.

For each query (after a warm-up round) and for ``--repeat`` rounds:

* every SQL statement of ``run_search()`` and of the full page, timed where it is executed
  (Django's ``execute_wrapper``) and labelled by what it is for (candidates, flags, older
  matches, pages, specific pages, site furniture…);
* the time outside SQL (Python: parsing, ranking, snippets, template).

It prints, per query, the median milliseconds per label, the statements' share of the whole,
and the CPU time used (``time.process_time`` of the process, plus on PostgreSQL the CPU time
of its backend process read from /proc: the steadiest figure on a shared machine, as time
spent waiting for a core is left out).
``--cprofile`` adds a cProfile of the whole mix (top functions by cumulative and by own time);
``--explain "<query>"`` prints the query plan (``EXPLAIN QUERY PLAN`` on SQLite, ``EXPLAIN
(ANALYZE, BUFFERS)`` on PostgreSQL) and the time of each of that query's statements.

    .venv/bin/python bench/search_profile.py --engine sqlite --n 100000
    .venv/bin/python bench/search_profile.py --engine postgres --n 100000 --explain "tỉnh"

The corpora are bench/search_latency.py's (build them there). Not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import search_latency  # noqa: E402

LABELS = [
    ("top row", re.compile(r"COALESCE\(MAX\(id\)", re.I)),
    ("bm25", re.compile(r"bm25\(", re.I)),
    ("bm25 probe", re.compile(r"LIMIT 1 OFFSET", re.I)),
    ("older heading", re.compile(r"\{autocomplete\} :|WHERE m\.autocomplete @@", re.I)),
    ("flags", re.compile(r"^SELECT rowid FROM \S+_fts WHERE", re.I)),
    ("candidates", re.compile(r"search_pk", re.I)),
    ("pages", re.compile(r'FROM "wagtailcore_page".*"wagtailcore_page"\."id" IN', re.I | re.S)),
    ("specific pages", re.compile(r'FROM "portal_(articlepage|standardpage)"', re.I)),
    ("sections", re.compile(r"portal_sectionpage", re.I)),
    ("locales", re.compile(r"wagtailcore_locale", re.I)),
]


def label_of(sql: str, params=()) -> str:
    texts = [p for p in (params or ()) if isinstance(p, str)]
    if "search_title" in sql:  # SQLite: older matches (their headline is read)
        return "older heading" if any("{autocomplete}" in p for p in texts) else "older phrase"
    for label, pattern in LABELS:
        if pattern.search(sql):
            return label
    return "other"


class Timer:
    """A Django ``execute_wrapper`` recording [label, seconds, sql, params] per statement.
    The rows are read after ``execute`` returns (SQLite steps through most of a statement
    while rows are fetched): while the timer is on, the cursors' fetch methods add their
    time to the statement that cursor executed last."""

    FETCHES = ("fetchone", "fetchmany", "fetchall")

    def __init__(self, clock=time.perf_counter) -> None:
        self.statements: list[list] = []
        self._last: dict[int, int] = {}  # id(cursor wrapper) → index in statements
        self.clock = clock  # wall time, or the server's CPU time (PostgreSQL)

    def __call__(self, execute, sql, params, many, context):
        self.statements.append([label_of(sql, params), 0.0, sql, params])
        index = len(self.statements) - 1
        self._last[id(context["cursor"])] = index
        started = self.clock()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements[index][1] += self.clock() - started

    def __enter__(self):
        from django.db.backends.utils import CursorWrapper

        timer = self

        def timed(name):
            def fetch(wrapper, *args):
                started = timer.clock()
                try:
                    with wrapper.db.wrap_database_errors:
                        return getattr(wrapper.cursor, name)(*args)
                finally:
                    index = timer._last.get(id(wrapper))
                    if index is not None:
                        timer.statements[index][1] += timer.clock() - started

            return fetch

        for name in self.FETCHES:
            setattr(CursorWrapper, name, timed(name))
        return self

    def __exit__(self, *exc) -> None:
        from django.db.backends.utils import CursorWrapper

        for name in self.FETCHES:
            delattr(CursorWrapper, name)


def server_cpu(connection) -> float:
    """CPU seconds used so far by the PostgreSQL backend serving ``connection`` (it runs on
    this machine: /proc/<pid>/schedstat), 0 for SQLite (it runs in this process)."""
    if connection.vendor != "postgresql":
        return 0.0
    pid = getattr(connection, "_bench_backend_pid", None)
    if pid is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = connection._bench_backend_pid = cursor.fetchone()[0]
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except OSError:
        return 0.0


def profile_query(runner, connection, method: str, query: str) -> tuple[float, dict]:
    # On PostgreSQL the statements are timed by the CPU time of the server's backend (the
    # wall time of a statement on a loaded machine is mostly waiting for a core).
    pg = connection.vendor == "postgresql"
    server = server_cpu(connection)
    # On SQLite, by the CPU time of this thread (SQLite runs in it): waiting for a core or
    # for the disk is left out, as on PostgreSQL.
    timer = Timer(clock=(lambda: server_cpu(connection)) if pg else time.thread_time)
    with timer, connection.execute_wrapper(timer):
        started, cpu = time.perf_counter(), time.process_time()
        getattr(runner, method)(query)
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu
    cpu += server_cpu(connection) - server
    by_label: dict[str, float] = defaultdict(float)
    for label, seconds, _sql, _params in timer.statements:
        by_label[label] += seconds
    by_label["(statements)"] = sum(s for _l, s, _q, _p in timer.statements)
    by_label["(count)"] = len(timer.statements)
    by_label["(cpu)"] = cpu
    return total, dict(by_label)


def explain(connection, query: str) -> None:
    from wagtail.models import Locale

    from doingoai.search.query import parse_query
    from doingoai.search.selectors import Filters, run_search

    locale_id = Locale.objects.get(language_code="vi").pk
    timer = Timer()
    with timer, connection.execute_wrapper(timer):
        run_search(parse_query(query), Filters(locale_id=locale_id))
    for label, seconds, sql, params in timer.statements:
        print(f"\n-- {label}: {seconds * 1000:.1f} ms\n{sql[:600]}{'…' if len(sql) > 600 else ''}")
        if label in ("candidates", "flags", "older heading", "bm25", "pages"):
            prefix = (
                "EXPLAIN QUERY PLAN "
                if connection.vendor == "sqlite"
                else "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
            )
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql, params)
                for row in cursor.fetchall():
                    print("   ", " | ".join(str(v) for v in row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--method", choices=("search", "page"), default="search")
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--explain", help="plans of this query's statements")
    parser.add_argument("--only", help="only queries of these kinds, e.g. common,phrase")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or search_latency.database_url(args.engine, args.n)
    os.environ["DATABASE_URL"] = url
    corpus.setup_django()
    from django.db import connection

    runner = search_latency.Runner()
    if args.explain:
        explain(connection, args.explain)
        return
    queries = search_latency.read_queries()
    if args.only:
        kinds = set(args.only.split(","))
        queries = [(kind, q) for kind, q in queries if kind in kinds]
    for _kind, query in queries:  # warm-up
        runner.run(args.method, query)
    if args.cprofile:
        profiler = cProfile.Profile(time.process_time)  # CPU: waiting for a core left out
        profiler.enable()
    results: dict[str, list[tuple[float, dict]]] = defaultdict(list)
    for _round in range(args.repeat):
        for _kind, query in queries:
            results[query].append(profile_query(runner, connection, args.method, query))
    if args.cprofile:
        profiler.disable()
    labels = sorted(
        {label for runs in results.values() for _t, by in runs for label in by}
        - {"(statements)", "(count)", "(cpu)"}
    )
    print(
        f"{connection.vendor}, {args.n:,} articles, {args.method}, median of {args.repeat} "
        "rounds, ms"
        + (
            " (statements: CPU time of the server's backend)"
            if connection.vendor == "postgresql"
            else " (statements: CPU time)"
        )
    )
    header = f"{'query':<24}{'total':>7}{'CPU':>7}{'SQL':>7}{'n':>4}" + "".join(
        f"{label[:10]:>11}" for label in labels
    )
    print(header)
    sums: dict[str, list[float]] = defaultdict(list)
    for _kind, query in queries:
        runs = results[query]
        total = statistics.median(t for t, _by in runs) * 1000
        sql = statistics.median(by["(statements)"] for _t, by in runs) * 1000
        cpu = statistics.median(by["(cpu)"] for _t, by in runs) * 1000
        count = statistics.median(by["(count)"] for _t, by in runs)
        cells = "".join(
            f"{statistics.median(by.get(label, 0.0) for _t, by in runs) * 1000:>11.1f}"
            for label in labels
        )
        print(f"{query[:23]:<24}{total:>7.1f}{cpu:>7.1f}{sql:>7.1f}{count:>4.0f}{cells}")
        sums["total"].append(total)
        sums["cpu"].append(cpu)
        sums["sql"].append(sql)
        for label in labels:
            sums[label].append(statistics.median(by.get(label, 0.0) for _t, by in runs) * 1000)
    print(
        f"{'mean':<24}{statistics.mean(sums['total']):>7.1f}{statistics.mean(sums['cpu']):>7.1f}"
        f"{statistics.mean(sums['sql']):>7.1f}"
        f"{'':>4}" + "".join(f"{statistics.mean(sums[label]):>11.1f}" for label in labels)
    )
    if args.cprofile:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        print(out.getvalue())


if __name__ == "__main__":
    main()
