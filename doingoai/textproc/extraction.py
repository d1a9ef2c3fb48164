"""Main text and metadata of an HTML page, with trafilatura.

``extract_article(html, url=...)`` gives an ``Extracted`` record: title, text, publication
date, author, language and a status. A page that yields no text (a video page, a gallery, a
page behind a script) gets ``status == "no_text"`` and keeps whatever metadata it had, so the
caller records it instead of dropping it.

trafilatura only detects the language with an optional package, so ``guess_language`` looks
at the scripts and the Vietnamese letters in the text, and falls back on ``<html lang>``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

import trafilatura

__all__ = ["NO_TEXT", "OK", "Extracted", "extract_article", "guess_language", "parse_date"]

OK = "ok"
NO_TEXT = "no_text"
MIN_WORDS = 3  # fewer words than this is "no text" ("Video", "Ảnh: Hà Anh")
DATE_PARAMS = {
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
    "original_date": True,
    "extensive_search": False,
}
_HTML_LANG_RE = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I)
# Letters that only Vietnamese uses among Latin-script languages (precomposed, lower case).
_VIETNAMESE_LETTERS = frozenset(
    "ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)
# Frequent Vietnamese syllables, to recognise Vietnamese typed without diacritics.
_VIETNAMESE_PLAIN = frozenset(
    [
        "khong",
        "cua",
        "va",
        "la",
        "nguoi",
        "duoc",
        "cho",
        "nay",
        "voi",
        "cac",
        "nhung",
        "mot",
        "trong",
        "da",
        "co",
        "thi",
        "den",
        "tinh",
        "huyen",
        "xa",
        "dan",
        "nam",
        "ngay",
        "chung",
        "toi",
        "ban",
        "minh",
        "roi",
        "nhe",
        "lam",
        "gi",
        "sao",
    ]
)
_ENGLISH = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "in",
        "is",
        "for",
        "on",
        "that",
        "with",
        "as",
        "by",
        "at",
        "from",
        "this",
        "are",
        "was",
        "be",
        "an",
        "it",
    ]
)


_SCRIPTS = (("zh", 0x4E00, 0x9FFF), ("lo", 0x0E80, 0x0EFF), ("th", 0x0E00, 0x0E7F))


@dataclass
class Extracted:
    title: str = ""
    text: str = ""
    published: datetime | None = None
    author: str = ""
    language: str = ""
    status: str = OK


def parse_date(value: str | None) -> datetime | None:
    """An aware datetime from trafilatura's ISO date (``YYYY-MM-DD`` or with a time)."""
    if not value:
        return None
    value = value.strip()
    for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _script_share(text: str, start: int, end: int) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if start <= ord(c) <= end) / len(letters)


def guess_language(text: str, *, html_lang: str = "") -> str:
    """An ISO 639-1 code for ``text`` (``vi``, ``en``, ``zh``, ``lo``, ``th``) or ``""``."""
    sample = unicodedata.normalize("NFC", (text or "")[:4000]).lower()
    letters = sum(1 for c in sample if c.isalpha())
    if letters >= 8:
        for code, start, end in _SCRIPTS:
            if _script_share(sample, start, end) > 0.3:
                return code
    if letters >= 20:
        words = re.findall(r"[^\W\d_]+", sample)
        if words:
            marked = sum(1 for w in words if any(c in _VIETNAMESE_LETTERS for c in w))
            if marked / len(words) > 0.15:
                return "vi"
            plain_vi = sum(1 for w in words if w in _VIETNAMESE_PLAIN)
            english = sum(1 for w in words if w in _ENGLISH)
            if plain_vi / len(words) > 0.1 and plain_vi > english:
                return "vi"
            if english / len(words) > 0.05:
                return "en"
    return (html_lang or "").split("-")[0].lower()


def _html_lang(html: bytes | str) -> str:
    head = html[:8192]
    if isinstance(head, str):
        head = head.encode("utf-8", "ignore")
    match = _HTML_LANG_RE.search(head)
    return match.group(1).decode("ascii").lower() if match else ""


def extract_article(html: bytes | str, *, url: str = "") -> Extracted:
    """Title, text, date, author and language of the page; ``status`` tells if text was found."""
    if not html:
        return Extracted(status=NO_TEXT)
    document = trafilatura.bare_extraction(
        html,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params=DATE_PARAMS,
    )
    html_lang = _html_lang(html)
    if document is None:
        metadata = trafilatura.extract_metadata(html, default_url=url or None)
        if metadata is None:
            return Extracted(status=NO_TEXT, language=html_lang)
        return Extracted(
            title=metadata.title or "",
            published=parse_date(metadata.date),
            author=metadata.author or "",
            language=html_lang,
            status=NO_TEXT,
        )
    text = (document.text or "").strip()
    status = OK if len(text.split()) >= MIN_WORDS else NO_TEXT
    return Extracted(
        title=(document.title or "").strip(),
        text=text if status == OK else "",
        published=parse_date(document.date),
        author=(document.author or "").strip(),
        language=guess_language(text, html_lang=document.language or html_lang),
        status=status,
    )
