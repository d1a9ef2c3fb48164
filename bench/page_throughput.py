#!/usr/bin/env python
"""Page throughput on loopback, measured against references in the same run.

Builds a demo portal and a plain Wagtail site (bench/baseline_site: a bakerydemo-style blog
page, no caching of its own) in a temporary directory, starts the production app server
(gunicorn, same arguments for all) three times — portal with the page cache off, portal with
it on, baseline — and nginx with the configuration of docs/deployment.md (read from that file:
only the certificate, ``listen``, paths and upstream port are replaced), then drives each
with wrk. Pairs that make a ratio are measured alternately, several rounds, and compared by
their medians, so a noisy machine moves both sides alike.

  references  static copy of the article's HTML served by nginx (the documented /static/
              location); the plain-Wagtail baseline (uncached, like the portal's uncached)
  portal      uncached article (page cache off, warm fragments), home, section, search;
              cached article through Python; the article behind nginx's micro-cache

Targets (issue #3): uncached article ≥ 4× the baseline with ≤ 5 SQL queries; cached article
through Python ≥ 2,500 req/s; nginx micro-cache ≥ 0.8× the static file.

Needs Debian's wrk and nginx (apt-get install wrk nginx-light). Not a test: it prints figures.

    python bench/page_throughput.py [--seconds 10] [--connections 32] [--workers 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))
from stack import (  # noqa: E402
    django,
    free_port,
    gunicorn,
    headers_of,
    last_line,
    nginx_config,
    run,
    wait_for,
    wrk,
)


def alternate(cases: list[tuple[str, str]], rounds: int, seconds: int, connections: int) -> dict:
    """Median req/s of each case, measured in turn ``rounds`` times."""
    samples: dict[str, list[float]] = {label: [] for label, _url in cases}
    for _round in range(rounds):
        for label, url in cases:
            samples[label].append(wrk(url, seconds, connections))
    for label, values in samples.items():
        spread = ", ".join(f"{value:.0f}" for value in values)
        print(f"    {label}: {spread}", flush=True)
    return {label: statistics.median(values) for label, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="rounds for the paired ratios")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install wrk nginx-light")

    work = Path(tempfile.mkdtemp(prefix="doingoai-bench-"))
    work.chmod(0o755)  # nginx workers run as an unprivileged user
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / "nginx-tmp" / sub).mkdir(parents=True)
        (work / "nginx-tmp" / sub).chmod(0o777)
    env = {
        **os.environ,
        "DOINGOAI_VAR_DIR": str(work),
        "DJANGO_SETTINGS_MODULE": "doingoai.settings.production",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "FRONTEND_CACHE_PURGE_URL"):
        env.pop(name, None)
    baseline_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "baseline_site.settings",
        "BASELINE_VAR_DIR": str(work / "baseline"),
        "PYTHONPATH": str(BENCH),
    }
    print(f"• preparing a demo portal and the plain-Wagtail baseline in {work}", flush=True)
    django(env, "migrate", "--noinput")
    django(env, "load_demo")
    django(env, "collectstatic", "--noinput")
    run(BENCH, baseline_env, "baseline_site/manage.py", "migrate", "--noinput")
    baseline_path = last_line(run(BENCH, baseline_env, "baseline_site/manage.py", "make_baseline"))
    article_path = last_line(
        django(
            env,
            "shell",
            "-c",
            (
                "from doingoai.portal.models import ArticlePage;"
                "print(ArticlePage.objects.live().filter(locale__language_code='vi')"
                ".exclude(photostorypage__isnull=False).exclude(videostorypage__isnull=False)"
                ".order_by('-published_at').first().url)"
            ),
        )
    )
    # SQL queries of an uncached article view: warm (fragments cached) and cold (right after
    # a publish bumped the content version). Also writes the static copy of the article.
    warm, cold = last_line(
        django(
            {**env, "PAGE_CACHE_SECONDS": "0"},
            "shell",
            "-c",
            (
                "from django.test import Client; from django.db import connection;"
                "from django.test.utils import CaptureQueriesContext;"
                "from doingoai.portal.page_cache import page_cache_invalidate;"
                f"c=Client(HTTP_HOST='127.0.0.1'); c.get('{article_path}');"
                "w=CaptureQueriesContext(connection);\nwith w: c.get("
                f"'{article_path}')\npage_cache_invalidate();"
                "k=CaptureQueriesContext(connection);\nwith k: c.get("
                f"'{article_path}')\nprint(len(w.captured_queries), len(k.captured_queries));"
                f"open('{work}/static/article.html','wb').write(c.get('{article_path}').content)"
            ),
        )
    ).split()
    baseline_queries = last_line(
        run(
            BENCH,
            baseline_env,
            "baseline_site/manage.py",
            "shell",
            "-c",
            (
                "from django.test import Client; from django.db import connection;"
                "from django.test.utils import CaptureQueriesContext;"
                f"c=Client(HTTP_HOST='127.0.0.1'); c.get('{baseline_path}');"
                "w=CaptureQueriesContext(connection);\nwith w: c.get("
                f"'{baseline_path}')\nprint(len(w.captured_queries))"
            ),
        )
    )

    processes = []
    try:
        ports = {name: free_port() for name in ("uncached", "cached", "baseline")}
        processes.append(
            gunicorn(
                "doingoai.wsgi",
                ports["uncached"],
                args.workers,
                ROOT,
                {**env, "PAGE_CACHE_SECONDS": "0"},
            )
        )
        processes.append(
            gunicorn(
                "doingoai.wsgi",
                ports["cached"],
                args.workers,
                ROOT,
                {**env, "PAGE_CACHE_SECONDS": "300"},
            )
        )
        processes.append(
            gunicorn("baseline_site.wsgi", ports["baseline"], args.workers, BENCH, baseline_env)
        )
        servers = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        wait_for(f"{servers['uncached']}{article_path}")
        wait_for(f"{servers['cached']}{article_path}")
        wait_for(f"{servers['baseline']}{baseline_path}")

        nginx_port, refresh_port = free_port(), free_port()
        conf = work / "nginx.conf"
        conf.write_text(
            nginx_config(
                work=work,
                port=nginx_port,
                refresh_port=refresh_port,
                upstream=f"127.0.0.1:{ports['cached']}",
                workers=args.workers,
            )
        )
        processes.append(subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"]))
        nginx = f"http://127.0.0.1:{nginx_port}"
        try:
            wait_for(f"{nginx}/static/article.html", timeout=15)
        except RuntimeError:
            print((work / "nginx-error.log").read_text(errors="replace"))
            raise
        statuses = [headers_of(f"{nginx}{article_path}").get("X-Micro-Cache") for _n in range(3)]
        print(f"• nginx micro-cache status of three requests: {', '.join(map(str, statuses))}")
        if statuses[-1] != "HIT":
            print("    ! the micro-cache does not hit: the figure below is not a cache's")

        search_url = f"{servers['uncached']}/vi/tim-kiem/?q=bi%C3%AAn+gi%E1%BB%9Bi"
        labels = {
            "static": "static HTML via nginx (reference)",
            "micro": "article behind nginx micro-cache",
            "cached": "cached article through Python",
            "uncached": "uncached article (Python, warm fragments)",
            "baseline": "plain-Wagtail baseline (reference)",
            "home": "uncached home",
            "section": "uncached section",
            "search": "uncached search",
        }
        urls = {
            "static": f"{nginx}/static/article.html",
            "micro": f"{nginx}{article_path}",
            "cached": f"{servers['cached']}{article_path}",
            "uncached": f"{servers['uncached']}{article_path}",
            "baseline": f"{servers['baseline']}{baseline_path}",
            "home": f"{servers['uncached']}/vi/",
            "section": f"{servers['uncached']}{article_path.rstrip('/').rsplit('/', 1)[0]}/",
            "search": search_url,
        }
        for url in urls.values():  # warm every cache once
            urllib.request.urlopen(url, timeout=30).read()
        print(f"• paired measurements ({args.rounds} rounds, {args.seconds} s each)")
        results = alternate(
            [(key, urls[key]) for key in ("static", "micro")],
            args.rounds,
            args.seconds,
            args.connections,
        )
        results |= alternate(
            [(key, urls[key]) for key in ("uncached", "baseline")],
            args.rounds,
            args.seconds,
            args.connections,
        )
        print("• single measurements")
        for key in ("cached", "home", "section", "search"):
            results[key] = wrk(urls[key], args.seconds, args.connections)

        print(f"\n{'':2}{'case':<46}{'req/s':>10}")
        for key, label in labels.items():
            print(f"  {label:<46}{results[key]:>10.1f}")
        micro_ratio = results["micro"] / results["static"]
        baseline_ratio = results["uncached"] / results["baseline"]
        print(
            f"\nSQL queries per uncached article view: {warm} warm, {cold} cold "
            f"(first render after a publish); baseline page: {baseline_queries}"
        )
        print(
            f"uncached article / plain-Wagtail baseline: {baseline_ratio:.1f}×  (target ≥ 4×)"
            f"  {'met' if baseline_ratio >= 4 and int(warm) <= 5 else 'NOT met'}"
        )
        print(
            f"cached article through Python: {results['cached']:.0f} req/s  (target ≥ 2,500)"
            f"  {'met' if results['cached'] >= 2500 else 'NOT met'}"
        )
        print(
            f"nginx micro-cache / static file via nginx: {micro_ratio:.2f}×  (target ≥ 0.8×)"
            f"  {'met' if micro_ratio >= 0.8 else 'NOT met'}"
        )
        print(f"cached / uncached article: {results['cached'] / results['uncached']:.1f}×")
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
