#!/usr/bin/env python
"""N synthetic Vietnamese news articles for the search benchmark, written straight to a
database and then indexed.

Vocabulary: every syllable of the Vietnamese demo content (doingoai/demo/data/*.json), ranked
by how often it occurs there and drawn with Zipf-like frequencies (weight 1/rank^1.07), plus
the multi-syllable proper names of the demo text (Lào Cai, Sa Pa, Bát Xát…) sprinkled in.
Lengths follow the demo format: a headline of 10-18 syllables, a lead of 25-50, a body of 3-6
paragraphs of 50-120. Pages are bulk-inserted (no revisions) under the sections of one
Vietnamese home page, then indexed through the configured Wagtail search backend in batches.

    DATABASE_URL=sqlite:////tmp/doingoai-bench/n10000.sqlite3 \\
        .venv/bin/python bench/corpus.py 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/doingoai_bench \\
        .venv/bin/python bench/corpus.py 10000

The database is migrated first; an existing synthetic corpus in it is replaced. A database
that holds a real portal (home pages other than the benchmark's) is refused.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_DATA = ROOT / "doingoai" / "demo" / "data"
ZIPF_EXPONENT = 1.07
# The demo text has ~1,400 distinct syllables; Vietnamese uses ~6,000. The long tail is filled
# with syllables recombined from the demo's own initials and rhymes (ranked after the demo's).
EXTRA_SYLLABLES = 4500
INITIAL = re.compile(r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?(.+)$")
RHYME = re.compile(r"^[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?$")
HOME_SLUG = "bench-trang-chu"
SECTION_SLUGS = ("thoi-su", "kinh-te", "du-lich", "bien-gioi", "hop-tac", "quoc-phong", "xa-hoi")
SYLLABLE = re.compile(r"[^\W\d_]+")
SENTENCE = re.compile(r"[^.!?:;]+")


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doingoai.settings.test")
    import django

    django.setup()


# --- vocabulary -------------------------------------------------------------------------


def demo_texts() -> Iterator[str]:
    """Every Vietnamese text of the demo content (not the translations)."""
    for path in sorted(DEMO_DATA.glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            for key in ("title", "lead", "intro", "quote"):
                if item.get(key):
                    yield item[key]
            yield from item.get("body") or []
            yield from item.get("tags") or []


def proper_names(text: str) -> Iterator[str]:
    """Runs of 2-4 capitalised syllables that do not start a sentence ("Lào Cai")."""
    for sentence in SENTENCE.findall(text):
        words = sentence.split()
        run: list[str] = []
        for index, word in enumerate([*words, ""]):
            clean = word.strip(",()\"'“”")
            if index > 0 and clean[:1].isupper() and SYLLABLE.fullmatch(clean):
                run.append(clean)
                continue
            if 2 <= len(run) <= 4:
                yield " ".join(run)
            run = []


def rare_syllables(known: list[str], count: int, seed: int = 7) -> list[str]:
    """Plausible syllables the demo does not use: a demo initial with a demo rhyme."""
    from doingoai.text.vietnamese import fold

    initials, rhymes = set(), set()
    for word in known:
        match = INITIAL.match(word)
        if match.group(1) != "q" and RHYME.match(fold(match.group(2))):
            initials.add(match.group(1) or "")
            rhymes.add(match.group(2))
    seen = set(known)
    pairs = sorted({i + r for i in initials for r in rhymes} - seen)
    random.Random(seed).shuffle(pairs)
    return pairs[:count]


@dataclass
class Vocabulary:
    words: list[str]  # lower-case syllables, most frequent first
    cumulative: list[float]  # Zipf cumulative weights, for random.choices
    names: list[str]  # proper names ("Lào Cai"), inserted as they are written

    @classmethod
    def from_demo(cls) -> Vocabulary:
        counts: Counter[str] = Counter()
        names: Counter[str] = Counter()
        for text in demo_texts():
            counts.update(word.lower() for word in SYLLABLE.findall(text))
            names.update(proper_names(text))
        words = [word for word, _count in counts.most_common()]
        words += rare_syllables(words, EXTRA_SYLLABLES)
        weights = [1 / rank**ZIPF_EXPONENT for rank in range(1, len(words) + 1)]
        return cls(
            words=words,
            cumulative=list(accumulate(weights)),
            names=[name for name, count in names.most_common() if count >= 2],
        )

    def rank_of(self, word: str) -> int:
        return self.words.index(word) + 1


class ArticleWriter:
    """Deterministic synthetic articles (same seed, same corpus)."""

    def __init__(self, vocabulary: Vocabulary, seed: int = 2026) -> None:
        self.vocabulary = vocabulary
        self.random = random.Random(seed)

    def words(self, count: int) -> list[str]:
        v = self.vocabulary
        return self.random.choices(v.words, cum_weights=v.cumulative, k=count)

    def phrase(self, count: int) -> list[str]:
        words = self.words(count)
        if self.vocabulary.names and self.random.random() < 0.35:
            position = self.random.randrange(len(words))
            words[position] = self.random.choice(self.vocabulary.names)
        return words

    def sentence(self, low: int, high: int) -> str:
        words = self.phrase(self.random.randint(low, high))
        if len(words) > 8 and self.random.random() < 0.5:
            words[self.random.randrange(3, len(words) - 3)] += ","
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, low: int, high: int) -> str:
        target, sentences, size = self.random.randint(low, high), [], 0
        while size < target:
            sentence = self.sentence(12, 28)
            sentences.append(sentence)
            size += sentence.count(" ") + 1
        return " ".join(sentences)

    def article(self, n: int) -> dict:
        title = " ".join(self.phrase(self.random.randint(10, 18)))
        return {
            "title": title[0].upper() + title[1:],
            "lead": self.paragraph(25, 50),
            "body": [self.paragraph(50, 120) for _ in range(self.random.randint(3, 6))],
            "days_ago": self.random.uniform(0, 3 * 365),
            "n": n,
        }


# --- writing to the database ------------------------------------------------------------


def ensure_tree():
    """A Vietnamese home page with the demo's sections (created once per database)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page, Site

    from doingoai.portal.models import HomePage, SectionPage

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    locale, _ = Locale.objects.get_or_create(language_code="vi")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            title="Root",
            slug="root",
            content_type=ContentType.objects.get_for_model(Page),
            locale=locale,
        )
    home = HomePage.objects.filter(slug=HOME_SLUG).first()
    if home is None:
        home = HomePage(title="Trang chủ", slug=HOME_SLUG, site_name="Bench", locale=locale)
        root.add_child(instance=home)
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
        )
    sections = []
    for slug in SECTION_SLUGS:
        section = SectionPage.objects.child_of(home).filter(slug=slug).first()
        if section is None:
            section = SectionPage(title=slug.replace("-", " ").title(), slug=slug, locale=locale)
            home.add_child(instance=section)
            section.save_revision().publish()
            section = SectionPage.objects.get(pk=section.pk)
        sections.append(section)
    return home, sections


