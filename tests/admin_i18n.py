"""Find back-office strings shown without a Vietnamese translation.

While pages render, every gettext lookup made with Vietnamese active is checked against the
merged catalogue; a msgid with no Vietnamese entry is recorded with the URL that showed it.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from django.utils import translation
from django.utils.translation import trans_real

ADMIN = "/quan-tri/"
SKIP = re.compile(
    r"/(logout|delete|unpublish|lock|unlock|copy|move|convert_alias|"
    r"disable|enable|revisions/\d+/revert|workflow/cancel|preview)/|"
    r"\.(csv|xlsx|json)$|/jsi18n|/export",
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


class MissedStrings:
    def __init__(self) -> None:
        self.where: dict[str, set[str]] = defaultdict(set)
        self.current_url = ""

    def check(self, key, shown: str) -> None:
        if translation.get_language() != "vi" or not _LETTERS.search(shown):
            return
        if shown.strip() in UNTRANSLATABLE:
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
# English in an attribute: no gettext call sees them, so the rendered HTML itself is read too.
# Any visible text or accessible name equal to an English source string of Django's,
# Wagtail's or our own catalogues is reported.
_VISIBLE_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
_BUTTON_INPUTS = {"submit", "button", "reset"}


@lru_cache(maxsize=1)
def english_source_strings() -> frozenset[str]:
    import django
    import polib
    import wagtail

    roots = [Path(django.__file__).parent, Path(wagtail.__file__).parent]
    catalogues = [
        path for root in roots for path in root.glob("**/locale/en/LC_MESSAGES/django.po")
    ]
    project = Path(__file__).resolve().parent.parent / "doingoai"
    catalogues += list(project.glob("**/locale/vi/LC_MESSAGES/django.po"))
    strings = set()
    for path in catalogues:
        for entry in polib.pofile(str(path)):
            for text in (entry.msgid, entry.msgid_plural):
                if text and _LETTERS.search(text) and "%" not in text and "{" not in text:
                    strings.add(" ".join(text.split()))
    return frozenset(strings - UNTRANSLATABLE)


def shown_texts(html: str) -> set[str]:
    """Every text node and accessible-name attribute of ``html``, whitespace collapsed."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup(["script", "style"]):
        element.decompose()
    texts = {" ".join(text.split()) for text in soup.find_all(string=True)}
    for element in soup.find_all(True):
        for attribute in _VISIBLE_ATTRIBUTES:
            if element.get(attribute):
                texts.add(" ".join(str(element[attribute]).split()))
        if element.name == "input" and element.get("type") in _BUTTON_INPUTS:
            texts.add(" ".join(str(element.get("value", "")).split()))
    return {text for text in texts if text}


def english_in_html(html: str) -> set[str]:
    """Texts of ``html`` that are an English source string, shown as they are."""
    return shown_texts(html) & english_source_strings()


def url_pattern(url: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(url).path)


def crawl_admin(client, missed: MissedStrings, *, start: list[str], limit: int = 90):
    """Breadth-first over admin links, one URL per pattern; returns (visited, errors)."""
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
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in BeautifulSoup(response.content, "html.parser").find_all("a", href=True):
            href = link["href"].split("#")[0]
            if href.startswith(ADMIN) and url_pattern(href) not in seen_patterns:
                queue.append(href)
    return visited, errors
