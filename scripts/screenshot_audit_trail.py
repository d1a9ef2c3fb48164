#!/usr/bin/env python
"""Screenshot of the audit log (Nhật ký thao tác) into docs/screenshots/audit-trail.png.

It *changes* the portal it is pointed at — an editor edits a register record and exports the
listing, an administrator changes an officer's e-mail address — so that the log has fresh
entries to show: run it against a copy of the demo, never the shared one::

    DOINGOAI_VAR_DIR=/tmp/x python manage.py migrate        # a copy of var/doingoai.sqlite3
    DOINGOAI_VAR_DIR=/tmp/x python manage.py runserver 127.0.0.1:8016 --noreload
    python scripts/screenshot_audit_trail.py http://127.0.0.1:8016
"""

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8016"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "audit-trail.png"
PASSWORD = "doingoai-demo-2026"  # noqa: S105 (the demo accounts, documented in README)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def sign_in(page, username: str) -> None:
    page.goto(f"{BASE}/quan-tri/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{BASE}/quan-tri/")


def save(page) -> None:
    page.locator("footer button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        editor = browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        sign_in(editor, "bientap")
        editor.goto(f"{BASE}/quan-tri/so-theo-doi/hop-bao/")
        editor.locator("table.listing tbody a").first.click()
        editor.wait_for_load_state("networkidle")
        editor.fill("#id_title", "Họp báo thường kỳ về kết quả phát triển kinh tế - xã hội")
        editor.fill("#id_spokesperson", "Nguyễn Thị Hoa, Phó Giám đốc Sở")
        save(editor)
        editor.request.get(f"{BASE}/quan-tri/so-theo-doi/doan-ra/?export=xlsx")

        admin = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
        sign_in(admin, "quantri")
        admin.goto(f"{BASE}/quan-tri/users/?q=phongvien")
        admin.locator("table.listing tbody a").first.click()
        admin.wait_for_load_state("networkidle")
        admin.fill("#id_email", "phongvien.laocai@example.vn")
        save(admin)
        today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y")
        admin.goto(f"{BASE}/quan-tri/nhat-ky-thao-tac/?timestamp_from={today}&timestamp_to={today}")
        admin.wait_for_load_state("networkidle")
        # The filter menu open at the date range: dd/mm/yyyy.
        admin.locator(".w-slim-header-action-button").first.click()
        admin.locator("button.w-drilldown__toggle", has_text="Khoảng ngày").click()
        admin.wait_for_timeout(300)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        admin.screenshot(path=OUT, full_page=False)
        browser.close()
    print(f"screenshot: {OUT}")


if __name__ == "__main__":
    main()
