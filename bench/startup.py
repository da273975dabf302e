"""Where a cold start's time goes: the product beside a bare st_folium map and the floor.

    PYTHONPATH=. python bench/startup.py [--runs N]

Starts each app N times, interleaved (a new server and a new browser context each time;
the product's disk cache is filled by one uncounted start first), and prints medians of:
the server's start until it is healthy, the page's open until the map shows its date and,
on the page's own clock (ms after the navigation), when the map's message arrived, when
the map's frame was created and when the map drew. A diagnosis of `bench/run.py`'s
cold-start figure (it sums the first two), not a target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.run import APPS, START, STARTUP_REFERENCES, Session
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

KINDS = ("product", "bare", "floor")
SCRIPTS = {**APPS, **STARTUP_REFERENCES}

#: On the page's clock: the biggest websocket message (the map's, for the apps with a
#: map), the map frame's creation and the map's first draw of the date.
PAGE_TIMES_JS = """(date) => {
  const ws = window.__kbWs || [], frame = performance.getEntriesByType('resource')
    .find(r => r.initiatorType === 'iframe');
  const biggest = ws.reduce((a, b) => (b[1] > a[1] ? b : a), [null, -1]);
  return {map_message: biggest[0], frame_created: frame ? frame.startTime : null,
          map_drawn: (window.__kbMap || {})[date] ?? null};
}"""


def cold_start(browser, kind: str, log_dir: Path) -> dict[str, float | None]:
    started = time.perf_counter()
    server = StreamlitServer(log_dir / f"{kind}.log", script=SCRIPTS[kind])
    try:
        server.wait_healthy()
        healthy = (time.perf_counter() - started) * 1000
        session = Session(browser, server, kind)
        opened = session.open(START)
        times = session.page.evaluate(PAGE_TIMES_JS, START.isoformat())
        session.close()
    finally:
        server.stop()
    return {"healthy": healthy, "open": opened, "total": healthy + opened, **times}


def median(values) -> str:
    values = [v for v in values if v is not None]
    return f"{statistics.median(values):,.0f}" if values else "–"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4)
    args = parser.parse_args(argv)
    log_dir = Path(tempfile.mkdtemp(prefix="kb-startup-"))
    os.environ["KARABAKH_CACHE_DIR"] = str(log_dir / "cache")
    rows: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            cold_start(browser, "product", log_dir)  # fills the disk cache; not counted
            for _ in range(args.runs):
                for kind in KINDS:
                    rows[kind].append(cold_start(browser, kind, log_dir))
        finally:
            browser.close()
    parts = ("total", "healthy", "open", "map_message", "frame_created", "map_drawn")
    print(f"medians of {args.runs} cold starts, ms | " + " | ".join(parts))
    for kind, runs in rows.items():
        print(f"{kind} | " + " | ".join(median(run[p] for run in runs) for p in parts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
