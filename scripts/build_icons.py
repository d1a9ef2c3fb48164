"""Build the portal's icon set from its emblem (doingoai/static/portal/emblem.svg).

Writes doingoai/static/portal/icons/: icon.svg, icon-192.png, icon-512.png, maskable-512.png
(the emblem inside the safe zone of a red square, for Android's masks), apple-touch-icon.png
(180 px) and favicon.ico (16, 32 and 48 px). The SVG is rasterised by Debian's Chromium
through Playwright, the ICO written by Pillow. Run after changing the emblem:

    .venv/bin/python scripts/build_icons.py
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
EMBLEM = ROOT / "doingoai" / "static" / "portal" / "emblem.svg"
OUT = ROOT / "doingoai" / "static" / "portal" / "icons"
BACKGROUND = "#a50e0e"  # the portal's red (portal.css --red)


def render(svg: str, size: int, *, background: str | None = None, scale: float = 1.0) -> bytes:
    inner = int(size * scale)
    page_html = (
        "<html><body style='margin:0;display:flex;align-items:center;justify-content:center;"
        f"width:{size}px;height:{size}px;background:{background or 'transparent'}'>"
        f"<div style='width:{inner}px;height:{inner}px'>{svg}</div></body></html>"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": size, "height": size})
        page.set_content(page_html)
        data = page.screenshot(omit_background=background is None)
        browser.close()
    return data


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    svg = EMBLEM.read_text(encoding="utf-8")
    svg = re.sub(r'\s(role|aria-hidden)="[^"]*"', "", svg)
    svg = re.sub(r'width="\d+" height="\d+"', 'width="100%" height="100%"', svg)
    (OUT / "icon.svg").write_text(svg, encoding="utf-8")
    for name, size, background, scale in (
        ("icon-192.png", 192, None, 1.0),
        ("icon-512.png", 512, None, 1.0),
        ("maskable-512.png", 512, BACKGROUND, 0.72),  # the 80 % safe zone, with margin
        ("apple-touch-icon.png", 180, "#ffffff", 0.86),
    ):
        image = Image.open(io.BytesIO(render(svg, size, background=background, scale=scale)))
        image.save(OUT / name, optimize=True)
    big = Image.open(io.BytesIO(render(svg, 48))).convert("RGBA")
    big.save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    print("Icons written to", OUT)


if __name__ == "__main__":
    main()
