#!/usr/bin/env python
"""End-to-end ingest throughput of the monitoring pipeline against extraction alone.

Generates N realistic Vietnamese news pages (``bench/monitoring_corpus.py``: varied lengths,
full page chrome, some near-duplicate and word-for-word republications on other sites),
saves them under a temporary directory with RSS feeds listing them (``--per-feed`` entries
each) and a ``robots.txt``, and serves that directory from a threaded HTTP server on
127.0.0.1 in a separate process (HTTP/1.1 keep-alive with ``TCP_NODELAY``, as web servers
answer). Then, in this process:

(a) extraction alone: ``doingoai.textproc.extraction.extract_article`` over the saved files;
(b) end to end: one ``Source`` per feed, ``services.source_fetch`` on each — discovery,
    fetch over loopback, extraction, dedupe (hash + MinHash/LSH), relevance, classification
    (whatever the pipeline runs), storage — into a fresh SQLite database;
(c) extraction alone again, so that a change in machine load shows;
then (b) and (c) again on emptied tables, ``--rounds`` times in all (default 3): each round's
ratio compares passes run next to each other, and the median of the rounds is printed.

Items/s are wall-clock (what staff wait for); CPU seconds of this process are shown too. The
ratio is end-to-end over the mean of the two extraction passes (target ≥ 0.8 on 2 cores),
printed both for wall-clock and for CPU time (items per CPU-second of this process, fetch
threads included; steadier than wall-clock on a shared machine). Extraction alone runs in the
main thread over the saved files; end to end extracts in the main thread too (the pipeline
fetches each batch's pages together in ``MONITORING_FETCH_THREADS`` threads,
``--fetch-threads``).

Database and settings: ``DATABASE_URL`` is set to a new SQLite file in the temporary
directory (or ``--database-url``) before Django starts with ``doingoai.settings.test``
(``DJANGO_SETTINGS_MODULE`` wins if set), all migrations are applied, the bundled gazetteer
is loaded, and ``MONITORING_ALLOW_LOOPBACK=True``, ``MONITORING_HOST_INTERVAL=0`` and
``MONITORING_MAX_ENTRIES=--per-feed`` are set on ``django.conf.settings`` for this run only.
A warm-up feed of three other pages is fetched before timing (imports, model loading).

    .venv/bin/python bench/monitoring_ingest.py [--n 500] [--per-feed 100] [--rounds 3]
        [--light] [--fetch-threads 4] [--store-batch 25]
        [--profile]     # BENCH_PROFILE_OUT=file keeps the cProfile data
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from monitoring_corpus import Page, build_corpus, rss  # noqa: E402

WARMUP = 3


# --- The loopback site ----------------------------------------------------------------------


class Handler(SimpleHTTPRequestHandler):
    # Keep-alive, like a real news site (HTTP/1.0 would close the connection after each page).
    protocol_version = "HTTP/1.1"
    extensions_map = {
        ".html": "text/html; charset=utf-8",
        ".rss": "application/rss+xml; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
    }

    def setup(self):
        super().setup()
        # As web servers do for keep-alive: without it, Nagle's algorithm holds the end of
        # each answer until the client's delayed ACK (40 ms a page).
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):
        pass


def serve(directory: str, ports) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=directory))
    server.daemon_threads = True
    ports.put(server.server_address[1])
    server.serve_forever()


def start_server(directory: Path) -> tuple[multiprocessing.Process, str]:
    ports = multiprocessing.Queue()
    process = multiprocessing.Process(target=serve, args=(str(directory), ports), daemon=True)
    process.start()
    return process, f"http://127.0.0.1:{ports.get(timeout=10)}"


# --- The corpus on disk ---------------------------------------------------------------------


def write_site(directory: Path, pages: list[Page], warmup: list[Page], per_feed: int) -> int:
    for page in [*pages, *warmup]:
        target = directory / page.path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.html)
    (directory / "robots.txt").write_text("User-agent: *\nDisallow: /rieng-tu/\n")
    feeds = 0
    for start in range(0, len(pages), per_feed):
        feeds += 1
        chunk = pages[start : start + per_feed]
        (directory / f"tin-{feeds}.rss").write_bytes(rss("{BASE}", f"Nguồn {feeds}", chunk))
    (directory / "khoi-dong.rss").write_bytes(rss("{BASE}", "Khởi động", warmup))
    return feeds


def set_base(directory: Path, base: str) -> None:
    """Feeds hold absolute links: fill in the server's address once it is known."""
    for feed in directory.glob("*.rss"):
        feed.write_bytes(feed.read_bytes().replace(b"{BASE}", base.encode()))


