"""Search-result snippets: a short window of the original text around the first match.

Matching is done on the folded text (so "lao cai" finds "Lào Cai" and "LÀO CAI"), and every
match is mapped back to the characters of the original text, which is what is shown. The
result is a list of ``(text, is_match)`` segments; the caller escapes the text and wraps the
matches (``<mark>`` in the portal's template), so no HTML is built here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import lru_cache

from .vietnamese import _SPACELESS, exact_token, fold, fold_with_offsets, token_spans

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

    Words of the Latin script (what Vietnamese queries are made of) are looked for in the
    text as written, with a regular expression that accepts every spelling of each letter
    ("o" as o, ò, ó, ô, ồ, ơ, Ơ…): no folded copy of a long body is made. Other words (a
    Chinese or Lao run's bigrams), or a text with a character that folds to several letters
    (ß → ss), are matched token by token on the folded text (``_token_matches``).
    """
    wanted = set(terms)
    sequences = [tuple(phrase) for phrase in phrases if phrase]
    if not text or not (wanted or sequences):
        return []
    looked_for = [(word,) for word in wanted] + sequences
    if all(_ASCII_WORD.fullmatch(w) for words in looked_for for w in words) and not (
        _EXPANDING.search(text)
    ):
        found = _text_matches(text, looked_for, exact, window)
        offsets = None
    else:
        folded, offsets = fold_with_offsets(text)
        # Nothing to find when no word looked for occurs even as part of a longer one.
        if not any(w in folded for w in wanted) and not any(p[0] in folded for p in sequences):
            return []

        def spelled(token: str, start: int, end: int) -> bool:
            """The token at folded ``start:end`` is spelled as ``exact`` asks (or need
            not be)."""
            accepted = exact.get(token) if exact else None
            if accepted is None:
                return True
            if offsets is not None:
                start, end = offsets[start], offsets[end - 1] + 1
            return exact_token(text[start : _extend_marks(text, end)]) in accepted

        found = _token_matches(folded, wanted, sequences, spelled, window)
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


# --- words of the Latin script, found in the text as written -------------------------------
# A token is a maximal run of word characters outside the spaceless scripts (combining
# marks belong to the letter before them); two tokens of a phrase follow each other when
# only other characters stand between them: the tokens ``token_spans`` reads once folded.
_MARK = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff"
_WORD_CHAR = f"[^\\W_{_SPACELESS}]"
_NOT_AFTER_WORD = f"(?<!{_WORD_CHAR})(?<![{_MARK}])"
_NOT_BEFORE_WORD = f"(?![{_MARK}])(?!{_WORD_CHAR})"
_GAP = f"(?:[^\\w{_SPACELESS}{_MARK}]|_)+"
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_TEXT_TOKEN = re.compile(f"{_WORD_CHAR}[{_MARK}]*(?:{_WORD_CHAR}[{_MARK}]*)*")


def _spellings() -> tuple[dict[str, str], re.Pattern]:
    """For each lower-case ASCII letter and digit, a character class of every character
    that folds to it (``fold``: case, diacritics, đ); and the characters that fold to
    several characters, for which the token-by-token path is kept."""
    classes: dict[str, list[str]] = {}
    expanding = []
    for code in range(0x3000):
        char = chr(code)
        if unicodedata.category(char).startswith(("L", "N")):
            folded = fold(char)
            if len(folded) == 1 and folded.isascii() and folded.isalnum():
                classes.setdefault(folded, []).append(char)
            elif len(folded) > 1:
                expanding.append(char)
    return (
        {key: "[" + re.escape("".join(chars)) + "]" for key, chars in classes.items()},
        re.compile("[" + re.escape("".join(expanding)) + "]"),
    )


_CLASSES, _EXPANDING = _spellings()


@lru_cache(maxsize=512)
def _text_pattern(words: tuple[str, ...]) -> re.Pattern:
    """A folded word, or run of words, as it may be written: every spelling of each letter,
    marks left uncomposed, whole tokens only."""
    letters = [[_CLASSES.get(char, re.escape(char)) for char in word] for word in words]
    spelled = [f"[{_MARK}]*".join(word) + f"[{_MARK}]*" for word in letters]
    # The first letter first (the regular expression engine then skips ahead to where it
    # can start), then that it starts a token: a lookbehind over it.
    first = letters[0][0]
    body = _GAP.join(spelled)
    return re.compile(f"{first}(?<={_NOT_AFTER_WORD}.)" + body[len(first) :] + _NOT_BEFORE_WORD)


def _text_matches(text, looked_for, exact, window) -> list[tuple[int, int]]:
    """Spans of ``text`` holding the folded words (or runs of words) ``looked_for``, spelled
    as ``exact`` says when it names them; none starting more than ``window`` characters
    after the first."""

    def matches(words, position=0):
        pattern = _text_pattern(words)
        while (match := pattern.search(text, position)) is not None:
            position = match.start() + 1  # runs may overlap ("a b a b": "a b a" twice)
            if exact and any(word in exact for word in words):
                tokens = _TEXT_TOKEN.findall(match.group())
                if not all(
                    exact_token(token) in exact[word]
                    for word, token in zip(words, tokens, strict=True)
                    if word in exact
                ):
                    continue
            yield match.span()

    streams = [matches(words) for words in looked_for]
    firsts = [next(stream, None) for stream in streams]
    if all(span is None for span in firsts):
        return []
    last = None if window is None else min(s[0] for s in firsts if s is not None) + window
    found = []
    for span, stream in zip(firsts, streams, strict=True):
        while span is not None and (last is None or span[0] <= last):
            found.append(span)
            span = next(stream, None)
    return found


def _token_matches(folded, wanted, sequences, spelled, window) -> list[tuple[int, int]]:
    """Token by token (``token_spans``): for Chinese, Lao… bigrams."""
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
    return found


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
