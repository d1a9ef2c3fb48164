"""What the visitor typed, turned into search-backend queries.

The query string is never handed to a search engine as syntax: it is cut into words (letters
and digits only), so FTS operators (``NEAR(``, ``*``, ``AND``/``OR``, unbalanced quotes) and
SQL fragments are plain words or nothing. Double quotes (straight or typographic) mark
phrases. Each word gives a *folded* token (``lao``) and an *exact-form* token (``lao2``, see
``doingoai.text.vietnamese``): the folded query finds every spelling; the exact query — built
only when the visitor typed diacritics — finds the pages spelled as typed, which rank first.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from modelsearch.query import And, Not, Phrase, PlainText, SearchQuery

from doingoai.text import vietnamese

MAX_QUERY_LENGTH = 200  # characters kept from what was typed
MAX_TOKENS = 12  # words (or CJK/Lao bigrams) searched for
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})


@dataclass(frozen=True)
class Part:
    """Tokens searched together: a phrase (in this order), or words (in any order)."""

    folded: tuple[str, ...]
    exact: tuple[str, ...]
    is_phrase: bool


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # what was typed, cleaned (whitespace collapsed, cut to MAX_QUERY_LENGTH)
    parts: tuple[Part, ...] = ()
    words: tuple[str, ...] = ()  # the words kept, as typed and in order
    quoted: bool = False  # the visitor used phrase quotes
    has_diacritics: bool = False
    truncated: bool = False  # the query was cut: too long, or too many words

    @property
    def is_empty(self) -> bool:
        return not self.parts

    @property
    def highlight_terms(self) -> frozenset[str]:
        """Folded words to mark wherever they occur (the unquoted words)."""
        return frozenset(
            token for part in self.parts if not part.is_phrase for token in part.folded
        )

    @property
    def highlight_phrases(self) -> tuple[tuple[str, ...], ...]:
        """Folded token runs to mark only where they occur together (the phrases)."""
        return tuple(part.folded for part in self.parts if part.is_phrase)

    @property
    def together(self) -> tuple[str, ...] | None:
        """The unquoted words as one phrase (folded, in the order typed), when there are
        several: results where they stand together, in this order, are listed first (the
        backend reads the same phrase from the query, see ``backends.adjacent``)."""
        plain = [part for part in self.parts if not part.is_phrase]
        if plain and len(plain[0].folded) > 1:
            return plain[0].folded
        return None

    @property
    def together_phrases(self) -> tuple[tuple[str, ...], ...]:
        """What to mark in a result whose words stand together: the unquoted words as one
        phrase, and the quoted phrases (never a word on its own, elsewhere)."""
        together = self.together
        return ((together,) if together else ()) + self.highlight_phrases

    @property
    def exact_forms(self) -> dict[str, frozenset[str]]:
        """Folded token → the exact-form tokens typed for it (``cua`` → ``{cua37}`` for
        "cửa"): what a result spelled as typed marks, rather than every spelling."""
        forms: dict[str, set[str]] = {}
        for part in self.parts:
            for folded, exact in zip(part.folded, part.exact, strict=True):
                if exact != folded:  # numbers and Chinese/Lao bigrams have one spelling
                    forms.setdefault(folded, set()).add(exact)
        return {folded: frozenset(exact) for folded, exact in forms.items()}

    def folded_query(self) -> SearchQuery | None:
        return _combine([_part_query(part.folded, part.is_phrase) for part in self.parts])

    def exact_query(self) -> SearchQuery | None:
        """Pages spelled as typed; ``None`` when the visitor typed no diacritics."""
        if not self.has_diacritics:
            return None
        return _combine([_part_query(part.exact, part.is_phrase) for part in self.parts])

    def tiers(self) -> list[SearchQuery]:
        """Queries whose results are listed one after the other: the exact matches, then
        the other (folded) matches — or just the folded matches."""
        folded = self.folded_query()
        if folded is None:
            return []
        exact = self.exact_query()
        if exact is None:
            return [folded]
        return [exact, And([folded, Not(exact)])]


def _part_query(tokens: tuple[str, ...], is_phrase: bool) -> SearchQuery:
    if is_phrase and len(tokens) > 1:
        return Phrase(" ".join(tokens))
    return PlainText(" ".join(tokens), operator="and")


def _combine(queries: list[SearchQuery]) -> SearchQuery | None:
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else And(queries)


def parse_query(raw: str | None) -> ParsedQuery:
    """Parse what was typed into the search box. Never raises."""
    text = " ".join((raw or "").split())
    truncated = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH]
    normal = unicodedata.normalize("NFC", text).translate(_QUOTES)
    segments = normal.split('"')
    if len(segments) % 2 == 0:  # an unbalanced quote: what follows it is plain words
        segments[-2:] = [f"{segments[-2]} {segments[-1]}"]
    parts: list[Part] = []
    plain: dict[tuple[str, str], None] = {}  # (folded, exact) of unquoted words, in order
    typed: list[str] = []
    budget = MAX_TOKENS
    for index, segment in enumerate(segments):
        kept = []
        for word, folded, exact in vietnamese.words(segment):
            if len(word) > vietnamese.MAX_TOKEN_LENGTH or len(folded) > budget:
                truncated = True
                continue
            budget -= len(folded)
            kept.append((word, folded, exact))
        typed.extend(word for word, _folded, _exact in kept)
        if index % 2 == 1:  # a quoted phrase
            folded = tuple(token for _word, tokens, _exact in kept for token in tokens)
            exact = tuple(token for _word, _folded, tokens in kept for token in tokens)
            if len(folded) > 1:
                parts.append(Part(folded=folded, exact=exact, is_phrase=True))
            elif folded:
                plain[(folded[0], exact[0])] = None
            continue
        for _word, folded, exact in kept:
            if len(folded) > 1:  # a Chinese or Lao run: the phrase of its bigrams
                parts.append(Part(folded=folded, exact=exact, is_phrase=True))
            else:
                plain[(folded[0], exact[0])] = None
    if plain:
        parts.insert(
            0,
            Part(
                folded=tuple(folded for folded, _exact in plain),
                exact=tuple(exact for _folded, exact in plain),
                is_phrase=False,
            ),
        )
    return ParsedQuery(
        text=text,
        parts=tuple(parts),
        words=tuple(typed),
        quoted=len(segments) > 1,
        has_diacritics=vietnamese.has_diacritics(normal),
        truncated=truncated,
    )
