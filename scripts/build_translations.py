#!/usr/bin/env python
"""Build the translation catalogues.

1. Merge the Vietnamese translations we provide for Wagtail, Django and other libraries
   (``i18n/vi/*.po``; first file wins on a clash) into ``doingoai/locale_upstream/vi``.
2. Compile every ``.po`` under ``doingoai/locale`` and ``doingoai/locale_upstream`` to ``.mo``.

Pure Python (polib): no GNU gettext needed on the machine.  ``--check`` exits non-zero when
a committed ``.mo`` is out of date with its ``.po``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "i18n" / "vi"
UPSTREAM = ROOT / "doingoai" / "locale_upstream" / "vi" / "LC_MESSAGES"
# The project catalogue, the upstream overrides, and each app's own catalogue.
CATALOGUE_DIRS = [
    ROOT / "doingoai" / "locale",
    ROOT / "doingoai" / "locale_upstream",
    *sorted((ROOT / "doingoai").glob("*/locale")),
]
JS_SOURCES = {"wagtail_admin_js.po"}
HEADER = {
    "Project-Id-Version": "doingoai",
    "Language": "vi",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}


def merge(files: list[Path]) -> polib.POFile:
    merged = polib.POFile(wrapwidth=0)
    merged.metadata = dict(HEADER)
    seen: set[tuple[str | None, str]] = set()
    for path in files:
        for entry in polib.pofile(str(path)):
            key = (entry.msgctxt, entry.msgid)
            if entry.obsolete or "fuzzy" in entry.flags or key in seen or not entry.msgid:
                continue
            if not (entry.msgstr or any(entry.msgstr_plural.values())):
                continue
            seen.add(key)
            entry.occurrences = []
            merged.append(entry)
    return merged


def build_upstream() -> list[Path]:
    UPSTREAM.mkdir(parents=True, exist_ok=True)
    sources = sorted(SOURCES.glob("*.po"))
    written = []
    for domain, files in (
        ("django", [p for p in sources if p.name not in JS_SOURCES]),
        ("djangojs", [p for p in sources if p.name in JS_SOURCES]),
    ):
        if not files:
            continue
        target = UPSTREAM / f"{domain}.po"
        merge(files).save(str(target))
        written.append(target)
    return written


def compiled_is_current(po_path: Path) -> bool:
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return False
    po = {
        (e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural))
        for e in polib.pofile(str(po_path)).translated_entries()
    }
    mo = {
        (e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in polib.mofile(str(mo_path))
    }
    mo.pop((None, ""), None)
    return po == mo


def compile_all(check: bool) -> int:
    stale = []
    for directory in CATALOGUE_DIRS:
        for po_path in sorted(directory.glob("*/LC_MESSAGES/*.po")):
            if compiled_is_current(po_path):
                continue
            if check:
                stale.append(po_path)
            else:
                polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
                print(f"compiled {po_path.relative_to(ROOT)}")
    for path in stale:
        print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
    return 1 if stale else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only check .mo files are current")
    args = parser.parse_args()
    if not args.check:
        for path in build_upstream():
            print(f"merged {path.relative_to(ROOT)}")
    return compile_all(args.check)


if __name__ == "__main__":
    sys.exit(main())
