"""The staff guide: docs/guide/huong-dan.md rendered for the back office.

The guide is written once, in Markdown, where it reads on the repository; the back office
shows the same file. Only the small part of Markdown the guide uses is understood, and every
piece of text is escaped: headings (``#`` to ``###``), paragraphs, ``-`` and ``1.`` lists,
``>`` notes, simple ``|`` tables, pictures on a line of their own
(``![alt text](anh/file.png "caption")``) and, inside text, ``**bold**``, ``*italic*``,
```code``` and ``[links](https://…)``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.text import slugify

from doingoai.text.vietnamese import fold

GUIDE_DIR = Path(settings.BASE_DIR) / "docs" / "guide"
GUIDE_FILE = GUIDE_DIR / "huong-dan.md"
IMAGE_DIR = GUIDE_DIR / "anh"
IMAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.png$")

_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*$")
_IMAGE = re.compile(r'^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?:\s+"(?P<title>[^"]*)")?\)$')
_BULLET = re.compile(r"^[-*]\s+(.*)$")
_NUMBER = re.compile(r"^(\d+)\.\s+(.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_SAFE_URL = re.compile(r"^(https?://|mailto:|/|#)", re.I)


@dataclass
class Guide:
    title: str
    html: str
    contents: list[tuple[str, str]] = field(default_factory=list)  # (anchor, heading) of h2


def _inline(text: str) -> str:
    """Escape ``text`` and apply bold, italic, code and links."""
    codes: list[str] = []

    def keep_code(match: re.Match) -> str:
        codes.append(f"<code>{html.escape(match.group(1))}</code>")
        return f"\x00{len(codes) - 1}\x00"

    text = re.sub(r"`([^`]+)`", keep_code, text)
    text = html.escape(text, quote=False)

    def link(match: re.Match) -> str:
        label, url = match.group(1), html.unescape(match.group(2))
        if not _SAFE_URL.match(url):
            return label
        external = url.lower().startswith("http")
        attrs = ' target="_blank" rel="noreferrer"' if external else ""
        return f'<a href="{html.escape(url)}"{attrs}>{label}</a>'

    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", link, text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", text)
    return re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], text)


def anchor_for(heading: str, taken: set[str]) -> str:
    base = slugify(fold(heading)) or "muc"
    anchor, number = base, 2
    while anchor in taken:
        anchor, number = f"{base}-{number}", number + 1
    taken.add(anchor)
    return anchor


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def render(markdown: str, image_url: Callable[[str], str | None]) -> Guide:
    """HTML of ``markdown``; ``image_url`` maps a picture's path to its URL (None: dropped)."""
    out: list[str] = []
    title = ""
    contents: list[tuple[str, str]] = []
    taken: set[str] = set()
    lines = markdown.replace("\r\n", "\n").split("\n")
    paragraph: list[str] = []
    list_kind: str | None = None
    list_start = 1
    items: list[list[str]] = []
    quote: list[str] = []

    def flush_paragraph() -> None:
        if paragraph:
            out.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    def flush_list() -> None:
        nonlocal list_kind, list_start
        if list_kind:
            rendered = "".join(f"<li>{_inline(' '.join(item))}</li>" for item in items)
            start = f' start="{list_start}"' if list_kind == "ol" and list_start != 1 else ""
            out.append(f"<{list_kind}{start}>{rendered}</{list_kind}>")
            items.clear()
            list_kind = None

    def flush_quote() -> None:
        if quote:
            paragraphs = " ".join(quote).split("\x01")
            body = "".join(f"<p>{_inline(p.strip())}</p>" for p in paragraphs if p.strip())
            out.append(f'<aside class="guide-note">{body}</aside>')
            quote.clear()

    def flush() -> None:
        flush_paragraph()
        flush_list()
        flush_quote()

    index = 0
    while index < len(lines):
        raw = lines[index]
        line = raw.strip()
        index += 1
        if not line:
            # a list goes on after a blank line; whatever else follows ends it
            flush_paragraph()
            flush_quote()
            continue
        if heading := _HEADING.match(line):
            flush()
            level, text = len(heading.group(1)), heading.group(2)
            if level == 1 and not title:
                title = text
                continue
            anchor = anchor_for(text, taken)
            if level == 2:
                contents.append((anchor, text))
            out.append(f'<h{level} id="{anchor}">{_inline(text)}</h{level}>')
            continue
        if image := _IMAGE.match(line):
            flush()
            url = image_url(image.group("src"))
            if url:
                alt = html.escape(image.group("alt"))
                caption = image.group("title") or ""
                figure = f'<figure class="guide-figure"><img src="{html.escape(url)}" alt="{alt}"'
                figure += ' loading="lazy">'
                if caption:
                    figure += f"<figcaption>{_inline(caption)}</figcaption>"
                out.append(figure + "</figure>")
            continue
        if line.startswith(">"):
            flush_paragraph()
            flush_list()
            text = line[1:].strip()
            quote.append(text if text else "\x01")
            continue
        if line.startswith("|") and index < len(lines) and _TABLE_RULE.match(lines[index].strip()):
            flush()
            header = _cells(line)
            index += 1
            rows = []
            while index < len(lines) and lines[index].strip().startswith("|"):
                rows.append(_cells(lines[index]))
                index += 1
            head = "".join(f'<th scope="col">{_inline(cell)}</th>' for cell in header)
            body = "".join(
                "<tr>" + "".join(f"<td>{_inline(cell)}</td>" for cell in row) + "</tr>"
                for row in rows
            )
            out.append(
                f'<table class="listing guide-table"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>"
            )
            continue
        bullet, number = _BULLET.match(line), _NUMBER.match(line)
        if bullet or number:
            kind = "ul" if bullet else "ol"
            flush_paragraph()
            flush_quote()
            if list_kind != kind:
                flush_list()
                list_kind = kind
                list_start = int(number.group(1)) if number else 1
            items.append([bullet.group(1) if bullet else number.group(2)])
            continue
        if list_kind and raw.startswith(("  ", "\t")) and items:
            items[-1].append(line)
            continue
        flush_list()
        flush_quote()
        paragraph.append(line)
    flush()
    return Guide(title=title, html="\n".join(out), contents=contents)


def load_guide(image_url: Callable[[str], str | None]) -> Guide:
    return render(GUIDE_FILE.read_text(encoding="utf-8"), image_url)