# --- Django ---------------------------------------------------------------------------------


def setup_django(
    database_url: str, per_feed: int, fetch_threads: int | None, store_batch: int | None = None
) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doingoai.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_gazetteer", stdout=io.StringIO())
    settings.MONITORING_ALLOW_LOOPBACK = True
    settings.MONITORING_HOST_INTERVAL = 0
    settings.MONITORING_MAX_ENTRIES = per_feed
    if fetch_threads is not None:
        settings.MONITORING_FETCH_THREADS = fetch_threads
    if store_batch is not None:
        settings.MONITORING_STORE_BATCH = store_batch


# --- Measures -------------------------------------------------------------------------------


@dataclass
class Run:
    name: str
    items: int
    wall: float
    cpu: float

    @property
    def rate(self) -> float:
        return self.items / self.wall if self.wall else 0.0


def extraction_alone(directory: Path, pages: list[Page], base: str, name: str) -> Run:
    from doingoai.textproc.extraction import extract_article

    wall, cpu = time.perf_counter(), time.process_time()
    for page in pages:
        extract_article((directory / page.path.lstrip("/")).read_bytes(), url=base + page.path)
    return Run(name, len(pages), time.perf_counter() - wall, time.process_time() - cpu)


def end_to_end(base: str, feeds: int, profile: bool) -> tuple[Run, Counter]:
    from doingoai.monitoring.models import Source
    from doingoai.monitoring.services import source_fetch

    sources = [
        Source.objects.create(name=f"Nguồn {k}", url=f"{base}/tin-{k}.rss")
        for k in range(1, feeds + 1)
    ]
    totals: Counter = Counter()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    wall, cpu = time.perf_counter(), time.process_time()
    for source in sources:
        report = source_fetch(source=source)
        totals.update(
            {key: getattr(report, key) for key in ("entries", "created", "existing", "failed")}
        )
        totals[f"status {report.status}"] += 1
    run = Run(
        "end to end", totals["created"], time.perf_counter() - wall, time.process_time() - cpu
    )
    if profiler is not None:
        profiler.disable()
        print_profile(profiler)
        if os.environ.get("BENCH_PROFILE_OUT"):
            profiler.dump_stats(os.environ["BENCH_PROFILE_OUT"])
    return run, totals


# Where the time of the end-to-end pass goes: cumulative time of each stage's function.
PROFILE_STAGES = (
    ("fetching in this thread (feeds; pages if not ahead)", "monitoring/fetching.py", "fetch"),
    ("waiting for pages fetched ahead", "monitoring/services.py", "get"),
    ("extraction (extract_article)", "textproc/extraction.py", "extract_article"),
    ("relevance (Gazetteer.score)", "textproc/gazetteer.py", "score"),
    ("classification (active classifier)", "monitoring/classification.py", "classify"),
    ("dedupe: words and MinHash", "textproc/dedupe.py", "words_and_signature"),
    ("dedupe: content hash", "textproc/dedupe.py", "content_hash"),
    ("dedupe: LSH find/add/sync", "monitoring/near_index.py", "near_index_"),
    ("item insert, story and mention counts (_join_cluster)", "monitoring/services.py", "_join_"),
    ("shared words (analyse)", "textproc/words.py", "analyse"),
)


