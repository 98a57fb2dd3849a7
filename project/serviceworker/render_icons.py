"""Renders the app icons drawn in templates/static/kamkap/pwa/icon*.svg to PNG with headless Chromium (`make pwa`).

icon-192.png and icon-512.png from icon.svg (purpose "any"), icon-maskable-512.png from icon-maskable.svg (the
drawing inside the safe circle on a full-bleed background). CHROMIUM_PATH, default /usr/bin/chromium.
"""

import base64
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

PWA = Path(__file__).resolve().parents[2] / "templates" / "static" / "kamkap" / "pwa"
ICONS = [
    ("icon.svg", 192, "icon-192.png"),
    ("icon.svg", 512, "icon-512.png"),
    ("icon-maskable.svg", 512, "icon-maskable-512.png"),
]


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu"],
        )
        for source, size, target in ICONS:
            page = browser.new_page(viewport={"width": size, "height": size})
            svg = base64.b64encode((PWA / source).read_bytes()).decode()
            page.set_content(
                f'<html><body style="margin:0;background:transparent"><img src="data:image/svg+xml;base64,{svg}" '
                f'width="{size}" height="{size}" style="display:block"></body></html>'
            )
            page.wait_for_function("document.images[0].complete && document.images[0].naturalWidth > 0")
            page.screenshot(path=PWA / target, omit_background=True)
            page.close()
            print(f"{PWA / target}: {size}x{size}")
        browser.close()


if __name__ == "__main__":
    main()
