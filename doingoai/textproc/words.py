"""A text folded and tokenised once, shared by dedupe, the gazetteer and the lexicon.

``analyse(text)`` splits the text on whitespace and gives each whitespace-separated token its
folded words and their CRC-32s (cached per distinct token: texts repeat their tokens, so this
is several times faster than folding and scanning the whole text). The words are exactly
``doingoai.text.vietnamese.tokenize(text)`` (``tests/monitoring/test_textproc_dedupe.py``).

The pipeline analyses each title and text once and passes the result to the MinHash signature
(``dedupe.words_and_signature``), the relevance score (``Gazetteer.score``) and the lexicon
(``Lexicon.classify``), instead of each of them folding and tokenising the text again.

``Analysed.exact`` gives, per word, its exact-form token and whether it carries diacritics
(what the gazetteer compares when a folded match could be another word, "Bắc Hà" / "bạc hà"),
computed per whitespace token and cached too; it is ``None`` for the rare text where a word's
exact form cannot be told from its own token (a combining mark left over after NFC, e.g. a
stray accent after punctuation), and the gazetteer then reads that text the slow way.
"""

from __future__ import annotations

import unicodedata
import zlib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain, compress, pairwise
from operator import itemgetter, or_
from typing import Any

from doingoai.text.vietnamese import _COMBINING_RE, _EXACT_TOKEN_RE, _bigrams

from .folding import exact_text, has_diacritics, tokenize

__all__ = [
    "TERM_END",
    "Analysed",
    "TermTrie",
    "analyse",
    "normalised_words",
    "term_starts",
    "term_trie",
    "trie_matches",
]


@lru_cache(maxsize=262_144)
def _token(token: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    # One whitespace-separated token ("Cai," "Lào") → its folded words and their CRC-32s.
    words = tuple(tokenize(unicodedata.normalize("NFC", token)))
    return words, tuple(zlib.crc32(word.encode()) for word in words)


_UNSAFE = None
_first = itemgetter(0)  # (words, hashes) of a token → its words


@lru_cache(maxsize=262_144)
def _token_exact(token: str) -> tuple[tuple[str, bool], ...] | None:
    """Per word of ``token``: its exact-form token and whether it has diacritics; ``None``
    when that cannot be told word by word (then the caller reads the text the slow way)."""
    composed = unicodedata.normalize("NFC", token)
    if _COMBINING_RE.search(composed) or any(map(unicodedata.combining, composed)):
        return _UNSAFE
    exact = exact_text(composed).split()
    if len(exact) != len(_token(token)[0]):
        return _UNSAFE
    if len(exact) == 1:
        return ((exact[0], has_diacritics(composed)),)
    # The words of the token as written (same pattern as exact_text), each checked alone.
    written = _written_words(composed)
    if len(written) != len(exact):
        return _UNSAFE
    return tuple(zip(exact, map(has_diacritics, written), strict=True))


def _written_words(composed: str) -> list[str]:
    out: list[str] = []
    lowered = composed.casefold()
    for match in _EXACT_TOKEN_RE.finditer(lowered):
        if match.lastgroup == "word":
            out.append(match.group())
        else:
            out.extend(_bigrams(match.group()))
    return out


@dataclass
class Analysed:
    """The whitespace tokens of a text with their folded words (see the module doc)."""

    raw: list[str]
    tokens: list[tuple[tuple[str, ...], tuple[int, ...]]]
    words: list[str] = field(default_factory=list)
    _exact: list[tuple[str, bool]] | None = field(default=None, repr=False)
    _exact_done: bool = field(default=False, repr=False)
    _ends: list[int] | None = field(default=None, repr=False)

    @property
    def exact(self) -> list[tuple[str, bool]] | None:
        """Per word: ``(exact-form token, has diacritics)``, or ``None`` (see module doc)."""
        if not self._exact_done:
            self._exact_done = True
            per_token = list(map(_token_exact, self.raw))
            if _UNSAFE not in per_token:
                self._exact = list(chain.from_iterable(per_token))
        return self._exact

    def exact_span(self, start: int, length: int) -> list[tuple[str, bool]] | None:
        """``exact[start:start + length]``, computed for those words only (a matcher needs
        the exact forms of the few words it matched, not of the whole text); ``None`` when
        one of them cannot be told word by word (see module doc)."""
        if self._exact_done:
            exact = self._exact
            return exact[start : start + length] if exact is not None else None
        ends = self._ends
        if ends is None:  # words before the end of each token, counted once
            ends = self._ends = list(accumulate(map(len, map(_first, self.tokens))))
        token = bisect_right(ends, start)
        skip = start - (ends[token - 1] if token else 0)
        found: list[tuple[str, bool]] = []
        while len(found) < skip + length:
            forms = _token_exact(self.raw[token])
            if forms is _UNSAFE:
                return None
            found.extend(forms)
            token += 1
        return found[skip : skip + length]


def analyse(text: str) -> Analysed:
    """Fold and tokenise ``text`` once (see the module doc)."""
    raw = text.split() if text else []
    tokens = list(map(_token, raw))
    words = list(chain.from_iterable(map(_first, tokens)))
    return Analysed(raw=raw, tokens=tokens, words=words)


def normalised_words(text: str) -> list[str]:
    """The folded words of ``text`` (case, diacritics and punctuation removed)."""
    return analyse(text).words


TERM_END = None  # the key of a trie node's value: never a word


@dataclass(frozen=True)
class TermTrie:
    """Terms (tuples of folded words) as a trie of words: each node of ``root`` maps the
    next word to the next node, and ``TERM_END`` to the value of the term ending there. A
    matcher walks it from a term's first word and stops at the first word no term continues
    with, instead of looking up a slice of the text for every possible term length.

    ``singles`` (one-word terms) and ``pairs`` (the first two words of longer terms) let
    ``term_starts`` find the positions where a term can start without a Python step per
    word: in Vietnamese most syllables begin *some* term ("cửa" → "cửa khẩu"), few begin
    one that is there."""

    root: dict
    singles: frozenset[str]
    pairs: frozenset[tuple[str, str]]


def term_trie(terms: dict[tuple[str, ...], Any]) -> TermTrie:
    """``{words of a term: value}`` as a ``TermTrie``."""
    root: dict = {}
    for words, value in terms.items():
        node = root
        for word in words:
            node = node.setdefault(word, {})
        node[TERM_END] = value
    singles = frozenset(words[0] for words in terms if len(words) == 1)
    pairs = frozenset((words[0], words[1]) for words in terms if len(words) > 1)
    return TermTrie(root, singles, pairs)


def trie_matches(trie: TermTrie, words: Sequence[str], position: int) -> list[tuple[int, Any]]:
    """The terms of ``trie`` starting at ``words[position]``: ``(word count, value)``,
    longest first."""
    found = []
    node = trie.root.get(words[position])
    end, count = position, len(words)
    while node is not None:
        end += 1
        value = node.get(TERM_END)
        if value is not None:
            found.append((end - position, value))
        node = node.get(words[end]) if end < count else None
    found.reverse()
    return found


def term_starts(words: Sequence[str], trie: TermTrie) -> list[int]:
    """The positions of ``words`` where a term of ``trie`` may start: the word is a
    one-word term, or it and the next word begin a longer one (see ``TermTrie``)."""
    if not words:
        return []
    single = map(trie.singles.__contains__, words)
    pair = chain(map(trie.pairs.__contains__, pairwise(words)), (False,))
    return list(compress(range(len(words)), map(or_, single, pair)))
