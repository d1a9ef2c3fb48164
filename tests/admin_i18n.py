"""Find back-office strings shown without a Vietnamese translation.

While pages render, every gettext lookup made with Vietnamese active is checked against the
merged catalogue; a msgid with no Vietnamese entry is recorded with the URL that showed it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict, deque
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from bs4.element import PreformattedString
from django.utils import translation
from django.utils.translation import trans_real

ADMIN = "/quan-tri/"
SKIP = re.compile(
    r"/(logout|delete|unpublish|lock|unlock|copy|move|convert_alias|"
    r"disable|enable|revisions/\d+/revert|workflow/cancel|preview)/|"
    r"\.(csv|xlsx|json|docx|pdf)$|/jsi18n|/export",
    re.I,
)
# Strings that stay the same in Vietnamese (names, codes, brands).
UNTRANSLATABLE = {
    "Wagtail",
    "English",
    "Tiếng Việt",
    "简体中文",
    "ພາສາລາວ",
    "Email",
    "URL",
    "ID",
    "OK",
    "HTML",
    "API",
    "Slug",
    "Video",
    # django-filter calls gettext on lookup names it then replaces with ""
    "exact",
}
_LETTERS = re.compile(r"[A-Za-z]")


# Lookups of names that are usually Vietnamese already and are translated only when Django or
# Wagtail made them from English code names (a model's name from its class, "locale"; a column's
# from its field, "Site name"; a form field's from its name, "Link text"): back-office templates
# look them up in these contexts, and only the English ones have an entry.
OPTIONAL_CONTEXTS = {"model name", "column label", "field label"}


class MissedStrings:
    def __init__(self) -> None:
        self.where: dict[str, set[str]] = defaultdict(set)
        self.current_url = ""

    def check(self, key, shown: str) -> None:
        if translation.get_language() != "vi" or not _LETTERS.search(shown):
            return
        if shown.strip() in UNTRANSLATABLE:
            return
        lookup = key[0] if isinstance(key, tuple) else key
        if lookup.split("\x04", 1)[0] in OPTIONAL_CONTEXTS and "\x04" in lookup:
            return
        catalog = trans_real.translation("vi")._catalog
        if key not in catalog:
            self.where[shown].add(self.current_url)


@contextmanager
def record_missed_strings():
    missed = MissedStrings()
    originals = {
        name: getattr(trans_real, name) for name in ("gettext", "ngettext", "pgettext", "npgettext")
    }

    def gettext(message):
        missed.check(message.replace("\r\n", "\n"), message)
        return originals["gettext"](message)

    def ngettext(singular, plural, number):
        missed.check((singular, 0), singular)
        return originals["ngettext"](singular, plural, number)

    def pgettext(context, message):
        missed.check(f"{context}\x04{message}", message)
        return originals["pgettext"](context, message)

    def npgettext(context, singular, plural, number):
        missed.check((f"{context}\x04{singular}", 0), singular)
        return originals["npgettext"](context, singular, plural, number)

    replacements = {
        "gettext": gettext,
        "ngettext": ngettext,
        "pgettext": pgettext,
        "npgettext": npgettext,
    }
    trans = translation._trans
    try:
        for name, function in replacements.items():
            setattr(trans_real, name, function)
            trans.__dict__.pop(name, None)  # Trans caches the functions it looked up
        yield missed
    finally:
        for name, function in originals.items():
            setattr(trans_real, name, function)
            trans.__dict__.pop(name, None)


# --- Strings that reach the page without a gettext lookup ------------------------------------
# A form field without a label gets one made from its name ("Password"), a template may hold
# English in an attribute, a cell may print a raw ``None``: no gettext call sees them, so the
# rendered HTML itself is read too.  What an officer reads is every text node (comments, scripts
# and styles aside) and the accessible names and tooltips of elements; of those, code (``code``,
# ``kbd``, ``samp``, ``pre``, ``translate="no"``) and what staff typed (``textarea``) are not
# interface.
_VISIBLE_ATTRIBUTES = (
    "placeholder",
    "title",
    "aria-label",
    "alt",
    "label",
    "data-w-tooltip-content-value",
)
_BUTTON_INPUTS = {"submit", "button", "reset"}
_TEXT_INPUTS = {"text", "search", "date", "datetime", "datetime-local", "time", None}
_NOT_INTERFACE = ("script", "style", "code", "kbd", "samp", "pre", "textarea")
_VIETNAMESE = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I
)
_WORDS = re.compile(r"[A-Za-z]+")


def _catalogues(language: str) -> list[Path]:
    """Django's (core and installed apps), Wagtail's and our catalogues in ``language`` (ours:
    the Vietnamese files, whose msgids are the English source)."""
    import django
    import wagtail
    from django.conf import settings

    django_root = Path(django.__file__).parent
    roots = [django_root / "conf", Path(wagtail.__file__).parent]
    roots += [
        django_root / "contrib" / app.rsplit(".", 1)[-1]
        for app in settings.INSTALLED_APPS
        if app.startswith("django.contrib.")
    ]
    found = [
        path
        for root in roots
        for path in root.glob(f"**/locale/{language}/LC_MESSAGES/*.po")
        if path.name in ("django.po", "djangojs.po")
    ]
    project = Path(__file__).resolve().parent.parent / "doingoai"
    return found + list(project.glob("**/locale/vi/LC_MESSAGES/*.po"))


@lru_cache(maxsize=1)
def english_source_strings() -> frozenset[str]:
    import polib

    strings = set()
    for path in _catalogues("en"):
        if path.name != "django.po":
            continue
        for entry in polib.pofile(str(path)):
            for text in (entry.msgid, entry.msgid_plural):
                if text and _LETTERS.search(text) and "%" not in text and "{" not in text:
                    strings.add(" ".join(text.split()))
    return frozenset(strings - UNTRANSLATABLE)


# Words Vietnamese officers read as they are (units, formats, brands and platforms).
LOANWORDS = {
    "byte", "bytes", "kb", "mb", "gb", "video", "email", "e", "mail", "web", "website", "menu",
    "banner", "logo", "meta", "online", "internet", "slug", "url", "html", "rss", "atom", "pdf",
    "csv", "docx", "xlsx", "json", "excel", "word", "wagtail", "facebook", "zalo", "youtube",
    "tiktok", "twitter", "google", "ok", "id", "x", "tab",
}  # fmt: skip


_EXAMPLES = re.compile(
    r"'[^']*'|\"[^\"]*\"|“[^”]*”|\S*[/_]\S*|\S+\.\w\S*|\b[A-Z][a-z]+[A-Z]\w*|\bFalse\b|\bTrue\b"
)


_GLOSSES = re.compile(r"\([^()]*\)")
# Addresses, paths, e-mail and file names, and format hints inside a sentence.
_CODED = re.compile(
    r"\S*(?:://|@|/)\S*|\S+\.(?:com|vn|org|net|html?|jpe?g|png|pdf|docx?|xlsx?|csv)\b"
)


def _placeholders_out(text: str) -> str:
    """``text`` without placeholders, tags, entities, and the quoted or coded examples some
    translations keep in English ('/events/search/', allow_future là False)."""
    text = re.sub(r"%\(\w+\)\w|%\w|\{\w*\}|<[^>]+>|&\w+;", " ", text)
    return _EXAMPLES.sub(" ", text)


@lru_cache(maxsize=1)
def english_only_words() -> frozenset[str]:
    """Lower-case words of the English source strings that no Vietnamese translation uses
    as they are: a text made of such words is English, not Vietnamese written without marks
    ("Ban", "Trang", "Xem" are Vietnamese words too)."""
    import polib

    english, vietnamese = set(), set()
    for path in _catalogues("en"):
        for entry in polib.pofile(str(path)):
            for text in (entry.msgid, entry.msgid_plural):
                english.update(w.lower() for w in _WORDS.findall(_placeholders_out(text or "")))
    for path in _catalogues("vi"):
        for entry in polib.pofile(str(path)):
            for text in (entry.msgstr, *entry.msgstr_plural.values()):
                if text and _VIETNAMESE.search(text):
                    text = _GLOSSES.sub(" ", _placeholders_out(text))  # "Đường dẫn (slug)"
                    vietnamese.update(w.lower() for w in _WORDS.findall(text))
    return frozenset(word for word in english - vietnamese - LOANWORDS if len(word) > 2)


def _collapse(text) -> str:
    return " ".join(str(text).split())


def _soup(html: str) -> BeautifulSoup:
    soup = BeautifulSoup(html, "lxml")
    for element in soup(list(_NOT_INTERFACE)):
        element.decompose()
    for element in soup.find_all(attrs={"translate": "no"}):
        element.decompose()
    return soup


def shown_texts(html: str, *, soup: BeautifulSoup | None = None) -> set[str]:
    """Every text node and accessible-name attribute of ``html``, whitespace collapsed."""
    soup = soup or _soup(html)
    texts = {
        _collapse(text)
        for text in soup.find_all(string=True)
        if not isinstance(text, PreformattedString)
    }
    for element in soup.find_all(True):
        for attribute in _VISIBLE_ATTRIBUTES:
            if element.get(attribute):
                texts.add(_collapse(element[attribute]))
        if element.name == "input" and element.get("type") in _BUTTON_INPUTS:
            texts.add(_collapse(element.get("value", "")))
    return {text for text in texts if text}


def english_in_html(html: str) -> set[str]:
    """Texts of ``html`` that are an English source string, shown as they are."""
    return shown_texts(html) & english_source_strings()


# --- Dates, numbers and raw values -----------------------------------------------------------
RAW_VALUES = {"True", "False", "None"}
_DATE_PROBLEMS = (
    # ISO dates (2026-03-05) and US or English forms (Mar. 5, 2026 / 5 March 2026 / 3:05 p.m.)
    re.compile(r"(?<![\w/-])\d{4}-\d{2}-\d{2}(?![\w/-])"),
    re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b"),
    re.compile(r"\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\b"),
    re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|[AaPp][Mm]\b)"),
    # day or month without its leading zero, or a two-digit year (5/3/2026, 05/03/26)
    re.compile(r"(?<![\d/])(?:\d/\d{1,2}|\d{1,2}/\d)/\d{2,4}(?![\d/])"),
    re.compile(r"(?<![\d/])\d{2}/\d{2}/\d{2}(?![\d/])"),
    # a year grouped like a number (năm 2.026)
    re.compile(r"(?i)\bnăm\s+\d\.\d{3}\b|/\d\.\d{3}\b"),
)
_NUMBER_PROBLEMS = (
    # English grouping or decimal point: 1,234 / 12,345,678 / 0.75
    re.compile(r"(?<![\w.,/:-])[1-9]\d{0,2}(?:,\d{3})+(?![\w,])"),
    re.compile(r"(?<![\w.,/:-])\d+\.\d{1,2}(?![\w.])"),
    # five digits or more, ungrouped
    re.compile(r"(?<![\w.,/:#-])\d{5,}(?![\w.,/:-])"),
)
_DATA_SHAPES = re.compile(
    r"^(?:https?://\S+|/\S*|\S+@\S+\.\w+|[\w.-]+\.(?:jpe?g|png|gif|webp|svg|pdf|docx?|xlsx?|csv"
    r"|json|txt|mp4)|[A-Z]{1,3}\d?[+-]?\d*|[A-Za-z]+(?:/[A-Za-z_+-]+)+)$"
)


@lru_cache(maxsize=1)
def _names_that_stay() -> frozenset[str]:
    """Language names (each written in its own language, as the language picker shows them)
    and time zone names (the account's time zone list) are names, not English."""
    import zoneinfo

    from django.conf import settings

    names = {name for _code, name in settings.LANGUAGES}
    names |= {name for _code, name in getattr(settings, "WAGTAILADMIN_PERMITTED_LANGUAGES", [])}
    return frozenset(names | zoneinfo.available_timezones() | {"localtime"})


@lru_cache(maxsize=1)
def _name_words() -> frozenset[str]:
    """Words of the language names ("English"), which a sentence may name."""
    from django.conf import settings

    return frozenset(word for _code, name in settings.LANGUAGES for word in _WORDS.findall(name))


# Rows written by Django and Wagtail for themselves (permission names, content types, log
# entry action codes, search index rows): not what staff typed, so not "data" shown as typed.
_NOT_STAFF_DATA = (
    "auth.Permission",
    "contenttypes.ContentType",
    "sessions.Session",
    "wagtailcore.ModelLogEntry",
    "wagtailcore.PageLogEntry",
    "wagtailcore.ReferenceIndex",
    "wagtailsearch.",
    "axes.",
    "django_tasks",
)


def stored_texts() -> frozenset[str]:
    """Every short text value staff (or the test fixture) stored: titles, names, addresses,
    file names. Shown as typed, they are data, not interface."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db import models
    from wagtail.admin.utils import get_user_display_name

    kinds = (models.CharField, models.TextField, models.FileField)
    texts: set[str] = set()
    for model in apps.get_models():
        if model._meta.label.startswith(_NOT_STAFF_DATA) or model._meta.proxy:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, kinds)]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields)[:5000]:
            for value in row:
                if value and len(value) < 300:
                    text = _collapse(value)
                    texts.update({text, text.rsplit("/", 1)[-1]})
    for user in get_user_model().objects.all():
        texts.update({user.get_full_name(), str(user), str(get_user_display_name(user))})
    return frozenset(_collapse(text) for text in texts if text.strip())


class ScreenReader:
    """Reads a back-office page as an officer does and reports what is not proper
    Vietnamese: English, raw True/False/None, codes (content types, language codes), dates
    not in dd/mm/yyyy form and numbers not grouped the Vietnamese way (1.234,5).

    ``data``: texts stored in the database (``stored_texts()``); what staff typed is shown as
    typed, in whatever language they typed it."""

    def __init__(self, data: frozenset[str] = frozenset()):
        from django.conf import settings
        from django.contrib.contenttypes.models import ContentType

        self.data = data
        self.data_words = {word for text in data for word in _WORDS.findall(text)}
        self.codes = {f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}
        self.codes |= {code for code, _name in settings.LANGUAGES}

    def problems(self, html: str) -> set[str]:
        soup = _soup(html)
        found = set()
        # an example of what to type (a one-time code "123456") is not a number to group
        examples = {_collapse(e["placeholder"]) for e in soup.find_all(placeholder=True)}
        for text in shown_texts(html, soup=soup):
            if text in self.codes:  # a code stored in a row (a language code) is still a code
                found.add(f"code: {text!r}")
                continue
            if text in self.data or text in UNTRANSLATABLE or text in _names_that_stay():
                continue
            if text in examples and text.isdigit():
                continue
            if not _DATA_SHAPES.match(text):
                found.update(self._text_problems(text))
        for element in soup.find_all("input"):
            value = _collapse(element.get("value", ""))
            if element.get("type") in _TEXT_INPUTS and value and value not in self.data:
                found.update(p for p in _format_problems(value) if p.startswith("date"))
        return found

    def _text_problems(self, text: str) -> set[str]:
        found = _format_problems(text)
        raw = [w for w in _WORDS.findall(text) if w in RAW_VALUES and w not in self.data_words]
        if raw:
            found.add(f"raw value: {text[:80]!r}")
        elif text in english_source_strings() and not self._loanwords_only(text):
            found.add(f"English: {text!r}")
        else:
            words_of = _CODED.sub(" ", text)
            if _VIETNAMESE.search(_GLOSSES.sub(" ", words_of)):
                words_of = _GLOSSES.sub(" ", words_of)  # "Thẻ tiêu đề (title)": a gloss
            english = [
                word
                for word in _WORDS.findall(words_of)
                if word.lower() in english_only_words()
                and word not in self.data_words
                and word not in _name_words()
                and not (word.isupper() and len(word) <= 5)  # STT, UBND, RSS: acronyms
            ]
            if english:
                found.add(f"English: {text[:80]!r}")
        return found

    @staticmethod
    def _loanwords_only(text: str) -> bool:
        return all(word.lower() in LOANWORDS for word in _WORDS.findall(text))


def _format_problems(text: str) -> set[str]:
    found = set()
    for pattern in _DATE_PROBLEMS:
        found.update(f"date: {m.group(0)!r} in {text[:80]!r}" for m in pattern.finditer(text))
    for pattern in _NUMBER_PROBLEMS:
        found.update(f"number: {m.group(0)!r} in {text[:80]!r}" for m in pattern.finditer(text))
    return found


def url_pattern(url: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(url).path)


def menu_links(soup) -> list[str]:
    """The addresses of the sidebar's menu (Wagtail renders it from JSON, not from links) and
    of the choosers and dialogs an editing form opens (page, image, privacy)."""
    links = [
        element[attribute]
        for attribute in ("data-chooser-url", "data-url")
        for element in soup.find_all(attrs={attribute: True})
    ]
    props = soup.find("script", id="wagtail-sidebar-props")
    if props is not None:
        links += re.findall(r'"url": "(/[^"]*)"', props.get_text())
    return links


def _page_html(response) -> str | None:
    """The HTML a response shows: a page, or a dialog's HTML inside Wagtail's JSON answer."""
    content_type = response.get("Content-Type", "")
    if response.status_code != 200:
        return None
    if "html" in content_type:
        return response.content.decode()
    if "json" in content_type:
        try:
            html = json.loads(response.content).get("html")
        except (ValueError, AttributeError):
            return None
        return html if isinstance(html, str) else None
    return None


def crawl_admin(
    client,
    missed: MissedStrings,
    *,
    start: list[str],
    limit: int = 90,
    follow_menu: bool = False,
    on_page=None,
):
    """Breadth-first over admin links, one URL per pattern; returns (visited, errors).

    ``follow_menu`` also follows the sidebar's menu items and the choosers and dialogs of the
    forms (read from their JSON answers); ``on_page(url, html)`` is called with every page
    or dialog the crawl reads."""
    queue, seen_patterns, visited, errors = deque(start), set(), [], []
    while queue and len(visited) < limit:
        url = queue.popleft()
        pattern = url_pattern(url)
        if pattern in seen_patterns or SKIP.search(url):
            continue
        seen_patterns.add(pattern)
        missed.current_url = url
        response = client.get(url)
        visited.append(url)
        if response.status_code >= 500:
            errors.append((url, response.status_code))
        html = _page_html(response)
        if html is None or ("html" not in response.get("Content-Type", "") and not follow_menu):
            continue
        if on_page is not None:
            on_page(url, html)
        soup = BeautifulSoup(html, "lxml")
        links = [link["href"] for link in soup.find_all("a", href=True)]
        if follow_menu:
            links += menu_links(soup)
        for href in links:
            href = href.split("#")[0]
            if href.startswith(ADMIN) and url_pattern(href) not in seen_patterns:
                queue.append(href)
    return visited, errors
