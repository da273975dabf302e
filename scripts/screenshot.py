"""Save docs/dashboard.png: the app in headless Chromium, offline, on a chosen view.

Usage: python scripts/screenshot.py [OUT] [QUERY] [WIDTHxHEIGHT]
(default: the blockade, the corridor selected, 1440x1200)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from dashboard.config import REPO_ROOT
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    block_external,
    open_explorer,
    running_server,
)


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO_ROOT / "docs" / "dashboard.png"
    query = sys.argv[2] if len(sys.argv) > 2 else "?date=2022-12-20&place=route:lachin-corridor"
    width, height = (int(x) for x in (sys.argv[3] if len(sys.argv) > 3 else "1440x1200")
                     .split("x"))
    log = Path(tempfile.mkstemp(suffix=".log")[1])
    with running_server(log) as server, sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.route("**/*", lambda route: block_external(route, server.url))
        open_explorer(page, f"{server.url}/{query}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(out))
        browser.close()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
