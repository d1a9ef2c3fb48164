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
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, compress
from typing import Any

from doingoai.text.vietnamese import _COMBINING_RE, _EXACT_TOKEN_RE, _bigrams

from .folding import exact_text, has_diacritics, tokenize

__all__ = [
    "TERM_END",
    "Analysed",
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

    @property
    def exact(self) -> list[tuple[str, bool]] | None:
        """Per word: ``(exact-form token, has diacritics)``, or ``None`` (see module doc)."""
        if not self._exact_done:
            self._exact_done = True
            per_token = list(map(_token_exact, self.raw))
            if _UNSAFE not in per_token:
                self._exact = list(chain.from_iterable(per_token))
        return self._exact


def analyse(text: str) -> Analysed:
    """Fold and tokenise ``text`` once (see the module doc)."""
    raw = text.split() if text else []
    tokens = list(map(_token, raw))
    words = list(chain.from_iterable(token_words for token_words, _hashes in tokens))
    return Analysed(raw=raw, tokens=tokens, words=words)


def normalised_words(text: str) -> list[str]:
    """The folded words of ``text`` (case, diacritics and punctuation removed)."""
    return analyse(text).words


TERM_END = None  # the key of a trie node's value: never a word


def term_trie(terms: dict[tuple[str, ...], Any]) -> dict:
    """``{words of a term: value}`` as a trie of words: each node maps the next word to the
    next node, and ``TERM_END`` to the value of the term ending there. A matcher walks it
    from a term's first word and stops at the first word no term continues with, instead
    of looking up a slice of the text for every possible term length."""
    root: dict = {}
    for words, value in terms.items():
        node = root
        for word in words:
            node = node.setdefault(word, {})
        node[TERM_END] = value
    return root


def trie_matches(trie: dict, words: Sequence[str], position: int) -> list[tuple[int, Any]]:
    """The terms of ``trie`` starting at ``words[position]``: ``(word count, value)``,
    longest first."""
    found = []
    node = trie.get(words[position])
    end, count = position, len(words)
    while node is not None:
        end += 1
        value = node.get(TERM_END)
        if value is not None:
            found.append((end - position, value))
        node = node.get(words[end]) if end < count else None
    found.reverse()
    return found


def term_starts(words: Sequence[str], trie: dict) -> list[int]:
    """The positions of ``words`` whose word starts a term of ``trie``, found without a
    Python step per word: most words of a text start no term."""
    return list(compress(range(len(words)), map(trie.__contains__, words)))
