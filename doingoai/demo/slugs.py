"""Addresses of the demo stories: their title as the admin's slug field writes it
(``doingoai.text.slugs.slugify_title``), shortened to a readable length."""

from __future__ import annotations

import re

from doingoai.text.slugs import slugify_title

MAX_DEMO_SLUG = 60
# A shortened address ending on one of these reads as cut off mid-phrase ("...-va", "...-of").
_DANGLING = frozenset(
    {"va", "cua", "o", "tai", "voi", "tu", "den", "len", "qua", "vao", "tren", "ve", "cac"}
    | {"nhung", "mot", "tung", "and", "of", "in", "on", "at", "to", "for", "a", "an", "the"}
    | {"by", "from", "with"}
)
# Clause breaks in a headline: "Họp báo chiều thứ Hai: ...", "..., doanh nghiệp ...". (Not a
# spaced dash: "Việt - Trung", "Lào Cai – Hồng Hà" are names.)
_CLAUSE = re.compile(r"\s*[:;,]\s+")
# slugify_title drops dashes that are not ASCII hyphens, gluing "2024–2030" into "20242030".
_DASHES = re.compile(r"[‐‑‒–—―]")
_SHORTEST_CLAUSE = 30  # a first clause shorter than this ("hop-bao-chieu-thu-hai") says too little


def _slug(text: str, language: str) -> str:
    return slugify_title(_DASHES.sub("-", text), language)


def _cut_at_word(slug: str, limit: int) -> str:
    if len(slug) <= limit:
        return slug
    words = slug[: limit + 1].split("-")
    if len(words) > 1:
        words.pop()  # the last word is either cut in two or followed by the cut
    while len(words) > 1 and words[-1] in _DANGLING:
        words.pop()
    return "-".join(words)[:limit].rstrip("-")


def demo_slug(title: str, language: str = "vi", limit: int = MAX_DEMO_SLUG) -> str:
    """The headline's slug, at most ``limit`` characters: whole leading clauses of the
    headline when they say enough, otherwise whole words."""
    full = _slug(title, language)
    if len(full) <= limit:
        return full
    clauses = _CLAUSE.split(title.strip())
    best = ""
    for end in range(1, len(clauses)):
        candidate = _slug(" ".join(clauses[:end]), language)
        if len(candidate) > limit:
            break
        best = candidate
    if len(best) >= _SHORTEST_CLAUSE:
        return _cut_at_word(best, limit)
    return _cut_at_word(full, limit)
