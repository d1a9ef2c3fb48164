"""Chinese and Lao in the PDF: every character is set in a shipped font that has its glyph.

reportlab draws each run of text in one font and never falls back to another, so a paragraph
is cut into runs before it reaches reportlab: Han characters (and CJK punctuation, full-width
forms, kana) go to Noto Serif SC, Lao to Noto Serif Lao, everything else to DejaVu Serif.  A
character that the preferred font lacks goes to the first other font that has it; one that no
shipped font has is logged (logger ``doingoai.reports.exports.pdf_fonts``) and drawn as the
missing-glyph box of DejaVu Serif — never dropped silently.  The fonts are in ``reports/data``
(built by ``scripts/build_fonts.py``, see the README there) and are loaded the first time a
report needs them.

Line breaking: a paragraph with a run of Chinese too long to be a name uses reportlab's CJK
wrapping (a line may break between any two ideographs).  Lao paragraphs are shaped with
HarfBuzz (``uharfbuzz``), which stacks tone marks above vowel signs as a Lao reader expects;
since reportlab shapes a whole word with the font of its first character, each word of a Lao
paragraph is first set in a single font (the Lao font carries basic Latin punctuation and
digits for that).  Lao leaves no space between words and reportlab breaks only at spaces, so
``LaoParagraph`` breaks a Lao word that does not fit between two syllables itself (and sets
the paragraph ragged-right rather than justified).

Glyphs that shaping substitutes get back their characters in the PDF's ``ToUnicode`` map
(``ReportFont``), so Lao text still copies and searches as typed — but for ``ຳ``, which
comes back as ``ໍ`` + ``າ`` (its compatibility decomposition), and after a tone mark as
``ໍ`` + tone + ``າ``, the order HarfBuzz draws them in.
"""

from __future__ import annotations

import io
import itertools
import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

logger = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent.parent / "data"

HAN = "han"
LAO = "lao"
BASE = "base"

#: reportlab font name → file in reports/data.
SCRIPT_FONTS = {
    "NotoSerifSC": "NotoSerifSC-Regular.subset.ttf",
    "NotoSerifLao": "NotoSerifLao-Regular.ttf",
    "NotoSerifLao-Bold": "NotoSerifLao-Bold.ttf",
}

#: A run of Han characters at least this long is running Chinese text, not a name: the
#: paragraph then wraps between any two characters.
CJK_WRAP_RUN = 6

_HAN_RANGES = (
    (0x2E80, 0x2FDF),  # radicals
    (0x2FF0, 0x303F),  # ideographic description, CJK symbols and punctuation
    (0x3040, 0x33FF),  # kana, bopomofo, strokes, enclosed and compatibility
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # compatibility forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms
    (0x20000, 0x3FFFF),  # extensions B–H
)
#: Characters that belong with the character before them.
_JOINERS = {0x200C, 0x200D, 0x25CC, *range(0xFE00, 0xFE10)}


def script_of(char: str) -> str:
    point = ord(char)
    if 0x0E80 <= point <= 0x0EFF:
        return LAO
    if any(start <= point <= end for start, end in _HAN_RANGES):
        return HAN
    return BASE


def _attaches(char: str) -> bool:
    return ord(char) in _JOINERS or unicodedata.category(char) in ("Mn", "Mc", "Me")


# --- fonts ---------------------------------------------------------------------------------


class ReportFont(ttfonts.TTFont):
    """A TrueType font for the reports.

    * Glyphs reached only through shaping (Lao tone marks raised over a vowel, for one) get
      the characters they came from in the ``ToUnicode`` map; reportlab would give them
      private-use code points, which copy and extract as garbage.
    * ``substitutions=False`` shapes without the font's GSUB: DejaVu's ligatures (ﬁ, ﬆ…)
      must not appear in the words of a Lao paragraph when they appear nowhere else.
    """

    def __init__(self, name: str, filename, *, substitutions: bool = True):
        super().__init__(name, filename)
        self.substitutions = substitutions
        self._mapped = frozenset(self.face.charToGlyph)  # before shaping adds private ones

    @property
    def hbFace(self):
        face = super().hbFace
        if not self.substitutions and not getattr(self, "_plain_face", False):
            import uharfbuzz

            face = uharfbuzz.Face(uharfbuzz.Blob(_without_gsub(self.face._ttf_data)))
            self.__hbFace__ = face
            self._plain_face = True
        return face

    def addObjects(self, doc):
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state else []
        super().addObjects(doc)  # forgets the document's state
        for number, subset in enumerate(subsets):
            if all(point in self._mapped for point in subset):
                continue
            base_font_name = b"".join(
                (ttfonts.SUBSETN(number), b"+", self.face.name, self.face.subfontNameX)
            ).decode("pdfdoc")
            stream = doc.idToObject["toUnicodeCMap:" + base_font_name]
            texts = [self._text_of(point) for point in subset]
            stream.content = _to_unicode_cmap(base_font_name, texts)

    def _text_of(self, point: int) -> str:
        glyph = self.face.charToGlyph.get(point)
        if point in self._mapped or glyph is None:
            return chr(point)
        return _substituted_texts(self.face._ttf_data).get(glyph, "\ufffd")


