#!/usr/bin/env python
"""Search under load, beside the cached article in the same run.

The demo portal under the production settings (SQLite, local-memory cache, page cache on),
gunicorn with 2 workers × 4 threads as documented, driven by wrk on loopback:

  reference   the cached article through Python (Django's page cache), 50 connections
  popular     the query mix of bench/queries.txt, each asked again and again (residents repeat
              their searches), 50 connections: answered from the page cache
  cold        queries never asked before (word pairs of the demo articles, each once),
              50 connections: every request runs the search
  mixed       the popular load, and beside it one visitor asking never-asked queries one
              after the other: that visitor's latency is what a new question costs under load
  nginx       the popular mix behind the documented nginx micro-cache

Goals (issue #15): popular ≥ 440 req/s (10 × the 44 req/s NukeViet served here), cold
median ≤ 50 ms under the same load. The machine is shared: read the ratios to the reference.

Needs Debian's wrk and nginx (apt-get install wrk nginx-light). Not a test: it prints figures.

    python bench/search_throughput.py [--seconds 10] [--rounds 3] [--connections 50]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from stack import (  # noqa: E402
    ROOT,
    django,
    free_port,
    gunicorn,
    last_line,
    prepare_demo,
    prepare_work_dir,
    production_env,
    start_nginx,
    stop,
    wait_for,
)

QUERIES = BENCH / "queries.txt"
WRK_SCRIPT = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local counter = 0
local step = 1
function setup(thread)
  thread:set("offset", %(offset_expr)s)
end
function init(args)
  counter = tonumber(wrk.thread:get("offset")) or 0
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def search_path(query: str) -> str:
    return "/vi/tim-kiem/?" + urllib.parse.urlencode({"q": query})


def popular_paths() -> list[str]:
    lines = [line for line in QUERIES.read_text(encoding="utf-8").splitlines() if "|" in line]
    return [search_path(line.split("|", 1)[1]) for line in lines if not line.startswith("#")]


def cold_paths(env: dict, count: int, seed: int = 15) -> list[str]:
    """Word pairs (and single words) of the demo's Vietnamese headlines, each once."""
    titles = json.loads(
        last_line(
            django(
                env,
                "shell",
                "-c",
                "import json; from doingoai.portal.models import ArticlePage;"
                "print(json.dumps(list(ArticlePage.objects.filter("
                "locale__language_code='vi').values_list('title', flat=True))))",
            )
        )
    )
    words = sorted({w for t in titles for w in re.findall(r"[^\W\d_]{2,}", t.lower())})
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        size = rng.choice((1, 2, 2, 3))
        query = " ".join(rng.sample(words, size))
        if query not in seen:
            seen.add(query)
            out.append(search_path(query))
    return out


