#!/usr/bin/env python
"""N synthetic Vietnamese news articles for the search benchmark, written straight to a
database and then indexed.

Vocabulary: every syllable of the Vietnamese demo content (doingoai/demo/data/*.json), ranked
by how often it occurs there and drawn with Zipf-like frequencies (weight 1/rank^1.07), plus
the multi-syllable proper names of the demo text (Lào Cai, Sa Pa, Bát Xát…) sprinkled in.
Lengths follow the demo format: a headline of 10-18 syllables, a lead of 25-50, a body of 3-6
paragraphs of 50-120. Articles are written in publication order, oldest first, over three
years (as a portal accumulates them; one in 20 is backdated by up to a month), so the index
rows follow publication order as they do on a real portal.

Pages are bulk-inserted (no revisions, no per-page ``save()``) under the sections of one
Vietnamese home page. The index is written by the configured Wagtail search backend's own
``add_items()`` (the same rows, tsvectors and FTS5 entries the portal writes when a page is
published), from the in-memory pages, in batches; only modelsearch's per-batch
``title_norm`` refresh (a full-table scan per batch) is deferred to one pass at the end.

    DATABASE_URL=sqlite:///var/bench/sqlite-100000.sqlite3 \\
        .venv/bin/python bench/corpus.py 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/doingoai_searchbench_100000 \\
        .venv/bin/python bench/corpus.py 100000

(``bench/search_latency.py --engine sqlite|postgres --n N --build`` picks those databases
itself and builds them only when they do not already hold the corpus.)

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
SPAN_DAYS = 3 * 365
# The demo files whose Vietnamese text makes the vocabulary (fixed: see demo_texts()).
VOCABULARY_FILES = ("articles_a.json", "articles_b.json", "pages.json")


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doingoai.settings.test")
    import django

    django.setup()


# --- vocabulary -------------------------------------------------------------------------


def demo_texts() -> Iterator[str]:
    """Every Vietnamese text of the demo content the benchmark was written against (not the
    translations): ``VOCABULARY_FILES`` only, so that demo articles added later (e.g.
    articles_c.json) do not change the corpus and figures stay comparable across runs."""
    for path in [DEMO_DATA / name for name in VOCABULARY_FILES]:
        items = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(items, list):  # other demo data (not page content)
            continue
        for item in items:
            if not isinstance(item, dict):
                continue
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

    def article(self, n: int, total: int) -> dict:
        """Article ``n`` of ``total``, published in order over three years (oldest first);
        one in 20 is backdated by up to a month."""
        title = " ".join(self.phrase(self.random.randint(10, 18)))
        days_ago = SPAN_DAYS * (1 - (n + 0.5) / total)
        if self.random.random() < 0.05:
            days_ago += self.random.uniform(0, 30)
        return {
            "title": title[0].upper() + title[1:],
            "lead": self.paragraph(25, 50),
            "body": [self.paragraph(50, 120) for _ in range(self.random.randint(3, 6))],
            "days_ago": days_ago,
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
    from modelsearch.conf import get_app_config

    IndexEntry = get_app_config().get_model("IndexEntry")

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


def insert_articles(sections, articles: list[dict], *, first_step: dict) -> list:
    """Bulk-insert one batch: the Page rows with bulk_create, the ArticlePage rows with one
    executemany (Django cannot bulk_create a multi-table child). Returns the articles as
    in-memory ``ArticlePage`` objects (with their ids) for indexing."""
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
                **fields,
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
        child.pk = child.id = child.page_ptr_id = page.pk
        rows.append([f.get_db_prep_save(getattr(child, f.attname), connection) for f in local])
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {ArticlePage._meta.db_table} ({columns}) VALUES ({marks})",  # noqa: S608
            rows,
        )
    return children


def search_index():
    """The configured backend's index for articles, with modelsearch's per-batch
    ``title_norm`` refresh (an average over the whole table, every batch) deferred: call
    ``finish_index()`` once at the end."""
    from wagtail.search.backends import get_search_backend

    from doingoai.portal.models import ArticlePage

    index = get_search_backend().get_index_for_model(ArticlePage)
    if hasattr(index, "_refresh_title_norms"):
        index._refresh_title_norms = lambda full=False: None
    return index


def finish_index(index) -> None:
    """modelsearch's full ``title_norm`` refresh. On SQLite the FTS5 table's update trigger
    would re-index every row for this column it does not hold: it is set aside meanwhile."""
    from django.db import connection, transaction

    refresh = getattr(type(index), "_refresh_title_norms", None)
    if refresh is None:
        return
    trigger = None
    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                    "AND name LIKE 'update_%%indexentry_fts'"
                )
                trigger = cursor.fetchone()
                if trigger:
                    cursor.execute(f"DROP TRIGGER {trigger[0]}")
        refresh(index, full=True)
        if trigger:
            with connection.cursor() as cursor:
                cursor.execute(trigger[1])


def fast_writes():
    """SQLite: no WAL or fsync while building (the file is thrown away if the build fails)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=DELETE")
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")


