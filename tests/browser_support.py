"""A real Streamlit server on a free port and a headless Debian Chromium driven by Playwright.

Shared by the browser tests and the benchmarks. No fixed ports, no fixed sleeps: every
wait is for a condition, with a deadline.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from dashboard.config import REPO_ROOT
from dashboard.serve import APP

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
MAP_FRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'
SLIDER = '[data-testid="stSlider"] input[type="range"]'
#: The explorer's controls, which the page sends once its map has drawn (the date slider
#: and the place box): when both are there, the page is complete.
CONTROLS = (SLIDER, 'input[aria-label^="Find a place"]')


#: axe-core (Deque's accessibility engine, bundled by the axe-playwright-python package),
#: run with the rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA.
AXE_JS = importlib.resources.files("axe_playwright_python") / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def wcag_failures(frame, skip: tuple[str, ...] = ()) -> list[str]:
    """axe-core's WCAG A/AA violations in ``frame`` (a Playwright page or frame), one line
    each: rule, how many elements, the first element and why. ``skip``: rule ids the
    caller leaves out, with its reason where it calls this."""
    if not frame.evaluate("typeof window.axe !== 'undefined'"):
        frame.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    violations = frame.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => [v.id, v.nodes.length, v.nodes[0].html.slice(0, 120),"
        " (v.nodes[0].failureSummary || '').slice(0, 240)])", WCAG_AA)
    return [f"{rule} ×{count}: {html} — {why}" for rule, count, html, why in violations
            if rule not in skip]


def map_drawn_selector(date: str | None = None) -> str:
    """The map's box once it shows ``date`` (any date if None)."""
    return (".leaflet-container[data-kb-date]" if date is None else
            f'.leaflet-container[data-kb-date="{date}"]')


def open_explorer(page, url: str, date: str | None = None) -> None:
    """Open the explorer and wait for its map to show ``date`` (any if None), then for its
    controls, which the page sends once the map has drawn."""
    page.goto(url)
    page.frame_locator(MAP_FRAME).locator(map_drawn_selector(date)).wait_for(timeout=60_000)
    wait_for_controls(page)


def wait_for_controls(page) -> None:
    """Until the explorer's page is complete (``CONTROLS``)."""
    for selector in CONTROLS:
        page.locator(selector).first.wait_for(timeout=60_000)


def wait_for_url_with(page, *parts: str) -> None:
    """Until the page's address holds every one of ``parts``. Streamlit writes query
    parameters to the address in its own message, which can come after the page has drawn
    what they describe, so a test reads the address only once it has caught up."""
    page.wait_for_url(lambda url: all(part in url for part in parts), timeout=30_000)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """The app on loopback (``python -m dashboard.serve``); the log is kept for failures."""

    def __init__(self, log_path: Path, env: dict[str, str] | None = None,
                 script: Path = APP):
        """``script``: the product (started as ``make run`` does) or a benchmark app."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "w")  # closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", *(("dashboard.serve",) if script == APP else (
                "streamlit", "run", str(script))),
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--server.enableStaticServing", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=REPO_ROOT, stdout=self._log, stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.log()}")
            with contextlib.suppress(OSError):
                health = f"{self.url}/_stcore/health"  # always http://127.0.0.1:<port>
                with urllib.request.urlopen(health, timeout=2) as reply:  # noqa: S310
                    if reply.status == 200:
                        return
            time.sleep(0.1)
        raise TimeoutError(f"streamlit not healthy after {timeout}s:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-5000:]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()


@contextlib.contextmanager
def running_server(log_path: Path, env: dict[str, str] | None = None
                   ) -> Iterator[StreamlitServer]:
    server = StreamlitServer(log_path, env)
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


def block_external(route, allowed_prefix: str) -> None:
    """Playwright route handler: only the app's own origin is reachable."""
    if route.request.url.startswith(allowed_prefix) or route.request.url.startswith(
            ("data:", "blob:", "about:")):
        route.continue_()
    else:
        route.abort()


@contextlib.contextmanager
def static_server(root: Path) -> Iterator[str]:
    """A plain static file server (``python -m http.server``) on a free port: no Python of
    the project runs while the published folder is read."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(root)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(url + "/", timeout=2):  # noqa: S310
                    break
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
