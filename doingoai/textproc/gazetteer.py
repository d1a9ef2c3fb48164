"""Relevance to the province: a gazetteer of place names and watch terms matched on text.

Terms and texts are compared word by word on folded text ("Lào Cai", "LAO CAI" and "Lao Cai"
typed without an input method all match "lào cai"), so a term only matches whole words:
"Sa Pa" matches "du lịch Sa Pa" but not "Sa Pả" … nor "sapa" unless "Sapa" is a term too.

Folding makes distinct words collide ("Bắc Hà", a district, and "bạc hà", mint, both fold to
"bac ha"), so when the text *does* carry diacritics on the matched words they must be the
term's diacritics (compared as exact-form tokens, so the two tone placements "hoà"/"hòa"
agree). Text typed without diacritics matches on the folded form alone, and so does a term
entered without diacritics ("Fansipan", or a keyword a user typed plain).

Matching reads the words of ``words.analyse`` (shared with dedupe and the lexicon): only the
positions whose word starts a term are looked at, and the diacritics check compares the
cached exact-form tokens of the matched words. ``find_reference`` is the word-by-word scan
over the whole text this replaced; it still reads the rare text whose exact forms cannot be
told word by word, and the tests check that both agree.

The score is transparent: each matched term adds ``weight × (1 + ln(count))``, and half its
weight again when it appears in the title.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from .folding import exact_text, fold_with_offsets, has_diacritics, token_spans
from .folding import tokenize as _tokenize
from .words import Analysed, analyse, term_starts, term_trie, trie_matches

__all__ = ["Gazetteer", "Relevance", "Term", "TermMatch"]


@dataclass(frozen=True)
class Term:
    term: str
    kind: str = "keyword"
    weight: float = 1.0


@dataclass
class TermMatch:
    term: Term
    count: int = 0
    in_title: bool = False


@dataclass
class Relevance:
    score: float = 0.0
    matches: list[TermMatch] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        return [match.term.term for match in self.matches]


class Gazetteer:
    """The terms to look for, indexed by their folded words."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self._by_words: dict[tuple[str, ...], list[tuple[Term, str, bool]]] = {}
        self.max_words = 0
        count = 0
        for term in terms:
            words = tuple(_tokenize(term.term))
            if not words:
                continue
            entry = (term, exact_text(term.term), has_diacritics(term.term))
            self._by_words.setdefault(words, []).append(entry)
            self.max_words = max(self.max_words, len(words))
            count += 1
        self.size = count
        self._trie = term_trie(self._by_words)

    def __len__(self) -> int:
        return self.size

    def find(self, text: str, *, analysed: Analysed | None = None) -> dict[Term, int]:
        """How many times each term occurs in ``text`` (longest match first, no overlaps).

        ``analysed`` is ``words.analyse(text)`` when the caller has it already."""
        found: dict[Term, int] = {}
        if not text or not self._by_words:
            return found
        analysed = analysed if analysed is not None else analyse(text)
        words = analysed.words
        trie = self._trie
        starts = term_starts(words, trie)
        if not starts:
            return found
        after = 0  # the first position not covered by a term already matched
        for position in starts:
            if position < after:
                continue
            # Longest first; a shorter term when the longer one's written form is refused.
            for length, entries in trie_matches(trie, words, position):
                written = analysed.exact_span(position, length)
                if written is None:  # a word's exact form is unclear: read it the slow way
                    return self.find_reference(text)
                accepted = self._accepted_forms(
                    entries,
                    " ".join(form for form, _marked in written),
                    any(marked for _form, marked in written),
                )
                if accepted:
                    for term in accepted:
                        found[term] = found.get(term, 0) + 1
                    after = position + length
                    break
        return found

    def find_reference(self, text: str) -> dict[Term, int]:
        """``find`` the slow way: fold the whole text and scan it word by word."""
        found: dict[Term, int] = {}
        if not text or not self._by_words:
            return found
        folded, offsets = fold_with_offsets(text)
        spans = list(token_spans(folded))
        words = [span[0] for span in spans]
        position = 0
        while position < len(words):
            matched = 0
            for length in range(min(self.max_words, len(words) - position), 0, -1):
                entries = self._by_words.get(tuple(words[position : position + length]))
                if not entries:
                    continue
                start, end = spans[position][1], spans[position + length - 1][2]
                if offsets is not None:
                    start, end = offsets[start], offsets[end - 1] + 1
                    while end < len(text) and unicodedata.combining(text[end]):
                        end += 1  # the marks of the last letter (decomposed text)
                accepted = self._accepted(entries, text[start:end])
                if accepted:
                    for term in accepted:
                        found[term] = found.get(term, 0) + 1
                    matched = length
                    break
            position += matched or 1
        return found

    @classmethod
    def _accepted(cls, entries, written: str) -> list[Term]:
        return cls._accepted_forms(entries, exact_text(written), has_diacritics(written))

    @staticmethod
    def _accepted_forms(entries, exact: str, written_marked: bool) -> list[Term]:
        same = [term for term, term_exact, _marked in entries if term_exact == exact]
        if same:  # "Sa Pả" is the ward, "Sa Pa" the town, when both are terms
            return same
        if not written_marked:
            return [term for term, _exact, _marked in entries]
        return [term for term, _exact, marked in entries if not marked]

    def score(
        self,
        *,
        title: str = "",
        text: str = "",
        title_analysed: Analysed | None = None,
        text_analysed: Analysed | None = None,
    ) -> Relevance:
        """The relevance of a document: matched terms (heaviest first) and their score."""
        in_title = self.find(title, analysed=title_analysed)
        counts = self.find(text, analysed=text_analysed)
        for term, count in in_title.items():
            counts[term] = counts.get(term, 0) + count
        matches = []
        total = 0.0
        for term, count in counts.items():
            value = term.weight * (1 + math.log(count))
            if term in in_title:
                value += term.weight * 0.5
            total += value
            matches.append(TermMatch(term=term, count=count, in_title=term in in_title))
        matches.sort(key=lambda m: (-m.term.weight * (1 + math.log(m.count)), m.term.term))
        return Relevance(score=round(total, 3), matches=matches)