def build(n: int, *, batch: int = 1000, seed: int = 2026, log=print) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction
    from wagtail.models import Page

    from doingoai.portal.models import ArticlePage, HomePage

    call_command("migrate", verbosity=0)
    if HomePage.objects.exclude(slug=HOME_SLUG).exists():
        raise SystemExit(
            "This database holds a real portal: point DATABASE_URL at a database of its own."
        )
    fast_writes()
    _home, sections = ensure_tree()
    delete_corpus(sections)
    vocabulary = Vocabulary.from_demo()
    writer = ArticleWriter(vocabulary, seed=seed)
    first_step = {section.pk: 1 for section in sections}
    index = search_index()
    started = time.perf_counter()
    done = 0
    timings = {"insert": 0.0, "index": 0.0}
    for start in range(0, n, batch):
        articles = [writer.article(i, n) for i in range(start, min(n, start + batch))]
        with transaction.atomic():
            t0 = time.perf_counter()
            objects = insert_articles(sections, articles, first_step=first_step)
            t1 = time.perf_counter()
            index.add_items(ArticlePage, objects)
            timings["insert"] += t1 - t0
            timings["index"] += time.perf_counter() - t1
        done += len(objects)
        if done % (10 * batch) == 0 or done == n:
            log(f"  inserted and indexed {done:,}/{n:,} ({time.perf_counter() - started:.0f} s)")
    for section in sections:
        Page.objects.filter(pk=section.pk).update(numchild=first_step[section.pk] - 1)
    t0 = time.perf_counter()
    finish_index(index)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    timings["finish"] = time.perf_counter() - t0
    assert ArticlePage.objects.filter(slug__startswith="bench-").count() == n
    return {
        "articles": n,
        "vocabulary": len(vocabulary.words),
        "total_seconds": round(time.perf_counter() - started, 1),
        **{f"{key}_seconds": round(value, 1) for key, value in timings.items()},
    }


