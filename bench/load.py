"""Load test: many browser sessions scrubbing and clicking against one server, on loopback.

    PYTHONPATH=. python bench/load.py                 # 20 sessions for 3 minutes (make load)
    PYTHONPATH=. python bench/load.py --sessions 4 --minutes 0.3 --out DIR   # smoke test

Checks that the server logs no error, that every session still answers at the end, and
that memory returns near its baseline once the sessions disconnect. Bounded in time and
in count; it talks only to the server it starts on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from bench.run import START, RssSampler, Session, rss_mb, zoom_on_the_towns
from dashboard.config import REPO_ROOT
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, MAP_FRAME, StreamlitServer

CLICK_EVERY = 5  # rounds between clicks on a town marker in each session
PLACES = ("shusha", "stepanakert", "martakert", "askeran", "khojaly")
SERVER_ERROR = re.compile(r"Traceback|Exception|Error", re.I)


def _answers(tab: Session, date: dt.date, timeout: float = 60_000) -> bool:
    """Whether the tab shows ``date`` within ``timeout`` ms: its map, and the server's answer."""
    try:
        tab.wait_for(date, timeout=timeout)
    except PlaywrightTimeout:
        return False
    return True


def _catch_up(tab: Session, date: dt.date) -> None:
    """Press ArrowRight/Left until the tab's slider reaches ``date`` (bounded)."""
    for _ in range(10):
        shown = tab.shown_date()
        if shown == date.isoformat():
            return
        key = "ArrowRight" if shown is None or shown < date.isoformat() else "ArrowLeft"
        tab.slider().focus()
        tab.page.keyboard.press(key)
        tab.page.wait_for_timeout(1000)


def run(sessions: int, minutes: float, out_dir: Path) -> dict:
    log = Path(tempfile.mkdtemp(prefix="kb-load-")) / "server.log"
    server = StreamlitServer(log)
    try:
        server.wait_healthy()
        with sync_playwright() as play:
            browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            warm = Session(browser, server, "product")
            warm.open(START)
            warm.close()
            time.sleep(2)
            baseline = rss_mb(server.proc.pid)
            tabs = [Session(browser, server, "product") for _ in range(sessions)]
            steps = clicks = late = 0
            with RssSampler(server.proc.pid) as rss:
                for tab in tabs:
                    tab.open(START)
                deadline = time.monotonic() + minutes * 60
                date, rounds = START, 0
                while time.monotonic() < deadline and date < dt.date(2024, 12, 1):
                    rounds += 1
                    date += dt.timedelta(days=1)
                    for tab in tabs:
                        tab.slider().focus()
                        tab.page.keyboard.press("ArrowRight")
                    for tab in tabs:
                        if _answers(tab, date):
                            steps += 1
                        else:  # counted, then the tab is brought back in step
                            late += 1
                            _catch_up(tab, date)
                    if rounds % CLICK_EVERY == 0:
                        for i, tab in enumerate(tabs):
                            zoom_on_the_towns(tab.page)
                            place = PLACES[(rounds // CLICK_EVERY + i) % len(PLACES)]
                            tab.page.frame_locator(MAP_FRAME).locator(
                                f'[data-uid="place:{place}"]').click(timeout=60_000)
                            clicks += 1
                        for tab in tabs:
                            try:
                                tab.page.locator("h4").first.wait_for(timeout=60_000)
                            except PlaywrightTimeout:
                                late += 1
                # Every session must still answer: one more step each, checked one by one.
                answering = 0
                for tab in tabs:
                    _catch_up(tab, date)
                    tab.slider().focus()
                    tab.page.keyboard.press("ArrowRight")
                    answering += _answers(tab, date + dt.timedelta(days=1))
                for tab in tabs:
                    tab.close()
                browser.close()
            time.sleep(15)  # let the server notice the closed sockets and drop the sessions
            after = rss_mb(server.proc.pid)
    finally:
        server.stop()
    errors = [line for line in log.read_text(errors="replace").splitlines()
              if SERVER_ERROR.search(line)]
    result = {
        "sessions": sessions, "minutes": minutes, "rounds": rounds, "steps": steps,
        "clicks": clicks, "actions_late_over_60s": late,
        "sessions_answering_at_end": answering,
        "server_error_lines": len(errors), "first_errors": errors[:5],
        "rss_baseline_mb": round(baseline), "rss_peak_mb": round(rss.peak),
        "rss_after_disconnect_mb": round(after),
        "rss_after_over_baseline_pct": round((after - baseline) / baseline * 100, 1),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "load.json").write_text(json.dumps(result, indent=1) + "\n")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench")
    args = parser.parse_args(argv)
    result = run(args.sessions, args.minutes, args.out)
    print(json.dumps(result, indent=1))
    ok = result["server_error_lines"] == 0 and result["sessions_answering_at_end"] == (
        args.sessions)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
