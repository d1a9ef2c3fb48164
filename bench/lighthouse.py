#!/usr/bin/env python
"""Lighthouse (mobile, default settings) on the portal as deployed.

Starts the demo portal under the production settings behind the nginx of docs/deployment.md
(bench/stack.py), then runs Lighthouse on the home page, a section and an article in
Vietnamese and English, and on a search page, and prints each category's score and the audits
that did not pass. Lighthouse itself comes from npm (``npm install lighthouse`` in a folder
of your choice; ``--lighthouse`` gives its path) and drives Debian's Chromium.

    python bench/lighthouse.py [--lighthouse /tmp/a11y/node_modules/.bin/lighthouse] [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
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

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
PAGES_SCRIPT = """
from doingoai.portal.models import ArticlePage, SectionPage
out = {}
for code in ("vi", "en"):
    article = (ArticlePage.objects.live().filter(locale__language_code=code)
               .exclude(photostorypage__isnull=False).exclude(videostorypage__isnull=False)
               .order_by("-published_at").first())
    section = article.get_parent()
    out[code] = [f"/{code}/", section.url, article.url]
import json; print(json.dumps(out))
"""


def lighthouse(binary: str, url: str, work: Path) -> dict:
    output = work / f"lh-{abs(hash(url))}.json"
    subprocess.run(
        [
            binary,
            url,
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={output}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        check=True,
        capture_output=True,
    )
    return json.loads(output.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lighthouse",
        default=os.environ.get("LIGHTHOUSE", "/tmp/a11y/node_modules/.bin/lighthouse"),  # noqa: S108
    )
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median score)")
    parser.add_argument("--save", type=Path, help="keep each Lighthouse report (JSON) here")
    parser.add_argument("--only", help="only the pages whose address contains this text")
    args = parser.parse_args()
    if not Path(args.lighthouse).exists() or not shutil.which("nginx"):
        sys.exit("needs npm's lighthouse (--lighthouse PATH) and nginx (apt-get install nginx)")

    work = prepare_work_dir()
    env = production_env(work, PAGE_CACHE_SECONDS="300")
    processes = []
    try:
        print(f"• preparing the demo portal (production settings) in {work}", flush=True)
        prepare_demo(env)
        pages = json.loads(last_line(django(env, "shell", "-c", PAGES_SCRIPT)))
        port = free_port()
        processes.append(gunicorn("doingoai.wsgi", port, 2, ROOT, env))
        wait_for(f"http://127.0.0.1:{port}/vi/")
        nginx_process, nginx = start_nginx(work, port)
        processes.append(nginx_process)
        wait_for(f"{nginx}/vi/", timeout=15)
        urls = [*pages["vi"], *pages["en"], "/vi/tim-kiem/?q=c%E1%BB%ADa+kh%E1%BA%A9u"]
        if args.only:
            urls = [url for url in urls if args.only in url]
        for path in urls:
            scores: dict[str, list[int]] = {category: [] for category in CATEGORIES}
            failing: set[str] = set()
            for _run in range(args.runs):
                report = lighthouse(args.lighthouse, nginx + path, work)
                if args.save:
                    args.save.mkdir(parents=True, exist_ok=True)
                    name = path.strip("/").replace("/", "_").split("?")[0] or "home"
                    (args.save / f"{name}-{_run}.json").write_text(json.dumps(report))
                for category in CATEGORIES:
                    scores[category].append(round(report["categories"][category]["score"] * 100))
                failing |= {
                    name
                    for name, audit in report["audits"].items()
                    if audit.get("score") is not None
                    and audit["score"] < 0.9
                    and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
                }
                lcp = report["audits"]["largest-contentful-paint"]["displayValue"]
            summary = ", ".join(
                f"{category} {statistics.median(values):.0f}" for category, values in scores.items()
            )
            print(f"{path}\n    {summary}; LCP {lcp}")
            if failing:
                print(f"    below 0.9: {', '.join(sorted(failing))}")
    finally:
        stop(processes)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
