#!/usr/bin/env python
"""Build the fonts the project ships for Chinese (Simplified) and Lao.

Sources: the Fontsource npm packages below (SIL Open Font License 1.1), fetched with
``npm pack`` and checked against the registry's sha512 integrity; ``--sources DIR`` uses
tarballs already in DIR instead (no network).  Output, all committed:

1. Web fonts for the portal (``doingoai/static/portal/``)
   * ``fonts/noto-sans-sc/``: Noto Sans SC 400, Fontsource's own woff2 slices copied byte
     for byte — Google Fonts' frequency-ordered split of the font into ~100 files of
     ~30 KB, each declared with its ``unicode-range`` so a page downloads only the slices
     holding the characters it shows.  Slices with nothing at or above U+2000 (Latin,
     Vietnamese, Cyrillic) are left out, and code points below U+2000 are cut from the
     ranges we declare: Latin text keeps the portal's own fonts.
   * ``fonts/noto-sans-lao/``: Noto Sans Lao 400 and 700, the ``lao`` slice only.
   * two tiny subsets holding just the language switcher's label of the *other* script
     ("简体中文" on Lao pages, "ພາສາລາວ" on Chinese pages), so neither page pulls a whole
     font for one label.
   * ``fonts-zh-hans.css`` and ``fonts-lo.css``: the ``@font-face`` rules
     (``font-display: swap``) and the font stacks, loaded by base.html only on pages in
     those languages.
2. Fonts embedded in the PDF reports (``doingoai/reports/data/``), TrueType outlines as
   reportlab requires
   * ``NotoSerifSC-Regular.subset.ttf``: Noto Serif SC 400, Google Fonts'
     ``chinese-simplified`` subset (7,333 ideographs chosen by frequency, with CJK
     punctuation, full-width forms, kana and bopomofo) completed with the rest of GB 2312
     from the numbered slices (all but 33 rare characters no slice has), without the
     OpenType layout and vertical-metrics tables reportlab does not use.
   * ``NotoSerifLao-Regular.ttf`` / ``NotoSerifLao-Bold.ttf``: the ``lao`` slice with its
     layout tables (HarfBuzz needs them to stack the tone marks) plus the basic Latin
     punctuation and digits of the ``latin`` slice, so a Lao word with a comma or a
     bracket attached is set, and shaped, in one font.

Run: ``.venv/bin/python scripts/build_fonts.py`` (needs ``fonttools`` and ``brotli``, the
``dev`` extra; and ``npm`` unless ``--sources`` is given).  The output is deterministic
for given package versions; ``--check`` exits non-zero if a committed file differs.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "doingoai" / "static" / "portal"
WEB_FONTS = STATIC / "fonts"
PDF_FONTS = ROOT / "doingoai" / "reports" / "data"

PACKAGES = {
    "noto-sans-sc": (
        "5.3.1",
        "sha512-YxZ/VWAWo9FWzH08Q6fGTzIW6vYNP2TMhUFCnfhlimbhdXnWrxJLrzX3KWt2FKnV0s8XiM5vjpGHQiyFRlTj0w==",
    ),
    "noto-sans-lao": (
        "5.3.0",
        "sha512-wadhgoP3CjhzZMlEShAgJgfmQEby/0QVjXAVZeR053XnGufjZPM4+UZW1AjsDwYhgUNbC/hPW8aHdoHIR/fqQg==",
    ),
    "noto-serif-sc": (
        "5.3.0",
        "sha512-0/zaEFkidiWldE62rTeD74x8ygUsQvejiSNtO0LQxQk3qpaHnlMZ3w4C7yH80B4KTIg8VKeFP4oSgwWMchY9+g==",
    ),
    "noto-serif-lao": (
        "5.0.8",
        "sha512-vrSJ5bPAM7AYTCqEQjTQW9fGRLBg70PH0Nf4FlRxi0hw6WQ6kr9V54siin1JZyZcqplbtwqED7e+H6kdyhlMWQ==",
    ),
}

#: The language switcher's labels (settings.LANGUAGES), shown on every page.
LANGUAGE_NAMES = {"zh-hans": "简体中文", "lo": "ພາສາລາວ"}

#: Fonts a device may already have, tried before ours so those devices download nothing.
SYSTEM_HAN = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC"'
)
SYSTEM_LAO = '"Lao UI", "Lao Sangam MN", "Phetsarath OT", "Noto Sans Lao UI"'
#: portal.css's body stack, less its last generic family.
PORTAL_STACK = '"Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial'

#: What the Lao PDF font takes from the Latin slice: ASCII, no-break space, guillemets,
#: middle dot, dashes, quotes, ellipsis.
LAO_LATIN = [*range(0x20, 0x7F), 0xA0, 0xAB, 0xB7, 0xBB, *range(0x2010, 0x2027), 0x2030]

#: Tables of Noto Serif SC that reportlab never reads (no shaping for Han, no vertical text).
SC_DROPPED_TABLES = ["GSUB", "GPOS", "GDEF", "BASE", "STAT", "vhea", "vmtx"]


# --- sources -------------------------------------------------------------------------------


def integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def fetch(sources: Path | None, work: Path) -> dict[str, Path]:
    """Unpack each package into work/<name>/; returns name → package directory."""
    out = {}
    for name, (version, expected) in PACKAGES.items():
        tarball_name = f"fontsource-{name}-{version}.tgz"
        if sources:
            tarball = sources / tarball_name
        else:
            subprocess.run(  # noqa: S603
                ["npm", "pack", f"@fontsource/{name}@{version}", "--pack-destination", str(work)],  # noqa: S607
                check=True,
                capture_output=True,
            )
            tarball = work / tarball_name
        got = integrity(tarball)
        if got != expected:
            sys.exit(f"{tarball}: integrity {got} is not the pinned {expected}")
        with tarfile.open(tarball) as archive:
            archive.extractall(work / name, filter="data")
        out[name] = work / name / "package"
    return out


# --- unicode ranges ------------------------------------------------------------------------


def parse_range(text: str) -> set[int]:
    points: set[int] = set()
    for part in text.split(","):
        part = part.strip().upper().removeprefix("U+")
        if "-" in part:
            start, end = part.split("-")
            points.update(range(int(start, 16), int(end, 16) + 1))
        elif part:
            points.add(int(part, 16))
    return points


def format_range(points: set[int]) -> str:
    runs: list[str] = []
    ordered = sorted(points)
    start = previous = ordered[0]
    for point in [*ordered[1:], None]:
        if point is not None and point == previous + 1:
            previous = point
            continue
        runs.append(f"U+{start:x}" if start == previous else f"U+{start:x}-{previous:x}")
        if point is not None:
            start = previous = point
    return ",".join(runs)


def face(family: str, url: str, points: set[int], weight: int = 400) -> str:
    return (
        f'@font-face{{font-family:"{family}";font-style:normal;font-weight:{weight};'
        f'font-display:swap;src:url({url}) format("woff2");unicode-range:{format_range(points)}}}'
    )


# --- fonts ---------------------------------------------------------------------------------


def save(font: TTFont, path: Path, flavor: str | None) -> None:
    font.flavor = flavor
    font.recalcTimestamp = False  # the same input gives the same bytes
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=True)
    path.write_bytes(buffer.getvalue())


def tiny_subset(source: Path, text: str, target: Path) -> None:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    save(font, target, "woff2")


def gb2312() -> set[int]:
    """The 6,763 ideographs of GB 2312 (level 1: rows 16–55, level 2: rows 56–87)."""
    points = set()
    for row in range(16, 88):
        for cell in range(1, 95):
            try:
                points.add(ord(bytes([0xA0 + row, 0xA0 + cell]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return points


def add_glyphs(base: TTFont, source: TTFont, points: set[int]) -> None:
    """Copy the glyphs of ``points`` from ``source`` (same design) into ``base``, with their
    advance widths and cmap entries; components are decomposed."""
    order = base.getGlyphOrder()
    taken = set(order)
    source_cmap = source.getBestCmap()
    glyph_set = source.getGlyphSet()
    added: dict[int, str] = {}
    for point in sorted(points):
        source_name = source_cmap[point]
        name = source_name if source_name not in taken else f"uni{point:04X}.added"
        recording = DecomposingRecordingPen(glyph_set)
        glyph_set[source_name].draw(recording)
        pen = TTGlyphPen(None)
        recording.replay(pen)
        base["glyf"].glyphs[name] = pen.glyph()
        base["hmtx"].metrics[name] = source["hmtx"].metrics[source_name]
        order.append(name)
        taken.add(name)
        added[point] = name
    base.setGlyphOrder(order)
    base["glyf"].setGlyphOrder(order)
    for table in base["cmap"].tables:
        if table.isUnicode():
            table.cmap.update(
                added if table.format != 4 else {p: n for p, n in added.items() if p <= 0xFFFF}
            )


def sc_pdf_font(files: Path, target: Path) -> None:
    """Google's chinese-simplified subset of Noto Serif SC 400, completed with the rest of
    GB 2312 from the numbered slices, without the tables reportlab does not read."""
    font = TTFont(files / "noto-serif-sc-chinese-simplified-400-normal.woff2")
    for tag in SC_DROPPED_TABLES:
        if tag in font:
            del font[tag]
    wanted = gb2312() - set(font.getBestCmap())
    for path in sorted(files.glob("noto-serif-sc-[0-9]*-400-normal.woff2")):
        if not wanted:
            break
        source = TTFont(path)
        found = wanted & set(source.getBestCmap())
        if found:
            add_glyphs(font, source, found)
            wanted -= found
    # Google Fonts' slices leave out 33 rare ones (劐坶塥弪憝…): they stay uncovered, and a
    # report that has one logs it.
    print(f"GB 2312 not in Noto Serif SC's slices: {''.join(map(chr, sorted(wanted)))}")
    # The static 400 instance still carries the variable font's default-master names
    # ("Noto Serif SC ExtraLight"); PDF readers show the PostScript name.
    version = font["name"].getDebugName(3).split(";")[0]
    names = {
        1: "Noto Serif SC",
        3: f"{version};GOOG;NotoSerifSC-Regular",
        4: "Noto Serif SC Regular",
        6: "NotoSerifSC-Regular",
    }
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
    save(font, target, None)


def lao_pdf_font(lao_slice: Path, latin_slice: Path, target: Path) -> None:
    """The Lao slice (with GSUB/GPOS) + the basic Latin of the Latin slice."""
    base = TTFont(lao_slice)
    latin = TTFont(latin_slice)
    have, latin_cmap = base.getBestCmap(), latin.getBestCmap()
    add_glyphs(base, latin, {p for p in LAO_LATIN if p in latin_cmap and p not in have})
    save(base, target, None)


# --- output --------------------------------------------------------------------------------


def build(packages: dict[str, Path], out_static: Path, out_pdf: Path) -> None:
    fonts = out_static / "fonts"
    sc_dir, lao_dir = fonts / "noto-sans-sc", fonts / "noto-sans-lao"
    for directory in (sc_dir, lao_dir, out_pdf):
        directory.mkdir(parents=True, exist_ok=True)
    for stale in [*sc_dir.glob("*.woff2"), *lao_dir.glob("*.woff2")]:
        stale.unlink()

    # Noto Sans SC: the numbered slices, Latin cut from their ranges.
    sc = packages["noto-sans-sc"]
    ranges = json.loads((sc / "unicode.json").read_text())
    sc_faces = []
    for key, text in ranges.items():
        if not key.startswith("["):
            continue  # the named Latin/Vietnamese/Cyrillic subsets
        number = key.strip("[]")
        file_name = f"noto-sans-sc-{number}-400-normal.woff2"
        # What the file really maps (Fontsource's ranges claim a few code points, U+FEFF
        # for one, that it does not), less Latin.
        mapped = set(TTFont(sc / "files" / file_name).getBestCmap())
        points = {point for point in parse_range(text) & mapped if point >= 0x2000}
        if not points:
            continue
        shutil.copyfile(sc / "files" / file_name, sc_dir / file_name)
        sc_faces.append(
            (int(number), face("Noto Sans SC", f"fonts/noto-sans-sc/{file_name}", points))
        )
    # Most frequent characters last in Fontsource's numbering: declare them first.
    sc_faces.sort(reverse=True)

    # Noto Sans Lao: the Lao slice, regular and bold.
    lao = packages["noto-sans-lao"]
    lao_range = parse_range(json.loads((lao / "unicode.json").read_text())["lao"])
    lao_faces = []
    for weight in (400, 700):
        file_name = f"noto-sans-lao-lao-{weight}-normal.woff2"
        shutil.copyfile(lao / "files" / file_name, lao_dir / file_name)
        lao_points = lao_range & set(TTFont(lao / "files" / file_name).getBestCmap())
        lao_faces.append(
            face("Noto Sans Lao", f"fonts/noto-sans-lao/{file_name}", lao_points, weight)
        )

    # The other script's label in the language switcher.
    zh_label, lo_label = LANGUAGE_NAMES["zh-hans"], LANGUAGE_NAMES["lo"]
    tiny_subset(
        sc / "files" / "noto-sans-sc-chinese-simplified-400-normal.woff2",
        zh_label,
        sc_dir / "noto-sans-sc-language-name-400-normal.woff2",
    )
    tiny_subset(
        lao / "files" / "noto-sans-lao-lao-400-normal.woff2",
        lo_label,
        lao_dir / "noto-sans-lao-language-name-400-normal.woff2",
    )
    zh_label_face = face(
        "Noto Sans SC",
        "fonts/noto-sans-sc/noto-sans-sc-language-name-400-normal.woff2",
        {ord(c) for c in zh_label},
    )
    lo_label_face = face(
        "Noto Sans Lao",
        "fonts/noto-sans-lao/noto-sans-lao-language-name-400-normal.woff2",
        {ord(c) for c in lo_label},
    )

    header = (
        "/* Generated by scripts/build_fonts.py from {packages}: do not edit by hand.\n"
        "   Fonts: SIL Open Font License 1.1, see fonts/README.md. Loaded by base.html on\n"
        "   {pages} pages only; devices with a {script} font of their own use it and download\n"
        "   nothing. */\n"
    )
    # The script's own fonts come before the Latin ones: Chromium on Linux takes Arial's
    # stand-in (Liberation Sans) for Chinese characters when Arial comes first, and draws
    # empty boxes. Our fonts cover no Latin, so Latin text still reaches PORTAL_STACK.
    han_stack = (
        f'{SYSTEM_HAN}, "Noto Sans SC", {PORTAL_STACK}, {SYSTEM_LAO}, "Noto Sans Lao", sans-serif'
    )
    lao_stack = (
        f'{SYSTEM_LAO}, "Noto Sans Lao", {PORTAL_STACK}, {SYSTEM_HAN}, "Noto Sans SC", sans-serif'
    )
    controls = ":is(body,input,button,select,textarea)"
    (out_static / "fonts-zh-hans.css").write_text(
        header.format(
            packages=f"@fontsource/noto-sans-sc {PACKAGES['noto-sans-sc'][0]}",
            pages="Chinese (zh-hans)",
            script="Chinese",
        )
        + f"html:lang(zh-Hans) {controls}{{font-family:{han_stack}}}\n"
        + "\n".join(f for _, f in sc_faces)
        + "\n"
        + lo_label_face
        + "\n"
    )
    (out_static / "fonts-lo.css").write_text(
        header.format(
            packages=f"@fontsource/noto-sans-lao {PACKAGES['noto-sans-lao'][0]}",
            pages="Lao (lo)",
            script="Lao",
        )
        + f"html:lang(lo) {controls}{{font-family:{lao_stack}}}\n"
        + "\n".join(lao_faces)
        + "\n"
        + zh_label_face
        + "\n"
    )

    for name, target in (
        ("noto-sans-sc", "OFL-NotoSansSC.txt"),
        ("noto-sans-lao", "OFL-NotoSansLao.txt"),
    ):
        shutil.copyfile(packages[name] / "LICENSE", fonts / target)

    # PDF fonts.
    serif_sc = packages["noto-serif-sc"] / "files"
    sc_pdf_font(serif_sc, out_pdf / "NotoSerifSC-Regular.subset.ttf")
    serif_lao = packages["noto-serif-lao"] / "files"
    for weight, style in ((400, "Regular"), (700, "Bold")):
        lao_pdf_font(
            serif_lao / f"noto-serif-lao-lao-{weight}-normal.woff2",
            serif_lao / f"noto-serif-lao-latin-{weight}-normal.woff2",
            out_pdf / f"NotoSerifLao-{style}.ttf",
        )
    for name, target in (
        ("noto-serif-sc", "OFL-NotoSerifSC.txt"),
        ("noto-serif-lao", "OFL-NotoSerifLao.txt"),
    ):
        shutil.copyfile(packages[name] / "LICENSE", out_pdf / target)


def outputs(static: Path, pdf: Path) -> dict[str, bytes]:
    files = [
        static / "fonts-zh-hans.css",
        static / "fonts-lo.css",
        *sorted((static / "fonts").rglob("*.woff2")),
        *sorted((static / "fonts").glob("OFL-*.txt")),
        *sorted(pdf.glob("*.ttf")),
        *sorted(pdf.glob("OFL-*.txt")),
    ]
    return {
        f"{'pdf' if path.is_relative_to(pdf) else 'static'}/{path.name}": path.read_bytes()
        for path in files
        if path.exists()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, help="directory with the package tarballs")
    parser.add_argument("--check", action="store_true", help="fail if the committed files differ")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        packages = fetch(args.sources, work)
        if args.check:
            static, pdf = work / "static", work / "pdf"
            build(packages, static, pdf)
            fresh, committed = outputs(static, pdf), outputs(STATIC, PDF_FONTS)
            stale = sorted(
                k for k in fresh.keys() | committed.keys() if fresh.get(k) != committed.get(k)
            )
            if stale:
                sys.exit("out of date: " + ", ".join(stale))
            print("fonts are up to date")
            return
        build(packages, STATIC, PDF_FONTS)
    for path in sorted([*WEB_FONTS.rglob("*.woff2"), *PDF_FONTS.glob("*.ttf")]):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
