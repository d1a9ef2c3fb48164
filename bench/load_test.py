#!/usr/bin/env python
"""Sustained load on the production stack: errors first, then speed.

The demo portal under the production settings (gunicorn, 2 workers × 4 threads as
documented, SQLite, local-memory cache, page cache on), driven by wrk on loopback with many
connections for a long time — the figure issue #12 asks for (200 connections, home and
article, 60 s: 0 errors):

  reference   a static file served by nginx (the documented /static/ location): what this
              machine can answer at all in the same run
  home        /vi/ and an article, straight to gunicorn (every request reaches Python)
  article     and the same two behind the documented nginx (micro-cache in front)

Counts every failure wrk sees: non-2xx/3xx answers, connect/read/write errors and time-outs
(wrk's default 2 s). Not a test: it prints figures (and --json writes them).

Needs Debian's wrk and nginx (apt-get install wrk nginx-light).

    python bench/load_test.py [--seconds 60] [--connections 200]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
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

SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def to_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load(url: str, seconds: int, connections: int) -> dict:
    """One wrk run: requests, rate, latency percentiles and every kind of error."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = SOCKET_ERRORS.search(out)
    connect, read, write, timeout = (int(n) for n in sockets.groups()) if sockets else (0,) * 4
    latency = {
        label: to_ms(*re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups())
        for label in ("50", "90", "99")
    }
    return {
        "requests": requests,
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": latency["50"],
        "p90_ms": latency["90"],
        "p99_ms": latency["99"],
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "connect_errors": connect,
        "read_errors": read,
        "write_errors": write,
        "timeouts": timeout,
    }


def report(label: str, figures: dict) -> None:
    errors = sum(
        figures[key]
        for key in ("non_2xx", "connect_errors", "read_errors", "write_errors", "timeouts")
    )
    print(
        f"  {label:<34} {figures['requests']:>8,} requests  {figures['rate']:>8,.0f} req/s  "
        f"p50 {figures['p50_ms']:>7.1f} ms  p90 {figures['p90_ms']:>7.1f}  "
        f"p99 {figures['p99_ms']:>7.1f}  errors {errors} "
        f"(non-2xx {figures['non_2xx']}, connect {figures['connect_errors']}, "
        f"read {figures['read_errors']}, write {figures['write_errors']}, "
        f"timeout {figures['timeouts']})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install wrk nginx-light")

    work = prepare_work_dir()
    env = production_env(work)
    print("building the demo portal (production settings)…", flush=True)
    prepare_demo(env)
    article = last_line(
        django(
            env,
            "shell",
            "-c",
            "from doingoai.portal.models import ArticlePage;"
            "print(ArticlePage.objects.live().filter(locale__language_code='vi')"
            ".order_by('-published_at').first().url)",
        )
    )
    port = free_port()
    processes = [gunicorn("doingoai.wsgi", port, args.workers, ROOT, env)]
    try:
        app = f"http://127.0.0.1:{port}"
        nginx, proxy = start_nginx(work, port)
        processes.append(nginx)
        static = "/static/portal/icons/icon-192.png"
        for url in (app + "/vi/", app + article, proxy + static):
            wait_for(url)
        cases = [
            ("reference: static file via nginx", proxy + static),
            ("home via gunicorn", app + "/vi/"),
            ("article via gunicorn", app + article),
            ("home via nginx", proxy + "/vi/"),
            ("article via nginx", proxy + article),
        ]
        print(
            f"wrk: {args.connections} connections, {args.seconds} s each, "
            f"gunicorn {args.workers} workers × 4 threads, article {article}",
            flush=True,
        )
        results = {}
        for label, url in cases:
            results[label] = load(url, args.seconds, args.connections)
            report(label, results[label])
        reference = results["reference: static file via nginx"]["rate"]
        print("ratios to the static file served by nginx in the same run:")
        for label, figures in results.items():
            print(f"  {label:<34} {figures['rate'] / reference:.3f}")
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
    finally:
        stop(processes)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