def _without_gsub(data: bytes) -> bytes:
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), lazy=True)
    if "GSUB" in font:
        del font["GSUB"]
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@cache
def _substituted_texts(data: bytes) -> dict[int, str]:
    """Glyph id → the characters it stands for, following the font's GSUB substitutions."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    order = font.getGlyphOrder()
    texts = {name: chr(point) for point, name in sorted(font.getBestCmap().items(), reverse=True)}
    if "GSUB" in font and font["GSUB"].table.LookupList:
        lookups = font["GSUB"].table.LookupList.Lookup
        for _round in range(4):  # substitutions of substitutions
            before = len(texts)
            for lookup in lookups:
                for table in lookup.SubTable:
                    kind = lookup.LookupType
                    if kind == 7:
                        table, kind = table.ExtSubTable, table.ExtensionLookupType
                    _follow(kind, table, texts)
            if len(texts) == before:
                break
    index = {name: gid for gid, name in enumerate(order)}
    return {index[name]: text for name, text in texts.items()}


def _follow(kind: int, table, texts: dict[str, str]) -> None:
    if kind == 1:  # single
        for source, target in table.mapping.items():
            if source in texts:
                texts.setdefault(target, texts[source])
    elif kind == 2:  # one glyph → several: the first carries the text
        for source, targets in table.mapping.items():
            if source in texts and targets:
                texts.setdefault(targets[0], texts[source])
                for target in targets[1:]:
                    texts.setdefault(target, "")
    elif kind == 3:  # alternates
        for source, targets in table.alternates.items():
            for target in targets if source in texts else ():
                texts.setdefault(target, texts[source])
    elif kind == 4:  # ligatures
        for first, ligatures in table.ligatures.items():
            for ligature in ligatures:
                parts = [first, *ligature.Component]
                if all(part in texts for part in parts):
                    text = "".join(texts[part] for part in parts)
                    if all(unicodedata.category(char) == "Mn" for char in text):
                        # Marks joined (Lao ໍ + tone mark, drawn tone first): read back in
                        # the order they are typed, by combining class.
                        text = "".join(sorted(text, key=unicodedata.combining))
                    texts.setdefault(ligature.LigGlyph, text)


def _to_unicode_cmap(font_name: str, texts: list[str]) -> str:
    def utf16(text: str) -> str:
        return text.encode("utf-16-be").hex().upper()

    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({font_name})",
            f"/Ordering ({font_name})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{font_name} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(texts) - 1:02X}>",
            "endcodespacerange",
            f"{sum(1 for text in texts if text)} beginbfchar",
            *(f"<{code:02X}> <{utf16(text)}>" for code, text in enumerate(texts) if text),
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


@cache
def script_font(name: str) -> ReportFont:
    """Register one of the shipped Chinese/Lao fonts (once) and return it."""
    font = ReportFont(name, str(DATA / SCRIPT_FONTS[name]))
    pdfmetrics.registerFont(font)
    return font


def script_font_name(script: str, base_font: str) -> str:
    if script == HAN:
        return "NotoSerifSC"  # one weight shipped: bold and italic runs are set upright
    return "NotoSerifLao-Bold" if "Bold" in base_font else "NotoSerifLao"


# --- runs ----------------------------------------------------------------------------------


@dataclass
class Layout:
    text: str
    fonts: list[str]  # the font of each character
    base_font: str
    wrap_cjk: bool = False  # running Chinese text: break between ideographs
    shape: bool = False  # Lao: shape with HarfBuzz
    missing: str = ""  # characters no shipped font has

    @property
    def has_lao(self) -> bool:
        return any(script_of(char) == LAO for char in self.text)

    def markup(self, breaks: Iterable[int] = ()) -> str:
        """reportlab markup: ``<font>`` around each run, ``<br/>`` before each of ``breaks``."""
        cuts = sorted({0, len(self.text), *breaks})
        parts = []
        for cut_start, cut_end in itertools.pairwise(cuts):
            if parts:
                parts.append("<br/>")
            start = cut_start
            for index in range(cut_start + 1, cut_end + 1):
                if index == cut_end or self.fonts[index] != self.fonts[start]:
                    chunk = escape(self.text[start:index])
                    name = self.fonts[start]
                    parts.append(
                        chunk if name == self.base_font else f'<font name="{name}">{chunk}</font>'
                    )
                    start = index
        return "".join(parts)


class _Fonts:
    """The fonts one paragraph may use, loaded on first need."""

    def __init__(self, base_font: str):
        self.base = base_font
        self._loaded: dict[str, object] = {base_font: pdfmetrics.getFont(base_font)}

    def name(self, script: str) -> str:
        return self.base if script == BASE else script_font_name(script, self.base)

    def has(self, name: str, char: str) -> bool:
        font = self._loaded.get(name)
        if font is None:
            font = self._loaded[name] = script_font(name)
        return ord(char) in font.face.charToGlyph

    def choose(self, char: str, previous: str | None) -> str | None:
        if previous and _attaches(char) and self.has(previous, char):
            return previous
        preferred = script_of(char)
        for script in dict.fromkeys((preferred, BASE, HAN, LAO)):
            name = self.name(script)
            if self.has(name, char):
                return name
        return None


def layout(text: str, base_font: str) -> Layout:
    """The font of each character of ``text``, and how its paragraph must wrap."""
    base_glyphs = pdfmetrics.getFont(base_font).face.charToGlyph
    if all(ord(char) in base_glyphs and script_of(char) == BASE for char in text):
        return Layout(text, [base_font] * len(text), base_font)  # the usual case
    fonts = _Fonts(base_font)
    chosen: list[str] = []
    missing: list[str] = []
    previous = None
    for char in text:
        name = fonts.choose(char, previous)
        if name is None:
            missing.append(char)
            name = base_font
        chosen.append(name)
        previous = name
    result = Layout(text, chosen, base_font, missing="".join(dict.fromkeys(missing)))
    result.wrap_cjk = _long_han_run(text)
    if not result.wrap_cjk and result.has_lao:
        result.shape = _one_font_per_word(text, chosen, fonts)
    return result


def _long_han_run(text: str) -> bool:
    run = 0
    for char in text:
        run = run + 1 if script_of(char) == HAN else 0
        if run >= CJK_WRAP_RUN:
            return True
    return False


def _words(text: str):
    """(start, end) of each whitespace-free stretch."""
    start = None
    for index, char in enumerate(text):
        if char.isspace():
            if start is not None:
                yield start, index
                start = None
        elif start is None:
            start = index
    if start is not None:
        yield start, len(text)


def _one_font_per_word(text: str, chosen: list[str], fonts: _Fonts) -> bool:
    """Give every word one font (in place) if possible; False if some word cannot have one."""
    for start, end in _words(text):
        names = set(chosen[start:end])
        if len(names) == 1:
            continue
        word = text[start:end]
        scripts = [script_of(char) for char in word]
        preferred = LAO if LAO in scripts else HAN if HAN in scripts else BASE
        candidates = dict.fromkeys([fonts.name(preferred), *sorted(names)])
        for name in candidates:
            if all(fonts.has(name, char) for char in word):
                chosen[start:end] = [name] * (end - start)
                break
        else:
            return False
    return True


# --- Lao line breaks -----------------------------------------------------------------------

_LEADING_VOWELS = range(0x0EC0, 0x0EC5)  # ເ ແ ໂ ໃ ໄ: written before their consonant
_FOLLOWERS = {*range(0x0EB0, 0x0EBE), *range(0x0EC8, 0x0ECE)}  # vowel signs, tone marks
_SONORANTS = {0x0E87, 0x0E8D, 0x0E99, 0x0EA1, 0x0EA3, 0x0EA5, 0x0EA7}  # ງ ຍ ນ ມ ຣ ລ ວ
_HO = 0x0EAB  # ຫ, silent before a sonorant (ຫງ, ຫນ, ຫມ, ຫລ, ຫວ…)


def _is_consonant(point: int) -> bool:
    return 0x0E81 <= point <= 0x0EAE or 0x0EDC <= point <= 0x0EDF


def syllable_starts(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Where a Lao syllable begins inside ``text[start:end]`` (not at ``start``).

    Lao leaves no space between words, and reportlab breaks lines only at spaces.  These
    are the places a line may break inside a Lao word: before a leading vowel (ເ ແ ໂ ໃ ໄ),
    or before a consonant that a vowel sign or tone mark follows (it starts a syllable;
    a consonant followed by another is a final, or a cluster).  An approximation of
    dictionary-based word breaking, good enough to wrap a long name in a table cell.
    """
    end = len(text) if end is None else end
    starts = []
    for index in range(start + 1, end):
        point, before = ord(text[index]), ord(text[index - 1])
        if before in _LEADING_VOWELS:
            continue
        followed = index + 1 < end and ord(text[index + 1]) in _FOLLOWERS
        silent_ho = before == _HO and point in _SONORANTS
        if point in _LEADING_VOWELS or (_is_consonant(point) and followed and not silent_ho):
            starts.append(index)
    return starts