def delete_corpus(sections) -> None:
    from django.db import connection
    from wagtail.models import Page

    from doingoai.portal.models import ArticlePage

    ids = list(ArticlePage.objects.filter(slug__startswith="bench-").values_list("pk", flat=True))
    if not ids:
        return
    from modelsearch.models import IndexEntry

    IndexEntry.objects.filter(object_id__in=[str(pk) for pk in ids]).delete()
    table = ArticlePage._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE page_ptr_id IN ({marks})", chunk)  # noqa: S608
    Page.objects.filter(pk__in=ids)._raw_delete(connection.alias)
    for section in sections:
        Page.objects.filter(pk=section.pk).update(numchild=0)


def insert_articles(sections, articles: list[dict], *, first_step: dict) -> list[int]:
    """Bulk-insert one batch: the Page rows with bulk_create, the ArticlePage rows with one
    executemany (Django cannot bulk_create a multi-table child)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone
    from wagtail.models import Page

    from doingoai.portal.models import ArticlePage

    content_type = ContentType.objects.get_for_model(ArticlePage)
    now = timezone.now()
    pages, children = [], []
    for item in articles:
        section = sections[item["n"] % len(sections)]
        step = first_step[section.pk]
        first_step[section.pk] += 1
        published = now - timedelta(days=item["days_ago"])
        slug = f"bench-{item['n']}"
        fields = {
            "title": item["title"],
            "draft_title": item["title"],
            "slug": slug,
            "content_type": content_type,
            "locale_id": section.locale_id,
            "path": Page._get_path(section.path, section.depth + 1, step),
            "depth": section.depth + 1,
            "numchild": 0,
            "url_path": f"{section.url_path}{slug}/",
            "live": True,
            "has_unpublished_changes": False,
            "first_published_at": published,
            "last_published_at": published,
            "live_revision": None,
            "translation_key": uuid.uuid4(),
        }
        pages.append(Page(**fields))
        children.append(
            ArticlePage(
                lead=item["lead"],
                body=[("paragraph", f"<p>{paragraph}</p>") for paragraph in item["body"]],
                published_at=published,
            )
        )
    Page.objects.bulk_create(pages)
    local = [f for f in ArticlePage._meta.local_concrete_fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in local)
    marks = ", ".join(["%s"] * len(local))
    rows = []
    for page, child in zip(pages, children, strict=True):
        child.page_ptr_id = page.pk
        rows.append([f.get_db_prep_save(getattr(child, f.attname), connection) for f in local])
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {ArticlePage._meta.db_table} ({columns}) VALUES ({marks})",  # noqa: S608
            rows,
        )
    return [page.pk for page in pages]


def index_pages(ids: list[int], batch: int) -> None:
    from wagtail.search.backends import get_search_backend

    from doingoai.portal.models import ArticlePage

    backend = get_search_backend()
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        backend.add_bulk(ArticlePage, list(ArticlePage.objects.filter(pk__in=chunk)))


def build(n: int, *, batch: int = 1000, seed: int = 2026, log=print) -> dict:
    from django.core.management import call_command
    from django.db import transaction
    from wagtail.models import Page

    from doingoai.portal.models import HomePage

    call_command("migrate", verbosity=0)
    if HomePage.objects.exclude(slug=HOME_SLUG).exists():
        raise SystemExit(
            "This database holds a real portal: point DATABASE_URL at a database of its own."
        )
    _home, sections = ensure_tree()
    delete_corpus(sections)
    vocabulary = Vocabulary.from_demo()
    writer = ArticleWriter(vocabulary, seed=seed)
    first_step = {section.pk: 1 for section in sections}
    started = time.perf_counter()
    ids: list[int] = []
    for start in range(0, n, batch):
        articles = [writer.article(i) for i in range(start, min(n, start + batch))]
        with transaction.atomic():
            ids.extend(insert_articles(sections, articles, first_step=first_step))
        log(f"  inserted {len(ids):,}/{n:,}")
    for section in sections:
        Page.objects.filter(pk=section.pk).update(numchild=first_step[section.pk] - 1)
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    for start in range(0, len(ids), 10 * batch):
        with transaction.atomic():
            index_pages(ids[start : start + 10 * batch], batch=500)
        log(f"  indexed {min(len(ids), start + 10 * batch):,}/{n:,}")
    indexed = time.perf_counter() - started
    return {
        "articles": n,
        "vocabulary": len(vocabulary.words),
        "insert_seconds": round(inserted, 1),
        "index_seconds": round(indexed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    print(f"{connection.vendor}: building {args.n:,} articles")
    print(build(args.n, seed=args.seed))


if __name__ == "__main__":
    main()