def wrk(url: str, seconds: int, connections: int, paths: list[str] | None, work: Path, name: str):
    """(req/s, median ms, p90 ms, non-2xx) of one wrk run; ``paths`` are spread over threads
    so that no two requests of a cold run repeat."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if paths:
        listing = work / f"{name}.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = work / f"{name}.lua"
        script.write_text(
            WRK_SCRIPT
            % {"paths": listing, "offset_expr": f"math.random(0, {max(len(paths) - 1, 0)})"}
        )
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)

    def percentile(label: str) -> float:
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return rate, percentile("50"), percentile("90"), int(errors.group(1)) if errors else 0


def probe(base: str, paths: list[str], stop_at: float) -> list[float]:
    """One visitor asking never-asked queries one after the other; their latencies (ms)."""
    latencies = []
    for path in paths:
        if time.time() >= stop_at:
            break
        started = time.perf_counter()
        with urllib.request.urlopen(base + path, timeout=60) as response:
            response.read()
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install wrk nginx-light")

    work = prepare_work_dir()
    env = production_env(work, PAGE_CACHE_SECONDS="300")
    print(f"• preparing the demo portal (production settings) in {work}", flush=True)
    prepare_demo(env)
    article = last_line(
        django(
            env,
            "shell",
            "-c",
            "from doingoai.portal.models import ArticlePage;"
            "print(ArticlePage.objects.live().filter(locale__language_code='vi')"
            ".exclude(photostorypage__isnull=False).exclude(videostorypage__isnull=False)"
            ".order_by('-published_at').first().url)",
        )
    )
    popular = popular_paths()
    rounds_cold = cold_paths(env, 60_000)
    processes = []
    try:
        port = free_port()
        processes.append(gunicorn("doingoai.wsgi", port, args.workers, ROOT, env))
        base = f"http://127.0.0.1:{port}"
        wait_for(base + article)
        nginx_process, nginx = start_nginx(work, port, workers=args.workers)
        processes.append(nginx_process)
        wait_for(nginx + article, timeout=15)
        for path in [article, *popular]:  # every worker's cache warm
            for _ in range(2 * args.workers):
                urllib.request.urlopen(base + path, timeout=60).read()

        samples: dict[str, list] = {k: [] for k in ("article", "popular", "cold", "nginx")}
        mixed: dict[str, list[float]] = {"python": [], "nginx": []}
        cold_offset = 0
        for number in range(args.rounds):
            print(f"• round {number + 1}/{args.rounds}", flush=True)
            samples["article"].append(
                wrk(base + article, args.seconds, args.connections, None, work, "article")
            )
            samples["popular"].append(
                wrk(base, args.seconds, args.connections, popular, work, "popular")
            )
            chunk = rounds_cold[cold_offset : cold_offset + 15_000]
            cold_offset += 15_000
            samples["cold"].append(wrk(base, args.seconds, args.connections, chunk, work, "cold"))
            # the popular load again, with one visitor asking new questions beside it: to
            # gunicorn directly, then through nginx (whose micro-cache takes the popular ones)
            for layout, front in (("python", base), ("nginx", nginx)):
                new = rounds_cold[cold_offset : cold_offset + 2_000]
                cold_offset += 2_000
                found: list[float] = []
                visitor = threading.Thread(
                    target=lambda new=new, found=found, front=front: found.extend(
                        probe(front, new, time.time() + args.seconds - 1)
                    )
                )
                visitor.start()
                result = wrk(front, args.seconds, args.connections, popular, work, "bg")
                visitor.join()
                mixed[layout].extend(found)
                if layout == "nginx":
                    samples["nginx"].append(result)

        def med(key: str, index: int) -> float:
            return statistics.median(sample[index] for sample in samples[key])

        print(f"\n  {'case':<52}{'req/s':>9}{'p50 ms':>9}{'p90 ms':>9}{'non-2xx':>9}")
        labels = {
            "article": "cached article through Python (reference)",
            "popular": "popular searches (page cache)",
            "cold": "never-asked searches, all 50 connections",
            "nginx": "popular searches behind nginx micro-cache",
        }
        for key, label in labels.items():
            errors = sum(sample[3] for sample in samples[key])
            rate, p50, p90 = med(key, 0), med(key, 1), med(key, 2)
            print(f"  {label:<52}{rate:>9.0f}{p50:>9.1f}{p90:>9.1f}{errors:>9}")
        reference = med("article", 0)
        print(
            f"\npopular searches: {med('popular', 0):.0f} req/s = "
            f"{med('popular', 0) / reference:.2f} × the cached article; goal ≥ 440 req/s "
            f"(10 × NukeViet's 44): {'met' if med('popular', 0) >= 440 else 'NOT met'}"
        )
        for layout, latencies in mixed.items():
            if not latencies:
                continue
            latencies.sort()
            p50 = statistics.median(latencies)
            p90 = latencies[int(0.9 * (len(latencies) - 1))]
            where = "gunicorn directly" if layout == "python" else "behind nginx"
            print(
                f"a never-asked search beside the popular load, {where} ({len(latencies)} "
                f"asked): p50 {p50:.1f} ms, p90 {p90:.1f} ms; goal median ≤ 50 ms: "
                f"{'met' if p50 <= 50 else 'NOT met'}"
            )
        print(
            f"never-asked searches alone at {args.connections} connections: "
            f"{med('cold', 0):.0f} req/s, p50 {med('cold', 1):.0f} ms "
            f"({med('cold', 0) / reference:.3f} × the cached article)"
        )
    finally:
        stop(processes)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