def line_breaks(result: Layout, font_size: float, first: float, later: float) -> list[int]:
    """Where to force a line break so that no Lao word runs past the line: greedy filling,
    as reportlab does, but a Lao word that does not fit is cut between syllables."""
    text = result.text
    advance = [0.0]
    for char, name in zip(text, result.fonts, strict=True):
        advance.append(advance[-1] + pdfmetrics.stringWidth(char, name, font_size))
    space = pdfmetrics.stringWidth(" ", result.base_font, font_size)
    breaks: list[int] = []
    width, x = first - 1, 0.0  # a point to spare: shaping can nudge a width
    for start, end in _words(text):
        gap = space if x else 0.0
        if x + gap + advance[end] - advance[start] <= width:
            x += gap + advance[end] - advance[start]
            continue
        cuts = [
            cut
            for cut in syllable_starts(text, start, end)
            if script_of(text[cut]) == LAO  # only Lao words are cut here
        ]
        piece = start
        while True:
            gap = space if x and piece == start else 0.0
            fitting = [
                cut
                for cut in cuts
                if cut > piece and x + gap + advance[cut] - advance[piece] <= width
            ]
            if x + gap + advance[end] - advance[piece] <= width:
                x += gap + advance[end] - advance[piece]
                break
            if fitting:  # as many syllables as fit, then a new line
                piece = fitting[-1]
                breaks.append(piece)
            elif x == 0:  # not even one syllable fits: let it run over (reportlab will cut it)
                x = advance[end] - advance[piece]
                break
            # else: the word starts on the next line, as reportlab itself would do
            x, width = 0.0, later - 1
    return breaks


