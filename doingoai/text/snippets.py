"""Search-result snippets: a short window of the original text around the first match.

Matching is done on the folded text (so "lao cai" finds "Lào Cai" and "LÀO CAI"), and every
match is mapped back to the characters of the original text, which is what is shown. The
result is a list of ``(text, is_match)`` segments; the caller escapes the text and wraps the
matches (``<mark>`` in the portal's template), so no HTML is built here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence

from .vietnamese import exact_token, fold_with_offsets, token_spans

ELLIPSIS = "…"


def find_matches(
    text: str,
    terms: Iterable[str],
    phrases: Iterable[Sequence[str]] = (),
    *,
    window: int | None = None,
    exact: Mapping[str, Collection[str]] | None = None,
) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` in ``text`` of the tokens equal to one of the folded ``terms``,
    and of the runs of consecutive tokens equal to one of the folded ``phrases``.

    Overlapping spans (bigrams of a spaceless script), and matches separated only by spaces,
    are merged into one. With ``window``, matches starting more than ``window`` characters
    after the first one are not looked for (a snippet shows no more than that). With
    ``exact`` (folded token → its accepted exact-form tokens, ``{"cua": {"cua37"}}``), a
    word it names matches only when spelled so: "cửa" and not "của".
    """
    wanted = set(terms)
    sequences = [tuple(phrase) for phrase in phrases if phrase]
    if not text or not (wanted or sequences):
        return []
    folded, offsets = fold_with_offsets(text)
    # Nothing to find when no word looked for occurs even as part of a longer one.
    if not any(w in folded for w in wanted) and not any(p[0] in folded for p in sequences):
        return []

    def spelled(token: str, start: int, end: int) -> bool:
        """The token at folded ``start:end`` is spelled as ``exact`` asks (or need not be)."""
        accepted = exact.get(token) if exact else None
        if accepted is None:
            return True
        if offsets is not None:
            start, end = offsets[start], offsets[end - 1] + 1
        return exact_token(text[start : _extend_marks(text, end)]) in accepted

    longest = max((len(p) for p in sequences), default=1)
    tokens: list[tuple[str, int, int]] = []
    stream = token_spans(folded)
    found: list[tuple[int, int]] = []
    index = 0
    while True:
        # Read tokens lazily: far enough ahead for the longest phrase.
        while len(tokens) < index + longest:
            following = next(stream, None)
            if following is None:
                break
            tokens.append(following)
        if index >= len(tokens):
            break
        token, start, end = tokens[index]
        if window is not None and found and start > found[0][0] + window:
            break
        if token in wanted and spelled(token, start, end):
            found.append((start, end))
        for phrase in sequences:
            run = tokens[index : index + len(phrase)]
            if (
                token == phrase[0]
                and tuple(t[0] for t in run) == phrase
                and all(spelled(*t) for t in run)
            ):
                found.append((start, run[-1][2]))
        index += 1
    spans: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if offsets is not None:
            start, end = offsets[start], offsets[end - 1] + 1
        # A character the fold dropped (a combining mark) still belongs to its word.
        end = _extend_marks(text, end)
        if spans and (start <= spans[-1][1] or text[spans[-1][1] : start].isspace()):
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _extend_marks(text: str, end: int) -> int:
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return end


def _cut_left(text: str, position: int) -> int:
    """A word boundary at or before ``position``."""
    if position <= 0:
        return 0
    space = text.rfind(" ", 0, position + 1)
    return 0 if space < 0 else space + 1


def _cut_right(text: str, position: int) -> int:
    """A word boundary at or after ``position``."""
    if position >= len(text):
        return len(text)
    space = text.find(" ", position)
    return len(text) if space < 0 else space


def snippet(
    text: str,
    terms: Iterable[str],
    phrases: Iterable[Sequence[str]] = (),
    *,
    length: int = 240,
    before: int = 60,
    exact: Mapping[str, Collection[str]] | None = None,
) -> list[tuple[str, bool]]:
    """About ``length`` characters of ``text`` around its first match, as segments
    (``exact``: see ``find_matches``).

    Returns ``[]`` when nothing in ``text`` matches; the text is NFC-normalised first, so
    decomposed input is shown composed.
    """
    text = unicodedata.normalize("NFC", " ".join((text or "").split()))
    spans = find_matches(text, terms, phrases, window=before + length + 80, exact=exact)
    if not spans:
        return []
    first = spans[0][0]
    start = _cut_left(text, max(0, first - before))
    # Never cut through the first match, even if a long word has no space near it.
    start = min(start, first)
    end = _cut_right(text, max(start + length, spans[0][1]))
    if end - start > length + 40:  # one very long "word" (no spaces): cut it hard
        end = max(spans[0][1], start + length)
    segments: list[tuple[str, bool]] = []
    if start > 0:
        segments.append((ELLIPSIS, False))
    position = start
    for span_start, span_end in spans:
        if span_start >= end:
            break
        span_end = min(span_end, end)
        if span_start > position:
            segments.append((text[position:span_start], False))
        segments.append((text[max(span_start, position) : span_end], True))
        position = span_end
    if position < end:
        segments.append((text[position:end], False))
    if end < len(text):
        segments.append((ELLIPSIS, False))
    return segments


def leading(text: str, *, length: int = 240) -> list[tuple[str, bool]]:
    """The start of ``text`` (no highlight), cut at a word boundary."""
    text = unicodedata.normalize("NFC", " ".join((text or "").split()))
    if len(text) <= length:
        return [(text, False)] if text else []
    end = _cut_right(text, length)
    if end - length > 40:
        end = length
    return [(text[:end], False), (ELLIPSIS, False)]