def profile_stages(stats) -> list[tuple[str, float]]:
    def cumulative(path: str, name: str) -> float:
        return sum(
            cum
            for (filename, _line, function), (_cc, _nc, _own, cum, _callers) in stats.stats.items()
            if filename.endswith(path) and function.startswith(name)
        )

    total = cumulative("monitoring/services.py", "source_fetch")
    rows = [(label, cumulative(path, name)) for label, path, name in PROFILE_STAGES]
    rows.append(("rest (item rows, queries, loop)", total - sum(t for _label, t in rows)))
    rows.append(("total (source_fetch)", total))
    return rows


def print_profile(profiler) -> None:
    import pstats

    stats = pstats.Stats(profiler)
    rows = profile_stages(stats)
    total = rows[-1][1] or 1.0
    print("\n== profile of the end-to-end pass (cProfile, cumulative time per stage) ==")
    print("(the main thread only: pages fetched ahead in other threads show as waiting)")
    for label, seconds in rows:
        print(f"{label:<45} {seconds:>7.2f} s {seconds / total:>6.1%}")
    out = io.StringIO()
    stats.stream = out
    stats.strip_dirs().sort_stats("tottime").print_stats(12)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:3000])


def forget_stored() -> None:
    """Empty the monitoring tables and the near-duplicate index for the next round."""
    from doingoai.monitoring.models import Cluster, Item, Source
    from doingoai.monitoring.near_index import near_index_reset

    Item.objects.all().delete()
    Cluster.objects.all().delete()
    Source.objects.exclude(name="Khởi động").delete()
    near_index_reset()


def warm_up(base: str) -> None:
    from doingoai.monitoring.models import Source
    from doingoai.monitoring.services import source_fetch

    source_fetch(source=Source.objects.create(name="Khởi động", url=f"{base}/khoi-dong.rss"))


def stored_summary(pages: list[Page], base: str) -> dict:
    from doingoai.monitoring.models import Item

    items = Item.objects.exclude(source__name="Khởi động")
    cluster_of = dict(items.values_list("url", "cluster_id"))
    by_number = {page.number: page for page in pages}
    found = Counter()
    for page in pages:
        if page.origin is not None:
            origin = by_number.get(page.origin)
            same = origin is not None and (
                cluster_of.get(base + page.path) == cluster_of.get(base + origin.path)
            )
            found[page.kind, same] += 1
    kinds = Counter(page.kind for page in pages)
    return {
        "items": items.count(),
        "stories": items.values("cluster").distinct().count(),
        "near-duplicates joined": f"{found['near', True]}/{kinds['near']}",
        "copies joined": f"{found['copy', True]}/{kinds['copy']}",
        "classifier": ", ".join(
            sorted({v or "(none)" for v in items.values_list("classifier_version", flat=True)})
        ),
    }


# --- Main -----------------------------------------------------------------------------------