def replicate(n: int, *, base: int, seed: int = 2026, log=print) -> dict:
    """Grow a database that holds the ``base`` corpus to ``n`` articles (a multiple of
    ``base``) by copies of it, spread over the same three years in publication order.

    Writing a million distinct articles through the indexer takes hours of one core; a copy
    reuses each original's index row as it is — what the portal's indexer writes for a page
    with that title, lead and body — and the database indexes it again (FTS5 trigger; on
    PostgreSQL the tsvectors are copied and the GIN indexes rebuilt). Term frequencies and
    document lengths are those of the base corpus; every word's document count is ``n /
    base`` times its count there, as it would be in a corpus ``n / base`` times larger.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from modelsearch.conf import get_app_config
    from wagtail.models import Page

    from doingoai.portal.models import ArticlePage

    assert n % base == 0 and n > base, "n must be a multiple of the base corpus"
    IndexEntry = get_app_config().get_model("IndexEntry")
    entries = IndexEntry._meta.db_table
    pages = Page._meta.db_table
    articles = ArticlePage._meta.db_table
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    qn = connection.ops.quote_name
    fast_writes()
    _home, sections = ensure_tree()
    originals = sorted(
        Page.objects.filter(slug__regex=r"^bench-[0-9]+$").values("id", "slug", "path", "depth"),
        key=lambda row: int(row["slug"].removeprefix("bench-")),
    )
    assert len(originals) == base, f"the database holds {len(originals):,} articles"
    by_path = {section.path: section for section in sections}
    next_step = {section.pk: section.numchild + 1 for section in sections}
    stride = 10 ** len(str(max(row["id"] for row in originals)))
    page_fields = [f for f in Page._meta.concrete_fields if f.column != "id"]
    page_columns = ", ".join(qn(f.column) for f in page_fields)
    article_columns = [
        f.column for f in ArticlePage._meta.local_concrete_fields if f.column != "page_ptr_id"
    ]
    entry_columns = [
        f.column for f in IndexEntry._meta.concrete_fields if f.column not in ("id", "object_id")
    ]
    cast_text = "CAST(m.new AS TEXT)" if connection.vendor == "sqlite" else "m.new::text"
    rng = random.Random(seed + 1)
    now = timezone.now()
    started = time.perf_counter()

    def published(j: int):
        days = SPAN_DAYS * (1 - (j + 0.5) / n)
        if rng.random() < 0.05:
            days += rng.uniform(0, 30)
        return now - timedelta(days=days)

    gin = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND indexdef ILIKE '%%USING gin%%'",
                [entries],
            )
            gin = cursor.fetchall()
            for name, _definition in gin:
                cursor.execute(f"DROP INDEX {qn(name)}")
            cursor.execute(
                "CREATE TEMP TABLE bench_map (old bigint PRIMARY KEY, new bigint, "
                "published timestamptz)"
            )
        else:
            cursor.execute(
                "CREATE TEMP TABLE bench_map (old INTEGER PRIMARY KEY, new INTEGER, published TEXT)"
            )
        # The originals move to the first 1/k of the time line.
        with transaction.atomic():
            rows = [(published(j), row["id"]) for j, row in enumerate(originals)]
            adapt = connection.ops.adapt_datetimefield_value
            cursor.executemany(
                f"UPDATE {pages} SET first_published_at = %s, last_published_at = %s "  # noqa: S608
                "WHERE id = %s",
                [(adapt(when), adapt(when), pk) for when, pk in rows],
            )
            cursor.executemany(
                f"UPDATE {articles} SET published_at = %s WHERE page_ptr_id = %s",  # noqa: S608
                [(adapt(when), pk) for when, pk in rows],
            )
        source = {
            row[0]: row
            for row in Page.objects.filter(pk__in=[r["id"] for r in originals]).values_list(
                "id", *[f.attname for f in page_fields]
            )
        }
        attnames = [f.attname for f in page_fields]
        for copy in range(1, n // base):
            with transaction.atomic():
                cursor.execute("DELETE FROM bench_map")
                page_rows, map_rows = [], []
                for i, row in enumerate(originals):
                    j = copy * base + i
                    new_id = row["id"] + copy * stride
                    parent = by_path[row["path"][: -Page.steplen]]
                    step = next_step[parent.pk]
                    next_step[parent.pk] += 1
                    when = published(j)
                    values = dict(zip(attnames, source[row["id"]][1:], strict=True))
                    slug = f"bench-{j}"
                    values.update(
                        slug=slug,
                        path=Page._get_path(parent.path, parent.depth + 1, step),
                        url_path=f"{parent.url_path}{slug}/",
                        first_published_at=when,
                        last_published_at=when,
                        translation_key=uuid.uuid4(),
                    )
                    page_rows.append(
                        [new_id]
                        + [f.get_db_prep_save(values[f.attname], connection) for f in page_fields]
                    )
                    map_rows.append((row["id"], new_id, adapt(when)))
                marks = ", ".join(["%s"] * (len(page_fields) + 1))
                cursor.executemany(
                    f"INSERT INTO {pages} (id, {page_columns}) VALUES ({marks})",  # noqa: S608
                    page_rows,
                )
                cursor.executemany(
                    "INSERT INTO bench_map (old, new, published) VALUES (%s, %s, %s)", map_rows
                )
                other = ", ".join(
                    "m.published" if c == "published_at" else f"a.{qn(c)}" for c in article_columns
                )
                cursor.execute(
                    f"INSERT INTO {articles} (page_ptr_id, "  # noqa: S608
                    f"{', '.join(qn(c) for c in article_columns)}) "
                    f"SELECT m.new, {other} FROM bench_map m "
                    f"JOIN {articles} a ON a.page_ptr_id = m.old ORDER BY m.new"
                )
                cursor.execute(
                    f"INSERT INTO {entries} (object_id, "  # noqa: S608
                    f"{', '.join(qn(c) for c in entry_columns)}) "
                    f"SELECT {cast_text}, {', '.join(f'e.{qn(c)}' for c in entry_columns)} "
                    f"FROM bench_map m JOIN {entries} e ON e.content_type_id = %s "
                    f"AND e.object_id = {cast_text.replace('m.new', 'm.old')} ORDER BY m.new",
                    [content_type],
                )
            elapsed = time.perf_counter() - started
            log(f"  copy {copy}: {(copy + 1) * base:,}/{n:,} ({elapsed:.0f} s)")
        for section in sections:
            Page.objects.filter(pk=section.pk).update(numchild=next_step[section.pk] - 1)
        t0 = time.perf_counter()
        for name, definition in gin:
            log(f"  {name}…")
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute(definition)
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{pages}', 'id'), max(id)) FROM {pages}"  # noqa: S608
            )
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
        finish = time.perf_counter() - t0
    assert ArticlePage.objects.filter(slug__startswith="bench-").count() == n
    return {
        "articles": n,
        "copies_of": base,
        "total_seconds": round(time.perf_counter() - started, 1),
        "finish_seconds": round(finish, 1),
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
