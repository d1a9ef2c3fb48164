#!/usr/bin/env python
"""Precision@5 of the portal search on the demo content, per language and kind of query.

Loads the demo portal's pages (doingoai/demo: homes, sections, articles with their
translations, plain pages) into a database of its own, runs the judged queries of
bench/queries_judged.txt through ``doingoai.search.selectors.run_search()`` (what the search
page lists) and prints, per query, its first five results and its precision@5: the share of
them that are relevant, out of min(5, number of relevant pages). Then the mean per language
and kind, and overall.

    .venv/bin/python bench/search_precision.py                    # SQLite (a fresh file)
    .venv/bin/python bench/search_precision.py --engine postgres  # database
                                                                  # doingoai_searchprecision

tests/test_search_precision.py asserts the same figures (on the test database).
Not a test: it prints figures (and --json writes them).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
JUDGED = HERE / "queries_judged.txt"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/doingoai_searchprecision"
AT = 5


@dataclass(frozen=True)
class Judged:
    language: str
    kind: str
    query: str
    headlines: frozenset[str] = frozenset()  # relevant pages of that language
    texts: frozenset[str] = frozenset()  # … and every page holding one of these texts


QUERY_LINE = re.compile(r"^\[(?P<language>[^|\]]+)\|(?P<kind>[^\]]+)\] (?P<query>.+)$")


def read_judged(path: Path = JUDGED) -> list[Judged]:
    """The judged queries: "[language|kind] query" lines, each followed by the headlines of
    its relevant pages, indented."""
    out: list[Judged] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith((" ", "\t")):
            last, entry = out[-1], line.strip()
            if entry.startswith("~ "):
                out[-1] = replace(last, texts=last.texts | {entry[2:].strip()})
            else:
                out[-1] = replace(last, headlines=last.headlines | {entry})
            continue
        match = QUERY_LINE.match(line)
        if match is None:
            raise ValueError(f"{path.name}: not a query line: {line!r}")
        out.append(Judged(match["language"], match["kind"], match["query"]))
    return out


def relevant_pages(judged: Judged) -> frozenset[str]:
    """The headlines of the relevant pages of a judged query, as the database holds them."""
    from doingoai.portal.models import ArticlePage, StandardPage

    found = set(judged.headlines)
    wanted = [unicodedata.normalize("NFC", text).casefold() for text in judged.texts]
    if wanted:
        for model, summary in ((ArticlePage, "lead"), (StandardPage, "intro")):
            pages = model.objects.live().filter(locale__language_code=judged.language)
            for page in pages:
                text = " ".join((page.title, getattr(page, summary) or "", page.body_text))
                text = unicodedata.normalize("NFC", " ".join(text.split())).casefold()
                if any(w in text for w in wanted):
                    found.add(page.title)
    return frozenset(found)


def precision_at(found: list[str], relevant: frozenset[str], at: int = AT) -> float:
    """Relevant results among the first ``at``, out of min(at, number of relevant pages)."""
    hits = sum(1 for title in found[:at] if title in relevant)
    return hits / min(at, len(relevant))


def first_precision(found: list[str], relevant: frozenset[str], at: int = AT) -> float:
    """Precision at k = min(at, number of relevant pages) (R-precision, capped): 1.0 only
    when the relevant pages come first — a query with two relevant pages listed third and
    fourth has precision@5 1.0 but 0.0 here."""
    k = min(at, len(relevant))
    return sum(1 for title in found[:k] if title in relevant) / k


def load_demo_pages() -> None:
    """The demo portal's pages only (no visits, registers or monitoring): what is searched.

    Loaded by the demo loader itself, faster: tiny pictures, pages published without a
    revision, and indexed once at the end (the loader saves each page several times, and
    each save would re-index it and rebuild Wagtail's reference index)."""
    from unittest import mock

    from django.test import override_settings
    from wagtail.models import Locale, Page

    from doingoai.demo import loader as demo
    from doingoai.portal.models import ArticlePage, HomePage, StandardPage

    if HomePage.objects.exists():
        return
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with (
        override_settings(TASKS=dummy),
        mock.patch.object(demo, "draw_picture", small_picture),
        mock.patch.object(demo, "_publish", publish_without_revision),
    ):
        from django_tasks import task_backends

        task_backends._settings = None  # re-read TASKS
        task_backends.__dict__.pop("settings", None)
        loader = demo.DemoLoader()
        for code in demo.LANGUAGES:
            loader.locales[code], _ = Locale.objects.get_or_create(language_code=code)
        homes = loader.load_homes()
        sections = loader.load_sections(homes)
        loader.load_articles(sections)
        loader.load_standard_pages(homes["vi"])
    from modelsearch.index import insert_or_update_object

    for model in (ArticlePage, StandardPage):
        for page in model.objects.all():
            insert_or_update_object(page)
    Page.objects.filter(live=False).update(live=True)


def publish_without_revision(page, published_at=None) -> None:
    from django.utils import timezone
    from wagtail.models import Page

    when = published_at or timezone.now()
    Page.objects.filter(pk=page.pk).update(
        live=True, has_unpublished_changes=False, first_published_at=when, last_published_at=when
    )


def small_picture(palette: str, seed: int) -> bytes:
    """A tiny plain picture in place of the demo's drawings (the search does not look at
    pictures; drawing them is most of the loading time)."""
    import io

    from PIL import Image

    from doingoai.demo.images import PALETTES

    out = io.BytesIO()
    Image.new("RGB", (16, 9), PALETTES.get(palette, PALETTES["mountain"])[0]).save(out, "JPEG")
    return out.getvalue()


def first_results(judged: Judged, at: int = AT) -> list[str]:
    """The headlines of the first ``at`` results of a judged query (its language's search)."""
    from doingoai.portal.navigation import locale_ids_by_code
    from doingoai.search.query import parse_query
    from doingoai.search.selectors import Filters, run_search

    locale_id = locale_ids_by_code()[judged.language]
    outcome = run_search(parse_query(judged.query), Filters(locale_id=locale_id))
    return [hit.page.title for hit in outcome.hits[:at]]


def evaluate(judged_queries: list[Judged]) -> list[dict]:
    rows = []
    for judged in judged_queries:
        found = first_results(judged)
        relevant = relevant_pages(judged)
        rows.append(
            {
                "language": judged.language,
                "kind": judged.kind,
                "query": judged.query,
                "precision": precision_at(found, relevant),
                "first": first_precision(found, relevant),
                "found": found,
                "relevant": [title in relevant for title in found],
                "relevant_pages": len(relevant),
            }
        )
    return rows


def summary(rows: list[dict], measure: str = "precision") -> dict[str, float]:
    """Mean of ``measure`` ("precision": precision@5, "first": capped R-precision) per
    language and kind, per language, and over all queries."""
    groups: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        groups[f"{row['language']} / {row['kind']}"].append(row[measure])
        groups[row["language"]].append(row[measure])
        groups["all"].append(row[measure])
    return {key: round(statistics.mean(values), 3) for key, values in groups.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the results")
    parser.add_argument(
        "--no-bm25",
        action="store_true",
        help="rank as on a large portal, where a common word's bm25 is not computed "
        "(flags and dates only: see docs/search.md)",
    )
    args = parser.parse_args()
    if args.engine == "postgres":
        url = os.environ.get("DATABASE_URL") or POSTGRES_URL
        import psycopg

        server, _slash, name = url.rpartition("/")
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='doingoai-precision-')}/demo.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doingoai.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.PAGE_CACHE_SECONDS = 0
    if args.no_bm25:
        from doingoai.search import backends

        backends.BM25_MAX_ROWS = -1
    call_command("migrate", verbosity=0)
    load_demo_pages()
    rows = evaluate(read_judged())
    print(f"P@{AT}  first  results  query  (+ relevant, - not)")
    for row in rows:
        marks = "".join("+" if ok else "-" for ok in row["relevant"])
        print(
            f"{row['precision']:4.2f}  {row['first']:4.2f}   {marks:<7}  "
            f"{row['language']:<7} {row['query']}"
        )
        if args.verbose:
            for title, ok in zip(row["found"], row["relevant"], strict=True):
                print(f"{'':23}{'+' if ok else '-'} {title}")
    figures = {"precision": summary(rows), "first": summary(rows, "first")}
    print(
        f"\nOn the demo content ({connection.vendor}), mean per group: precision@{AT}, and "
        f"precision at min({AT}, relevant pages) ('first': the relevant pages come first)"
    )
    for key in sorted(figures["precision"], key=lambda key: (key == "all", key)):
        print(f"  {key:<28} {figures['precision'][key]:.2f}  {figures['first'][key]:.2f}")
    if args.json:
        args.json.write_text(
            json.dumps({"summary": figures, "queries": rows}, indent=1, ensure_ascii=False)
        )


if __name__ == "__main__":
    main()