def report(
    runs: list[Run], e2e: Run, totals: Counter, summary: dict, n: int
) -> tuple[float, float]:
    print(f"\n{'pass':<22} {'items':>6} {'wall s':>8} {'items/s':>8} {'CPU s':>7}")
    for run in runs:
        print(f"{run.name:<22} {run.items:>6} {run.wall:>8.2f} {run.rate:>8.1f} {run.cpu:>7.2f}")
    extraction_rate = sum(run.rate for run in runs if run is not e2e) / (len(runs) - 1)
    ratio = e2e.rate / extraction_rate if extraction_rate else 0.0
    verdict = "meets" if ratio >= 0.8 else "BELOW"
    print(
        f"\nN={n}: extraction alone {extraction_rate:.1f} items/s (mean of the two passes), "
        f"end to end {e2e.rate:.1f} items/s, ratio {ratio:.2f} ({verdict} the 0.8 target)"
    )
    extraction_cpu = sum(r.items / r.cpu for r in runs if r is not e2e and r.cpu) / (len(runs) - 1)
    e2e_cpu = e2e.items / e2e.cpu if e2e.cpu else 0.0
    print(
        f"CPU time of this process (the loopback server runs in another): extraction alone "
        f"{extraction_cpu:.1f} items/CPU-s, end to end {e2e_cpu:.1f} items/CPU-s, ratio "
        f"{e2e_cpu / extraction_cpu if extraction_cpu else 0.0:.2f}"
    )
    print("pipeline reports:", dict(totals))
    print("stored:", summary)
    return ratio, (e2e_cpu / extraction_cpu if extraction_cpu else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="pages in the corpus")
    parser.add_argument("--per-feed", type=int, default=100, help="entries per RSS feed")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--database-url", default="", help="default: SQLite in the temp dir")
    parser.add_argument("--profile", action="store_true", help="cProfile the end-to-end pass")
    parser.add_argument(
        "--light", action="store_true", help="pages without the sidebars, ads and mega menu"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="end-to-end passes, each between two extraction-alone passes (the tables are "
        "emptied between rounds); the median ratio is printed",
    )
    parser.add_argument(
        "--fetch-threads",
        type=int,
        default=None,
        help="MONITORING_FETCH_THREADS for the run (default: the setting's, 4; 0 fetches each "
        "page in the main thread, one after the other)",
    )
    parser.add_argument(
        "--store-batch",
        type=int,
        default=None,
        help="MONITORING_STORE_BATCH for the run (default: the setting's, 25; 1 stores each "
        "item in its own transaction)",
    )
    args = parser.parse_args()

    began = time.perf_counter()
    directory = Path(tempfile.mkdtemp(prefix="doingoai-ingest-"))
    pages = build_corpus(args.n, seed=args.seed, full=not args.light)
    warmup = build_corpus(WARMUP, seed=args.seed + 1, full=not args.light)  # no republications
    for page in warmup:
        page.site = "khoi-dong"
    feeds = write_site(directory / "site", pages, warmup, args.per_feed)
    server, base = start_server(directory / "site")
    set_base(directory / "site", base)
    size = sum(len(page.html) for page in pages)
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; {len(pages)} pages "
        f"({size / len(pages) / 1024:.0f} KiB on average) in {feeds} feeds at {base}"
    )
    try:
        setup_django(
            args.database_url or f"sqlite:///{directory / 'bench.sqlite3'}",
            args.per_feed,
            args.fetch_threads,
            args.store_batch,
        )
        extraction_alone(directory / "site", warmup, base, "warm-up")
        warm_up(base)
        ratios: list[tuple[float, float]] = []
        before = extraction_alone(directory / "site", pages, base, "extraction alone (1)")
        for round_number in range(1, args.rounds + 1):
            if round_number > 1:
                forget_stored()
                print(f"\n-- round {round_number} of {args.rounds}")
            e2e, totals = end_to_end(base, feeds, args.profile and round_number == 1)
            after = extraction_alone(
                directory / "site", pages, base, f"extraction alone ({round_number + 1})"
            )
            summary = stored_summary(pages, base)
            ratios.append(report([before, e2e, after], e2e, totals, summary, len(pages)))
            before = after
        if len(ratios) > 1:
            wall = sorted(r[0] for r in ratios)
            cpu = sorted(r[1] for r in ratios)
            print(
                f"\n{len(ratios)} rounds: end to end / extraction alone, median "
                f"{statistics.median(wall):.2f} wall (range {wall[0]:.2f}-{wall[-1]:.2f}), "
                f"{statistics.median(cpu):.2f} CPU (range {cpu[0]:.2f}-{cpu[-1]:.2f})"
            )
    finally:
        server.terminate()
        server.join(timeout=5)
        if args.keep:
            print(f"kept {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)
    print(f"\nwall-clock {time.perf_counter() - began:.0f} s (set-up and migrations included)")


if __name__ == "__main__":
    main()
