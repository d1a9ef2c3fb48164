#!/usr/bin/env python
"""Page throughput on loopback, measured against references in the same run.

Builds a demo portal in a temporary directory, starts the production app server (gunicorn,
production settings) twice — page cache off and on — and nginx with the micro-cache of
docs/deployment.md, then drives each with wrk:

  reference  static copy of the article's HTML served by nginx, and by gunicorn/whitenoise
  portal     uncached article, cached article (through Python), home, section,
             article behind nginx's micro-cache

Needs Debian's wrk and nginx (apt-get install wrk nginx-light). Not a test: it prints figures.

    python bench/page_throughput.py [--seconds 10] [--connections 32] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def wrk(url: str, seconds: int, connections: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def django(env: dict, *args: str) -> str:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install wrk nginx-light")

    work = Path(tempfile.mkdtemp(prefix="doingoai-bench-"))
    work.chmod(0o755)  # nginx workers run as an unprivileged user
    env = {
        **os.environ,
        "DOINGOAI_VAR_DIR": str(work),
        "DJANGO_SETTINGS_MODULE": "doingoai.settings.production",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    print(f"• preparing a demo portal in {work}", flush=True)
    django(env, "migrate", "--noinput")
    django(env, "load_demo")
    django(env, "collectstatic", "--noinput")
    article_path = (
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
        .strip()
        .splitlines()[-1]
    )
    queries = (
        django(
            {**env, "PAGE_CACHE_SECONDS": "0"},
            "shell",
            "-c",
            (
                "from django.test import Client; from django.db import connection;"
                "from django.test.utils import CaptureQueriesContext;"
                f"c=Client(HTTP_HOST='127.0.0.1'); c.get('{article_path}');"
                "ctx=CaptureQueriesContext(connection);\nwith ctx: c.get("
                f"'{article_path}')\nprint(len(ctx.captured_queries));"
                f"open('{work}/static/article.html','wb').write(c.get('{article_path}').content)"
            ),
        )
        .strip()
        .splitlines()[-1]
    )
    static_dir = work / "static-html"
    static_dir.mkdir()
    shutil.copy(work / "static" / "article.html", static_dir / "article.html")

    processes = []
    try:
        servers = {}
        for name, cache_seconds in (("uncached", "0"), ("cached", "300")):
            port = free_port()
            server_env = {**env, "PAGE_CACHE_SECONDS": cache_seconds}
            processes.append(
                subprocess.Popen(
                    [
                        PY,
                        "-m",
                        "gunicorn",
                        "doingoai.wsgi",
                        "-w",
                        str(args.workers),
                        "-b",
                        f"127.0.0.1:{port}",
                        "--log-level",
                        "warning",
                    ],
                    cwd=ROOT,
                    env=server_env,
                    stdout=subprocess.DEVNULL,
                )
            )
            servers[name] = f"http://127.0.0.1:{port}"
        for base in servers.values():
            wait_for(f"{base}{article_path}")

        nginx_port = free_port()
        conf = work / "nginx.conf"
        conf.write_text(f"""
worker_processes {args.workers};
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  proxy_cache_path {work}/nginx-cache keys_zone=doingoai:10m;
  upstream app {{ server {servers["cached"][7:]}; keepalive 32; }}
  server {{
    listen 127.0.0.1:{nginx_port};
    location = /static-article.html {{ alias {static_dir}/article.html; default_type text/html; }}
    location / {{
      proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_cache doingoai; proxy_cache_key "$scheme$host$request_uri";
      proxy_cache_valid 200 10s; proxy_cache_lock on;
      proxy_cache_use_stale updating; proxy_cache_background_update on;
      proxy_cache_bypass $cookie_sessionid; proxy_no_cache $cookie_sessionid;
    }}
  }}
}}
""")
        processes.append(subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"]))
        nginx = f"http://127.0.0.1:{nginx_port}"
        try:
            wait_for(f"{nginx}/static-article.html", timeout=15)
        except RuntimeError:
            print((work / "nginx-error.log").read_text(errors="replace"))
            raise

        cases = [
            ("reference: static HTML via nginx", f"{nginx}/static-article.html"),
            (
                "reference: static HTML via gunicorn+whitenoise",
                f"{servers['uncached']}/static/article.html",
            ),
            ("uncached article (Python, no page cache)", f"{servers['uncached']}{article_path}"),
            ("uncached home", f"{servers['uncached']}/vi/"),
            ("cached article through Python", f"{servers['cached']}{article_path}"),
            ("cached home through Python", f"{servers['cached']}/vi/"),
            ("article behind nginx micro-cache", f"{nginx}{article_path}"),
        ]
        results = {}
        for label, url in cases:
            results[label] = wrk(url, args.seconds, args.connections)
            print(f"  {label:<50} {results[label]:>10.1f} req/s", flush=True)
        static = results["reference: static HTML via nginx"]
        print(f"\nSQL queries per uncached article view: {queries}")
        cached = results["cached article through Python"]
        uncached = results["uncached article (Python, no page cache)"]
        print(f"cached article / uncached article: {cached / uncached:.1f}×")
        print(
            f"nginx micro-cache / static file via nginx: "
            f"{results['article behind nginx micro-cache'] / static:.2f}×"
        )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
