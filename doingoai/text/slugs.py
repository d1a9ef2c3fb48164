"""Page addresses (slugs) made from titles in Vietnamese, English, Chinese and Lao.

Pure Python (no Django). The same rules run in two places, so an editor sees in the admin's
live slug field exactly the address the server would make:

* in the browser, as Wagtail's slug field "formatters" (``SlugInput(formatters=…)``: pairs of a
  regular expression and a replacement applied in order before Wagtail's own ``urlify``);
* on the server, by ``slugify_title()``, which applies the same pairs and then does what
  ``urlify`` does (lower case, drop what is not ``[-\\w\\s]``, spaces and hyphens to one
  hyphen, at most 255 characters, no trailing hyphen).

The rules:

* **Vietnamese**: every letter loses its marks and đ becomes d, so "Thông tin cửa khẩu quốc
  tế Lào Cai" reads ``thong-tin-cua-khau-quoc-te-lao-cai`` (Django's and Wagtail's own
  transliteration drop ư, ơ and most toned vowels, and turn đ into "dj").
* **Chinese**: each character becomes its most common Hanyu Pinyin reading without tones,
  one syllable per hyphen ("老街省" → ``lao-jie-sheng``), for the 6,763 characters of
  GB 2312 (the table stays small enough to send to the page editor); rarer characters are
  dropped, in both places alike.
* **Lao**: an approximate romanisation (consonants and vowels by table, the vowels written
  before their consonant moved after it, a few common vowel groups), which gives the usual
  spellings of frequent names: ວຽງຈັນ → ``viangchan``, ຫຼວງພະບາງ → ``louangphabang``.

Letters of other Latin alphabets are reduced to their base letter (é → e, ü → u).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

__all__ = ["MAX_LENGTH", "formatters_for", "slugify_title"]

MAX_LENGTH = 255  # Wagtail's slug field, and urlify's default

# --- Vietnamese (and other Latin letters with marks) --------------------------------------


def _latin_groups() -> list[tuple[str, str]]:
    """Each base letter with every precomposed Latin letter that folds to it."""
    groups: dict[str, list[str]] = {}
    for cp in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        char = chr(cp)
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        if marks and base.isascii() and base.isalpha():
            groups.setdefault(base.lower(), []).append(char)
    groups.setdefault("d", []).extend(["đ", "Đ"])
    return sorted((base, "".join(chars)) for base, chars in groups.items())


def _latin_formatters() -> list[tuple[str, str]]:
    pairs = [(f"[{re.escape(chars)}]", base) for base, chars in _latin_groups()]
    # Decomposed (NFD) input: the base letters are already there, drop the marks.
    pairs.append(("[\\u0300-\\u036f]", ""))
    return pairs


# --- Chinese: Hanyu Pinyin of the GB 2312 characters ----------------------------------------


def _toneless(reading: str) -> str:
    decomposed = unicodedata.normalize("NFD", reading)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@cache
def _han_formatters() -> tuple[tuple[str, str], ...]:
    from pypinyin.pinyin_dict import pinyin_dict  # the package's single-character readings

    by_syllable: dict[str, list[str]] = {}
    for code, readings in pinyin_dict.items():
        char = chr(code)
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        if not ("\u4e00" <= char <= "\u9fff"):
            continue
        syllable = re.sub(r"[^a-z]", "", _toneless(readings.split(",")[0]))
        if syllable:
            by_syllable.setdefault(syllable, []).append(char)
    return tuple(
        (f"[{''.join(sorted(chars))}]", f" {syllable} ")
        for syllable, chars in sorted(by_syllable.items())
    )


# --- Lao -------------------------------------------------------------------------------------

_LAO_CONSONANT = "ກຂຄງຈສຊຍດຕຖທນບປຜຝພຟມຢຣລວຫອຮໜໝ"
_LAO_PREPOSED = "ເແໂໄໃ"
# Groups first (longest first), then single letters.
_LAO_VOWEL_SIGN = "ະັາິີຶືຸູົໍຽຳ"
_LAO_GROUPS = [
    # a vowel written before its consonant (cluster) is read after it
    (f"([{_LAO_PREPOSED}])(ຫ?[{_LAO_CONSONANT}]ຼ?)", "$2$1"),
    ("ເ([ກ-ໝ]?)ືອ", "$1eua"),
    ("ເ([ກ-ໝ]?)ຍ", "$1oei"),
    ("ແ([ກ-ໝ]?)ະ", "$1ae"),
    ("ເ([ກ-ໝ]?)າະ", "$1o"),
    ("ໂ([ກ-ໝ]?)ະ", "$1o"),
    ("ເ([ກ-ໝ]?)ະ", "$1e"),
    ("ົວ", "oua"),
    # ວ: a consonant at the start of a syllable, "oua"/"ou" after a consonant, "o" after a
    # vowel; ອ: silent before a vowel at the start of a syllable, "o" inside one
    (f"(?<=[{_LAO_CONSONANT}ຼ])ວ(?=[{_LAO_CONSONANT}])", "oua"),
    (f"(?<=[{_LAO_CONSONANT}ຼັ])ວ", "ou"),
    (f"(?<=[{_LAO_VOWEL_SIGN}{_LAO_PREPOSED}])ວ", "o"),
    (f"(?<=[{_LAO_CONSONANT}ຼ])ອ", "o"),
    ("ອ", ""),
    # final consonants as they sound: ຍ "i", ດ "t", ບ "p"
    (f"(?<=[{_LAO_VOWEL_SIGN}])ຍ", "i"),
    (f"(?<=[{_LAO_VOWEL_SIGN}])ດ(?![{_LAO_VOWEL_SIGN}])", "t"),
    (f"(?<=[{_LAO_VOWEL_SIGN}])ບ(?![{_LAO_VOWEL_SIGN}])", "p"),
    ("ຫຼ|ຫລ", "l"),
    ("ຫງ", "ng"),
    ("ຫຍ", "gn"),
    ("ຫນ|ໜ", "n"),
    ("ຫມ|ໝ", "m"),
    ("ຫວ", "v"),
    ("ຽ", "ia"),
    ("ຳ", "am"),
    ("[່້໊໋໌ໆ]", ""),  # tone marks, cancellation, repetition
]
_LAO_LETTERS = {
    "ກ": "k",
    "ຂ": "kh",
    "ຄ": "kh",
    "ງ": "ng",
    "ຈ": "ch",
    "ສ": "s",
    "ຊ": "x",
    "ຍ": "gn",
    "ດ": "d",
    "ຕ": "t",
    "ຖ": "th",
    "ທ": "th",
    "ນ": "n",
    "ບ": "b",
    "ປ": "p",
    "ຜ": "ph",
    "ຝ": "f",
    "ພ": "ph",
    "ຟ": "f",
    "ມ": "m",
    "ຢ": "y",
    "ຣ": "r",
    "ລ": "l",
    "ວ": "v",
    "ຫ": "h",
    "ຮ": "h",
    "ະ": "a",
    "ັ": "a",
    "າ": "a",
    "ິ": "i",
    "ີ": "i",
    "ຶ": "u",
    "ື": "u",
    "ຸ": "ou",
    "ູ": "ou",
    "ົ": "o",
    "ຼ": "l",
    "ເ": "e",
    "ແ": "ae",
    "ໂ": "o",
    "ໄ": "ai",
    "ໃ": "ai",
    "ໍ": "o",
    **{chr(0x0ED0 + i): str(i) for i in range(10)},  # Lao digits
}


def _lao_formatters() -> list[tuple[str, str]]:
    letters = [(re.escape(char), latin) for char, latin in _LAO_LETTERS.items()]
    # The end of a Lao run is the end of a word.
    return [*_LAO_GROUPS, *letters]


# --- Both sides ------------------------------------------------------------------------------


def formatters_for(language: str) -> list[tuple[str, str]]:
    """The (pattern, replacement) pairs for a page in ``language``, in order: Latin letters
    for every language; Han characters for ``zh-hans``; Lao letters for ``lo``.

    Patterns are written for both engines (Python ``re`` and JavaScript with the ``gu``
    flags); a replacement's ``$1`` is a group reference in both (``slugify_title`` turns it
    into Python's form)."""
    pairs = _latin_formatters()
    if language.startswith("zh"):
        pairs += list(_han_formatters())
    if language == "lo":
        pairs += _lao_formatters()
    # Dates, fractions and ranges ("10/12", "2024–2030") keep their parts apart; no hyphen
    # at either end.
    return [*pairs, ("[/–—]", " "), ("^\\s+|\\s+$", "")]


@cache
def _compiled(language: str) -> tuple[tuple[re.Pattern, str], ...]:
    return tuple(
        (re.compile(pattern), re.sub(r"\$(\d)", r"\\g<\1>", replacement))
        for pattern, replacement in formatters_for(language)
    )


_NOT_SLUG = re.compile(r"[^-A-Za-z0-9_\s]")  # JavaScript's \w is ASCII, its \s is not
_SEPARATORS = re.compile(r"[-\s]+")


def slugify_title(title: str, language: str = "vi") -> str:
    """The address a page titled ``title`` gets (the same as the admin's live slug field).

    Returns "" when nothing of the title can be written in ASCII (the editor then types one).
    """
    value = unicodedata.normalize("NFC", (title or "").strip())
    for pattern, replacement in _compiled(language):
        value = pattern.sub(replacement, value)
    value = _NOT_SLUG.sub("", value.lower())
    value = _SEPARATORS.sub("-", value)[:MAX_LENGTH]
    return value.rstrip("-")
