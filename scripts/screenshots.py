#!/usr/bin/env python
"""Take screenshots of a running portal (default http://127.0.0.1:8000) into docs/screenshots.

python scripts/screenshots.py [BASE_URL]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def load_lazy_images(page) -> None:
    """Scroll through the page so that loading="lazy" images are fetched."""
    height = page.evaluate("document.body.scrollHeight")
    for y in range(0, height, 600):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(60)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_load_state("networkidle")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        page.goto(f"{BASE}/vi/")
        load_lazy_images(page)
        page.screenshot(path=OUT / "home.png", full_page=True)
        page.locator(".featured__lead h3 a").first.click()
        load_lazy_images(page)
        page.screenshot(path=OUT / "article.png", full_page=True)
        page.goto(f"{BASE}/en/")
        page.screenshot(path=OUT / "home-en.png")
        mobile = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN")
        mobile.goto(f"{BASE}/vi/")
        mobile.screenshot(path=OUT / "home-mobile.png")
        page.goto(f"{BASE}/quan-tri/login/")
        page.fill("input[name=username]", "bientap")
        page.fill("input[name=password]", "doingoai-demo-2026")
        page.click("button[type=submit]")
        page.wait_for_url(f"{BASE}/quan-tri/")
        page.screenshot(path=OUT / "admin-dashboard.png", full_page=True)
        browser.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
