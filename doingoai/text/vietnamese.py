"""Vietnamese text for search: folding, tokenizing, exact-form tokens and Telex decoding.

Pure Python (no Django), so the portal models, the search app and the benchmarks share it.

``fold(text)`` gives the text case-folded and without diacritics, so "LÀO CAI", "Lào Cai",
"lao cai" and the decomposed (NFD, "Unicode tổ hợp") spelling all give "lao cai"; "Điện Biên"
gives "dien bien" (đ has no Unicode decomposition, so it is mapped explicitly). It is one
``str.casefold`` and one ``str.translate`` over a precomputed table, no per-character Python.

``tokenize(text)`` splits folded text into words. Scripts written without spaces between
words (Chinese, Japanese kana, Lao, Thai, Khmer, Myanmar) are cut into overlapping character
bigrams, the usual way to search them without a dictionary.

``exact_token(word)`` spells one word with its diacritics as an ASCII token that every search
engine keeps intact: the folded word followed by one digit per mark (VNI-style: 1 sắc, 2
huyền, 3 hỏi, 4 ngã, 5 nặng, 6 circumflex, 7 horn, 8 breve, 9 đ), or ``0`` for a word with
no marks: "Lào" → ``lao2``, "Điện" → ``dien956``, "Cai" → ``cai0``. Marks are listed per
character in code-point order and characters in order, so the two tone placements "hoà" and
"hòa" give the same token. The search index holds a folded copy *and* an exact copy of each
text, which is how an exact query with diacritics can rank exact matches first.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import chain

__all__ = [
    "exact_text",
    "exact_token",
    "fold",
    "fold_with_offsets",
    "has_diacritics",
    "index_text",
    "telex_to_vietnamese",
    "token_spans",
    "tokenize",
    "words",
]

# Combining diacritical marks (the Latin ones, as left by NFD text or stray keystrokes).
_COMBINING_RANGES = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF))
_COMBINING_CLASS = "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in _COMBINING_RANGES)
_COMBINING_RE = re.compile(f"[{_COMBINING_CLASS}]")
# Letters with a stroke have no decomposition: map them by hand (đ is the one that matters).
_NO_DECOMPOSITION = {
    "đ": "d",
    "Đ": "d",
    "ð": "d",
    "Ð": "d",
    "ø": "o",
    "Ø": "o",
    "ł": "l",
    "Ł": "l",
    "ħ": "h",
    "Ħ": "h",
    "ŧ": "t",
    "Ŧ": "t",
    "ƀ": "b",
    "ɨ": "i",
    "ƶ": "z",
}
# Vietnamese marks as digits (see the module docstring).
_MARK_DIGITS = {
    0x0301: "1",  # acute — sắc
    0x0300: "2",  # grave — huyền
    0x0309: "3",  # hook above — hỏi
    0x0303: "4",  # tilde — ngã
    0x0323: "5",  # dot below — nặng
    0x0302: "6",  # circumflex — â ê ô
    0x031B: "7",  # horn — ơ ư
    0x0306: "8",  # breve — ă
}
_OTHER_MARK_DIGIT = "0"


def _build_tables() -> tuple[dict[int, str | None], dict[str, str]]:
    fold_table: dict[int, str | None] = {}
    marks: dict[str, str] = {}
    for start, end in _COMBINING_RANGES:
        for cp in range(start, end + 1):
            fold_table[cp] = None
            marks[chr(cp)] = _MARK_DIGITS.get(cp, _OTHER_MARK_DIGIT)
    for cp in chain(range(0x00C0, 0x0250), range(0x1E00, 0x1F00)):
        char = chr(cp)
        decomposed = unicodedata.normalize("NFD", char)
        base, accents = decomposed[0], decomposed[1:]
        if accents and base.isascii() and all(unicodedata.combining(a) for a in accents):
            fold_table[cp] = base.lower()
            marks[char] = "".join(
                sorted(_MARK_DIGITS.get(ord(a), _OTHER_MARK_DIGIT) for a in accents)
            )
    for char, base in _NO_DECOMPOSITION.items():
        fold_table[ord(char)] = base
    marks["đ"] = marks["Đ"] = "9"
    return fold_table, marks


FOLD_TABLE, _MARKS = _build_tables()

# Scripts written without spaces between words: indexed as overlapping character bigrams.
_SPACELESS = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\U00020000-\U0002fa1f"
)
_SPACELESS_RE = re.compile(f"[{_SPACELESS}]+")
# A token: a run of letters/digits (no underscore) outside those scripts, or a run inside them.
_TOKEN_RE = re.compile(f"(?P<word>[^\\W_{_SPACELESS}]+)|(?P<run>[{_SPACELESS}]+)")
# For exact tokens the text is NFC but may keep a mark that has no precomposed form.
_EXACT_TOKEN_RE = re.compile(
    f"(?P<word>(?:[^\\W_{_SPACELESS}]|[{_COMBINING_CLASS}])+)|(?P<run>[{_SPACELESS}]+)"
)
MAX_TOKEN_LENGTH = 64


def fold(text: str) -> str:
    """Case-folded ``text`` without diacritics (đ → d); NFC and NFD input give the same."""
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    return text.casefold().translate(FOLD_TABLE)


def has_diacritics(text: str) -> bool:
    """True when folding removes a mark (or đ) from ``text``, beyond changing case."""
    if not text or text.isascii():
        return False
    lowered = text.casefold()
    return lowered.translate(FOLD_TABLE) != lowered


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """``fold(text)`` and, for each folded character, the index of its source character.

    The offsets are ``None`` when folding kept the length (the usual case for NFC text):
    folded index *i* then comes from source index *i*.
    """
    folded = fold(text)
    if len(folded) == len(text) and not _COMBINING_RE.search(text):
        return folded, None  # no deletions and no expansions: one character for one
    offsets: list[int] = []
    for index, char in enumerate(text):
        offsets.extend([index] * len(fold(char)))
    return folded, offsets


def _bigrams(run: str) -> list[str]:
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def token_spans(folded: str):
    """Yield ``(token, start, end)`` for each token of already-folded text.

    Words are yielded whole; a run of a spaceless script yields its bigrams with their own
    spans, so highlighting can mark exactly the characters that matched.
    """
    for match in _TOKEN_RE.finditer(folded):
        if match.lastgroup == "word":
            yield match.group(), match.start(), match.end()
        else:
            run, start = match.group(), match.start()
            if len(run) < 2:
                yield run, start, start + 1
            else:
                for i in range(len(run) - 1):
                    yield run[i : i + 2], start + i, start + i + 2


def tokenize(text: str) -> list[str]:
    """The folded tokens of ``text`` (words; bigrams for spaceless scripts)."""
    return [token for token, _start, _end in token_spans(fold(text))]


def _expand_spaceless(folded: str) -> str:
    if not _SPACELESS_RE.search(folded):
        return folded
    return _SPACELESS_RE.sub(lambda m: " " + " ".join(_bigrams(m.group())) + " ", folded)


@lru_cache(maxsize=65_536)
def exact_token(word: str) -> str:
    """One word (any case, NFC or NFD) as its exact-form ASCII token: ``Lào`` → ``lao2``."""
    lowered = unicodedata.normalize("NFC", word).casefold()
    folded = lowered.translate(FOLD_TABLE)
    if folded.isdigit():
        return folded
    if folded == lowered:
        return folded + "0"
    return folded + "".join(_MARKS.get(char, "") for char in lowered if not char.isascii())


def exact_text(text: str) -> str:
    """The exact-form tokens of ``text``, space-separated (spaceless scripts as bigrams)."""
    if not text:
        return ""
    lowered = unicodedata.normalize("NFC", text).casefold()
    out = []
    for match in _EXACT_TOKEN_RE.finditer(lowered):
        if match.lastgroup == "word":
            out.append(exact_token(match.group()))
        else:
            out.extend(_bigrams(match.group()))
    return " ".join(out)


def words(text: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """The words of ``text`` as typed, each with its folded and its exact-form tokens.

    A word gives one token of each kind (``("Lào", ("lao",), ("lao2",))``); a run of a
    spaceless script gives its bigrams as both.
    """
    out: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    for match in _EXACT_TOKEN_RE.finditer(unicodedata.normalize("NFC", text or "")):
        word = match.group()
        if match.lastgroup == "word":
            out.append((word, (fold(word),), (exact_token(word),)))
        else:
            bigrams = tuple(_bigrams(word))
            out.append((word, bigrams, bigrams))
    return out


@lru_cache(maxsize=256)
def index_text(text: str) -> str:
    """What the search index stores for ``text``: its folded form, then (when the text has
    diacritics) its exact-form tokens on a line of their own.

    Cached by text: modelsearch reads each search field several times per indexed object.
    """
    if not text:
        return ""
    folded = _expand_spaceless(fold(text))
    if has_diacritics(text):
        return f"{folded}\n{exact_text(text)}".strip()
    return folded.strip()


# --- Telex: Vietnamese typed without an input method ("Laof Cai" for "Lào Cai") -------------

_TELEX_TONES = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
_TELEX_LETTERS = (
    ("dd", "đ"),
    ("uow", "ươ"),
    ("uwow", "ươ"),
    ("aa", "â"),
    ("aw", "ă"),
    ("ee", "ê"),
    ("oo", "ô"),
    ("ow", "ơ"),
    ("uw", "ư"),
    ("w", "ư"),
)
_SYLLABLE_RE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"([aăâeêioôơuưy]+)"
    r"(ch|ng|nh|[cmnpt])?$"
)
# Vowel nuclei of Vietnamese syllables (after the Telex letters are applied).
_NUCLEI_LIST = (
    "a ă â e ê i o ô ơ u ư y "
    "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ ưa ưi ưu ươ uy "
    "yê iêu oai oay oeo uây uôi ươi ươu uya uyê uyu yêu"
)
_NUCLEI = frozenset(_NUCLEI_LIST.split())
_MODIFIED_VOWELS = "ăâêôơư"


def _tone_position(initial: str, nucleus: str, final: str) -> int:
    for index, vowel in enumerate(nucleus):
        if vowel in _MODIFIED_VOWELS:
            if nucleus[index : index + 2] == "ươ":
                return index + 1
            return index
    if final or len(nucleus) == 1:
        return len(nucleus) - 1
    if len(nucleus) == 2:
        return 0
    return 1


def _telex_syllable(word: str) -> str | None:
    tone = ""
    if len(word) > 1 and word[-1] in _TELEX_TONES:
        tone, word = _TELEX_TONES[word[-1]], word[:-1]
    for telex, letter in _TELEX_LETTERS:
        word = word.replace(telex, letter)
    match = _SYLLABLE_RE.match(word)
    if match is None:
        return None
    initial, nucleus, final = match.group(1) or "", match.group(2), match.group(3) or ""
    if nucleus not in _NUCLEI:
        return None
    if tone:
        at = _tone_position(initial, nucleus, final)
        nucleus = (
            nucleus[:at] + unicodedata.normalize("NFC", nucleus[at] + tone) + nucleus[at + 1 :]
        )
    return initial + nucleus + final


def telex_to_vietnamese(text: str) -> str | None:
    """Decode words typed in Telex without an input method ("ddieenj bieen" → "điện biên").

    Returns ``None`` when no word reads as Telex. Words that are already Vietnamese, or that
    do not decode to a Vietnamese syllable, are kept as they are.
    """
    changed = False
    words = []
    for word in text.split():
        lowered = word.lower()
        decoded = None
        if lowered.isascii() and lowered.isalpha():
            decoded = _telex_syllable(lowered)
        if decoded is not None and decoded != lowered:
            changed = True
            words.append(decoded.capitalize() if word[:1].isupper() else decoded)
        else:
            words.append(word)
    return " ".join(words) if changed else None