class LaoParagraph(Paragraph):
    """A paragraph with Lao text, whose long words wrap between syllables.

    The breaks depend on the width the paragraph is given, so the markup is rebuilt (with
    ``<br/>`` at the chosen breaks) each time ``wrap`` gets a new width.  Split parts come
    back through ``Paragraph.split`` without ``result`` and behave as plain paragraphs.
    """

    result: Layout | None = None
    _built_for: tuple[float, float] | None = None

    def wrap(self, availWidth, availHeight):
        if self.result is not None:
            style = self.style
            first = availWidth - style.leftIndent - style.firstLineIndent - style.rightIndent
            later = availWidth - style.leftIndent - style.rightIndent
            if (first, later) != self._built_for:
                self._built_for = (first, later)
                breaks = line_breaks(self.result, style.fontSize, first, later)
                self._setup(
                    self.result.markup(breaks), style, self.bulletText, None, cleanBlockQuotedText
                )
        return super().wrap(availWidth, availHeight)


# --- paragraphs ----------------------------------------------------------------------------


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph (or table cell) of ``text``, each character in a font that has it."""
    result = layout(text, style.fontName)
    if result.missing:
        logger.warning(
            "PDF report: no shipped font has %s (in %r); drawn as missing-glyph boxes",
            " ".join(f"U+{ord(char):04X}" for char in result.missing),
            text[:80],
        )
    if result.wrap_cjk:
        return Paragraph(result.markup(), _variant(style, "cjk"))
    if result.has_lao:
        lao = LaoParagraph(result.markup(), _variant(style, "lao", shaping=result.shape))
        lao.result = result
        return lao
    return Paragraph(result.markup(), style)


@cache
def _variant(style: ParagraphStyle, kind: str, *, shaping: bool = False) -> ParagraphStyle:
    if kind == "cjk":
        return ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")
    # Lao lines end where a syllable ends, not at a space: justifying them would stretch
    # the few spaces there are.
    alignment = TA_LEFT if style.alignment == TA_JUSTIFY else style.alignment
    return ParagraphStyle(
        f"{style.name}-lao{'-shaped' if shaping else ''}",
        parent=style,
        shaping=int(shaping),
        alignment=alignment,
    )
