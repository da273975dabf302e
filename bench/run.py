"""Benchmarks: the real app in headless Chromium, side by side with a floor and a naive map.

    PYTHONPATH=. python bench/run.py            # full suite (make bench), < 10 minutes
    PYTHONPATH=. python bench/run.py --quick    # a few steps of each (make bench-quick)

Writes bench/results.json and bench/RESULTS.md (or --out DIR). Every figure is a median
and p95 of repeated runs; speed figures are also given as ratios to references measured
in the same run, because shared machines are noisy. External requests are blocked.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from dashboard.config import REPO_ROOT
from dashboard.views.mapview import DRAWN_VALUE
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CONTROLS,
    MAP_FRAME,
    SLIDER,
    StreamlitServer,
    block_external,
    running_server,
)

BENCH = REPO_ROOT / "bench"
APPS = {
    "product": REPO_ROOT / "dashboard" / "app.py",
    "floor": BENCH / "floor_app.py",
    "naive": BENCH / "naive_app.py",
}
#: Measured at start-up only: the least any st_folium page pays before its first map.
STARTUP_REFERENCES = {"bare": BENCH / "bare_app.py"}
START = dt.date(2020, 9, 25)  # 40 steps from here cross seven change dates (3 Oct – 25 Oct)

# In-page timing, polled once per animation frame by the page itself (so Playwright's own
# round trips never add to a figure): the page clock when the map (in its same-origin
# iframe) first shows each date, and when the server-rendered page shows it (the
# product's header, the floor's line of text). Both tables restart at every key press.
WATCH_JS = """() => {
  window.__kbPressed = null; window.__kbMap = {}; window.__kbPage = {}; window.__kbWs = [];
  document.addEventListener('keydown', () => {
    window.__kbPressed = performance.now(); window.__kbMap = {}; window.__kbPage = {};
    window.__kbWs = []; }, {capture: true});
  function tick() {
    const now = performance.now(), frame = document.querySelector('MAP_FRAME');
    const box = frame && frame.contentDocument &&
      frame.contentDocument.querySelector('.leaflet-container');
    const shown = box && box.dataset.kbDate;
    if (shown && !(shown in window.__kbMap)) window.__kbMap[shown] = now;
    for (const el of document.querySelectorAll('h3, h4, [data-testid="stMarkdownContainer"] p')) {
      const text = el.textContent;
      if (text.length < 40 && !(text in window.__kbPage)) window.__kbPage[text] = now;
    }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
  // Arrival time and size of every websocket message: where a step's time goes.
  const Native = window.WebSocket;
  window.WebSocket = function (url, protocols) {
    const ws = new Native(url, protocols);
    ws.addEventListener('message', (e) => window.__kbWs.push(
      [performance.now(), e.data.byteLength || e.data.size || e.data.length || 0]));
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native); }""".replace("MAP_FRAME", MAP_FRAME.replace("'", "\\'"))
MAP_SHOWN_JS = """() => {
  const frame = document.querySelector('MAP_FRAME');
  const box = frame && frame.contentDocument &&
    frame.contentDocument.querySelector('.leaflet-container');
  return box ? box.dataset.kbDate || null : null;
}""".replace("MAP_FRAME", MAP_FRAME.replace("'", "\\'"))
BREAKDOWN_JS = """([map, page]) => {
  const t0 = window.__kbPressed, settledAt = page ? window.__kbPage[page] : window.__kbMap[map];
  const settled = settledAt, drawn = map ? window.__kbMap[map] : settledAt;
  const msgs = window.__kbWs.filter(m => m[0] <= settled);
  if (!msgs.length) return null;
  const biggest = msgs.reduce((a, b) => (b[1] > a[1] ? b : a));
  return {map_drawn: drawn - t0, first_message: msgs[0][0] - t0,
          biggest_message: biggest[0] - t0, last_message: msgs[msgs.length - 1][0] - t0,
          page_settled: settled - t0, messages: msgs.length};
}"""


def page_marker(kind: str, date: dt.date) -> str:
    """The text by which the server-rendered page shows ``date`` (the map, for naive)."""
    return {"product": f"{date:%d %B %Y}", "floor": f"floor-date: {date.isoformat()}"}.get(
        kind, "")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 1), "p95": round(percentile(values, 95), 1),
            "n": len(values)}


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class RssSampler:
    """Samples a process's RSS at 10 Hz in a thread; keeps the peak and the samples."""

    def __init__(self, pid: int):
        self.pid, self.samples, self._stop = pid, [], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.samples.append(rss_mb(self.pid))
            time.sleep(0.1)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def peak(self) -> float:
        return max(self.samples, default=0.0)




class Session:
    """One browser tab on one app; counts websocket bytes received."""

    def __init__(self, browser, server: StreamlitServer, kind: str):
        self.kind, self.server = kind, server
        self.context = browser.new_context(viewport={"width": 1400, "height": 1300})
        self.page = self.context.new_page()
        self.page.route("**/*", lambda route: block_external(route, server.url))
        self.ws_bytes = 0
        self.http_bytes = 0
        self.breakdowns: list[dict] = []
        self.page.on("websocket", self._on_websocket)
        self.page.on("requestfinished", self._on_request_finished)
        self.page.add_init_script(f"({WATCH_JS})()")

    def _on_websocket(self, ws):
        ws.on("framereceived", lambda payload: self._count(payload))

    def _count(self, payload):
        self.ws_bytes += len(payload.encode() if isinstance(payload, str) else payload)

    def _on_request_finished(self, request):
        """HTTP bytes on the wire (headers and body as sent, compressed or not)."""
        with contextlib.suppress(PlaywrightError):  # the page closed meanwhile
            sizes = request.sizes()
            self.http_bytes += sizes["responseHeadersSize"] + sizes["responseBodySize"]

    def open(self, date: dt.date) -> float:
        """Load the page on ``date``; return ms until it shows it (map and page)."""
        started = time.perf_counter()
        self.page.goto(f"{self.server.url}/?date={date.isoformat()}")
        self.wait_for(date, timeout=90_000)
        return (time.perf_counter() - started) * 1000

    def complete_ms(self) -> float:
        """After ``open``: ms from the navigation until every control is on the page (the
        product draws its map first and its controls when the map has drawn)."""
        self.page.wait_for_function(
            "(selectors) => selectors.every(s => document.querySelector(s) !== null)",
            arg=list(CONTROLS) if self.kind == "product" else [], polling=20, timeout=90_000)
        return self.page.evaluate(
            "() => performance.now() - performance.getEntriesByType('navigation')[0].startTime")

    def wait_for(self, date: dt.date, timeout: float = 30_000) -> dict[str, float]:
        """Wait until the map and the page show ``date``; ms after the last key press."""
        marker = page_marker(self.kind, date)
        got = self.page.wait_for_function(
            """([map, page]) => {
              const drawn = page && !map ? window.__kbPage[page] : window.__kbMap[map];
              const settled = page ? window.__kbPage[page] : drawn;
              if (drawn === undefined || settled === undefined) return null;
              return {map_drawn: drawn - window.__kbPressed,
                      page_settled: settled - window.__kbPressed};
            }""", arg=["" if self.kind == "floor" else date.isoformat(), marker],
            polling=20, timeout=timeout)
        return got.json_value()

    def shown_date(self) -> str | None:
        """The date the map shows now (None before it is drawn)."""
        return self.page.evaluate(MAP_SHOWN_JS)

    def slider(self):
        return self.page.locator(SLIDER).first

    def step(self, target: dt.date) -> dict[str, float]:
        """ArrowRight once; ms from the key press to the map and the page showing ``target``."""
        self.slider().focus()
        self.page.keyboard.press("ArrowRight")
        times = self.wait_for(target)
        breakdown = self.page.evaluate(BREAKDOWN_JS, [
            "" if self.kind == "floor" else target.isoformat(), page_marker(self.kind, target)])
        if breakdown:
            self.breakdowns.append(breakdown)
        return times

    def close(self):
        self.context.close()


def measure_steps(session: Session, start: dt.date, steps: int
                  ) -> tuple[list[float], list[float], list[int]]:
    """``steps`` ArrowRight presses: map drawn ms, page settled ms, websocket bytes each."""
    session.open(start)
    drawn, settled, frame_bytes = [], [], []
    date = start
    for _ in range(steps):
        date += dt.timedelta(days=1)
        before = session.ws_bytes
        times = session.step(date)
        drawn.append(times["map_drawn"])
        settled.append(times["page_settled"])
        time.sleep(0.05)  # let trailing frames of this step arrive before counting
        frame_bytes.append(session.ws_bytes - before)
    return drawn, settled, frame_bytes


def rapid_scrub(session: Session, start: dt.date, presses: int = 20) -> dict[str, float]:
    """``presses`` ArrowRight 30 ms apart; ms from the last press to the final date shown."""
    session.open(start)
    session.slider().focus()
    for _ in range(presses):
        session.page.keyboard.press("ArrowRight")
        session.page.wait_for_timeout(30)
    return session.wait_for(start + dt.timedelta(days=presses), timeout=60_000)


def zoom_on_the_towns(page) -> None:
    """The first view shows the whole region; towns near Stepanakert overlap there, so a
    click (like a reader's) comes after zooming in on them, once the map has redrawn."""
    page.locator(MAP_FRAME).element_handle().content_frame().evaluate(
        """() => { kbMap.map.setView([39.85, 46.75], 9, {animate: false});
                   return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                 }""")


def click_to_details(session: Session, date: dt.date, place: str, heading: str) -> float:
    """A mouse click at the place's marker, as a reader makes it, to its heading in the
    details panel (a locator click would add Playwright's own checks before clicking)."""
    session.open(date)
    session.complete_ms()  # a reader clicks on the whole page, once its controls are there
    zoom_on_the_towns(session.page)
    box = session.page.frame_locator(MAP_FRAME).locator(
        f'[data-uid="place:{place}"]').bounding_box()
    started = session.page.evaluate("performance.now()")
    session.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    done = session.page.wait_for_function(
        """(text) => { const h = [...document.querySelectorAll('h4')]
             .find(e => e.innerText.includes(text));
           return h ? performance.now() : null; }""",
        arg=heading, polling="raf", timeout=30_000)
    return done.json_value() - started


def run(quick: bool, out_dir: Path) -> dict:
    steps = 6 if quick else 40
    repeats = 1 if quick else 3
    results: dict = {"quick": quick, "machine": machine(), "command": command(quick)}
    log_dir = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    # The servers' disk cache of the prepared dataset starts empty: the first product
    # server prepares the dataset afresh (a first install); the next reads it back.
    os.environ["KARABAKH_CACHE_DIR"] = str(log_dir / "cache")
    with sync_playwright() as play, ExitStack() as stack:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        results["cold_start_empty_cache_ms"] = cold_start_ms(browser, log_dir)
        results["start_up_rounds"] = repeats
        servers = start_ups(browser, log_dir, repeats, results, stack)
        # 1 + 4. step latency and bytes per step, apps interleaved per repeat.
        step_ms = {k: [] for k in APPS}
        settled_ms = {k: [] for k in APPS}
        step_bytes = {k: [] for k in APPS}
        breakdowns = {k: [] for k in APPS}
        for _ in range(repeats):
            for kind in APPS:
                session = Session(browser, servers[kind], kind)
                drawn, settled, frame_bytes = measure_steps(session, START, steps)
                step_ms[kind] += drawn
                settled_ms[kind] += settled
                step_bytes[kind] += frame_bytes
                breakdowns[kind] += session.breakdowns
                session.close()
        results["step_ms"] = {k: summary(v) for k, v in step_ms.items()}
        results["page_settled_ms"] = {k: summary(v) for k, v in settled_ms.items()}
        results["step_breakdown_ms"] = {
            kind: {part: round(statistics.median(b[part] for b in rows), 1)
                   for part in ("map_drawn", "first_message", "biggest_message",
                                "last_message", "page_settled", "messages")}
            for kind, rows in breakdowns.items() if rows}
        results["server_run_ms"] = server_run_ms(8 if quick else 30)
        results["bytes_per_step"] = {k: summary(v) for k, v in step_bytes.items()}
        # 2. rapid scrub, product vs floor.
        scrub = {k: [] for k in ("product", "floor")}
        for _ in range(repeats):
            for kind in scrub:
                session = Session(browser, servers[kind], kind)
                scrub[kind].append(rapid_scrub(session, START))
                session.close()
        results["rapid_scrub_settled_ms"] = {
            k: summary([t["map_drawn"] for t in v]) for k, v in scrub.items()}
        results["rapid_scrub_page_settled_ms"] = {
            k: summary([t["page_settled"] for t in v]) for k, v in scrub.items()}
        # 3. click to details.
        clicks = []
        for _ in range(1 if quick else 10):  # 5 clicks' median moved by ±40 ms between runs
            session = Session(browser, servers["product"], "product")
            clicks.append(click_to_details(session, dt.date(2021, 1, 1), "shusha",
                                           "Shushi / Shusha"))
            session.close()
        results["click_to_details_ms"] = summary(clicks)
        # 6. scale and soak on the product.
        results["scale"] = scale(browser, servers["product"], 3 if quick else 20,
                                 4 if quick else 10)
        results["soak"] = soak(browser, servers["product"], 30 if quick else 1000)
        # 7. the published edition, side by side with the explorer.
        from bench.published import measure as measure_published
        results["published"] = measure_published(browser, START.isoformat(),
                                                 50 if quick else 500)
    results["ratios"] = ratios(results)
    results["targets"] = targets(results)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    (out_dir / "RESULTS.md").write_text(render_markdown(results))
    return results


def start_ups(browser, log_dir: Path, rounds: int, results: dict,
              stack: ExitStack) -> dict[str, StreamlitServer]:
    """Cold start and second visitor of every app, ``rounds`` times with the apps
    interleaved (a new server each time), into ``results`` as medians. Returns the last
    round's servers of ``APPS``, left running for the steps."""
    runs: dict[str, dict[str, list[float]]] = {}
    servers = {}
    for round_ in range(rounds):
        for kind, script in {**APPS, **STARTUP_REFERENCES}.items():
            started = time.perf_counter()
            server = StreamlitServer(log_dir / f"{kind}-{round_}.log", script=script)
            stack.callback(server.stop)  # also if a measurement fails (stop is idempotent)
            server.wait_healthy()
            first = Session(browser, server, kind)
            boot_ms = (time.perf_counter() - started) * 1000
            got = runs.setdefault(kind, {})
            got.setdefault("cold_start_ms", []).append(boot_ms + first.open(START))
            got.setdefault("cold_start_complete_ms", []).append(boot_ms + first.complete_ms())
            second = Session(browser, server, kind)
            got.setdefault("second_visitor_ms", []).append(second.open(START))
            got.setdefault("second_visitor_complete_ms", []).append(second.complete_ms())
            got.setdefault("first_load_bytes", []).append(first.ws_bytes + first.http_bytes)
            first.close()
            second.close()
            if kind in APPS and round_ == rounds - 1:
                servers[kind] = server
            else:
                server.stop()
    for kind, got in runs.items():
        for figure, values in got.items():
            results.setdefault(figure, {})[kind] = round(statistics.median(values))
    return servers


def cold_start_ms(browser, log_dir: Path) -> int:
    """A new product server's first map, the dataset prepared afresh (its disk cache empty)."""
    started = time.perf_counter()
    with running_server(log_dir / "product-empty-cache.log") as server:
        session = Session(browser, server, "product")
        first_ms = (time.perf_counter() - started) * 1000 + session.open(START)
        session.close()
    return round(first_ms)


def server_run_ms(steps: int) -> dict:
    """The page's Python work per step, in-process (AppTest): no browser, no network."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(APPS["product"]), default_timeout=120)
    app.query_params["date"] = START.isoformat()
    app.session_state["map"] = dict(DRAWN_VALUE)  # the map has drawn: the whole page
    app.run()
    timings, date = [], START
    for _ in range(steps):
        date += dt.timedelta(days=1)
        started = time.perf_counter()
        app.slider(key="date").set_value(date).run()
        timings.append((time.perf_counter() - started) * 1000)
    return summary(timings)


def scale(browser, server: StreamlitServer, sessions: int, steps: int) -> dict:
    """``sessions`` tabs scrubbing at once (threads can't share Playwright: interleave)."""
    tabs = [Session(browser, server, "product") for _ in range(sessions)]
    single = Session(browser, server, "product")
    single_drawn, single_settled, _ = measure_steps(single, START, steps)
    single.close()
    with RssSampler(server.proc.pid) as rss:
        for tab in tabs:
            tab.open(START)
        drawn: list[float] = []
        settled: list[float] = []
        date = START
        for _ in range(steps):
            date += dt.timedelta(days=1)
            for tab in tabs:  # press in every tab first, so the server sees them together
                tab.slider().focus()
                tab.page.keyboard.press("ArrowRight")
            for tab in tabs:  # each tab timed itself (page clock), whenever we ask
                times = tab.wait_for(date, timeout=120_000)
                drawn.append(times["map_drawn"])
                settled.append(times["page_settled"])
    for tab in tabs:
        tab.close()
    time.sleep(2)
    return {"sessions": sessions, "steps_each": steps, "step_ms": summary(drawn),
            "page_settled_ms": summary(settled),
            "single_session_step_ms": summary(single_drawn),
            "single_session_page_settled_ms": summary(single_settled),
            "peak_rss_mb": round(rss.peak), "rss_after_close_mb": round(rss_mb(server.proc.pid))}


def soak(browser, server: StreamlitServer, steps: int) -> dict:
    session = Session(browser, server, "product")
    session.open(START)
    samples: list[tuple[int, float]] = []
    date = START
    for i in range(1, steps + 1):
        date += dt.timedelta(days=1)
        if date > dt.date(2024, 12, 31):
            session.open(START)
            date = START + dt.timedelta(days=1)
        session.step(date)
        if i % 25 == 0:
            samples.append((i, rss_mb(server.proc.pid)))
    session.close()
    warm = [rss for i, rss in samples if i >= steps // 5] or [rss for _, rss in samples]
    growth = (warm[-1] - warm[0]) / warm[0] * 100 if warm and warm[0] else 0.0
    return {"steps": steps, "rss_mb_samples": samples, "rss_growth_after_warmup_pct":
            round(growth, 1)}


def ratios(r: dict) -> dict:
    step, settled, scale_ = r["step_ms"], r["page_settled_ms"], r["scale"]
    return {
        "product_over_floor_p50": round(step["product"]["median"] / step["floor"]["median"], 2),
        "naive_over_product_p50": round(step["naive"]["median"] / step["product"]["median"], 2),
        "settled_product_over_floor_p50": round(
            settled["product"]["median"] / settled["floor"]["median"], 2),
        "scale_p95_over_single_p95": round(
            scale_["step_ms"]["p95"] / scale_["single_session_step_ms"]["p95"], 2),
        "scale_settled_p95_over_single_p95": round(
            scale_["page_settled_ms"]["p95"] / scale_["single_session_page_settled_ms"]["p95"],
            2),
        # A cold visit: an empty browser cache on a running server, for both editions.
        "published_first_map_over_explorer": round(
            r["published"]["first_map_ms"] / r["second_visitor_ms"]["product"], 2),
        "published_bytes_over_explorer": round(
            r["published"]["first_view_bytes"] / r["first_load_bytes"]["product"], 2),
        "zoom_own_over_leaflet_labels": round(
            r["published"]["zoom"]["own_ms"] / r["published"]["zoom"]["leaflet_ms"], 2),
    }


def targets(r: dict) -> list[dict]:
    step, ratio = r["step_ms"]["product"], r["ratios"]

    def row(name: str, target: str, value: str, met: bool) -> dict:
        return {"figure": name, "target": target, "measured": value, "met": met}
    return [
        row("step latency p50", "≤ 1.5 × floor and ≤ 100 ms",
            f"{step['median']} ms = {ratio['product_over_floor_p50']} × floor",
            ratio["product_over_floor_p50"] <= 1.5 and step["median"] <= 100),
        row("step latency vs naive", "≥ 4 × faster",
            f"naive is {ratio['naive_over_product_p50']} × slower",
            ratio["naive_over_product_p50"] >= 4),
        row("rapid scrub settled", "≤ 150 ms after the last press",
            f"{r['rapid_scrub_settled_ms']['product']['median']} ms",
            r["rapid_scrub_settled_ms"]["product"]["median"] <= 150),
        row("click to details p50", "≤ 400 ms", f"{r['click_to_details_ms']['median']} ms",
            r["click_to_details_ms"]["median"] <= 400),
        row("bytes per step", "≤ 50 KB",
            f"{r['bytes_per_step']['product']['median'] / 1000:.1f} KB (median)",
            r["bytes_per_step"]["product"]["median"] <= 50_000),
        row("cold start to first map", "≤ 4 s",
            f"{r['cold_start_ms']['product'] / 1000:.2f} s (empty disk cache "
            f"{r['cold_start_empty_cache_ms'] / 1000:.2f} s; bare st_folium map "
            f"{r['cold_start_ms']['bare'] / 1000:.2f} s, floor "
            f"{r['cold_start_ms']['floor'] / 1000:.2f} s)",
            r["cold_start_ms"]["product"] <= 4000),
        row("second visitor first map", "≤ 1.5 s",
            f"{r['second_visitor_ms']['product'] / 1000:.2f} s (bare st_folium map "
            f"{r['second_visitor_ms']['bare'] / 1000:.2f} s, floor "
            f"{r['second_visitor_ms']['floor'] / 1000:.2f} s)",
            r["second_visitor_ms"]["product"] <= 1500),
        row(f"{r['scale']['sessions']} sessions: step p95", "≤ 3 × single-session p95",
            f"{r['scale']['step_ms']['p95']} ms = {ratio['scale_p95_over_single_p95']} × single",
            ratio["scale_p95_over_single_p95"] <= 3),
        row(f"{r['scale']['sessions']} sessions: server RSS", "≤ 800 MB",
            f"{r['scale']['peak_rss_mb']} MB peak", r["scale"]["peak_rss_mb"] <= 800),
        row(f"soak {r['soak']['steps']} steps", "RSS growth ≤ 5 % after warm-up",
            f"{r['soak']['rss_growth_after_warmup_pct']} %",
            r["soak"]["rss_growth_after_warmup_pct"] <= 5),
        row("published: first map, cold visit", "≤ 0.35 × the explorer's",
            f"{r['published']['first_map_ms']} ms = "
            f"{ratio['published_first_map_over_explorer']} × the explorer's "
            f"{r['second_visitor_ms']['product']} ms",
            ratio["published_first_map_over_explorer"] <= 0.35),
        row("published: bytes for the first view", "≤ 0.3 × the explorer's",
            f"{r['published']['first_view_bytes'] / 1e6:.2f} MB = "
            f"{ratio['published_bytes_over_explorer']} × the explorer's "
            f"{r['first_load_bytes']['product'] / 1e6:.2f} MB",
            ratio["published_bytes_over_explorer"] <= 0.3),
        row(f"zoom in to the {r['published']['zoom']['village_labels']} village names p50",
            "≤ 0.25 × Leaflet's own labels",
            f"{r['published']['zoom']['own_ms']} ms = {ratio['zoom_own_over_leaflet_labels']}"
            f" × Leaflet's {r['published']['zoom']['leaflet_ms']} ms",
            ratio["zoom_own_over_leaflet_labels"] <= 0.25),
        row(f"published: {r['published']['load']['clients']} concurrent clients",
            "0 errors", f"{r['published']['load']['errors']} errors in "
            f"{r['published']['load']['requests']:,} requests "
            f"({r['published']['load']['megabytes']} MB in {r['published']['load']['seconds']} s)",
            r["published"]["load"]["errors"] == 0),
    ]


def machine() -> dict:
    def first_line(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10
                                  ).stdout.strip().splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "unknown"
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem_kb / 2**20, 1),
            "python": platform.python_version(), "chromium": first_line([CHROMIUM, "--version"]),
            "os": platform.platform(), "date": dt.date.today().isoformat()}


def command(quick: bool) -> str:
    return "make bench-quick" if quick else "make bench"


def render_markdown(r: dict) -> str:
    m, ratio = r["machine"], r["ratios"]
    lines = [
        "# Benchmark results",
        "",
        f"Measured with `{r['command']}` on {m['date']}: {m['cores']} cores ({m['cpu']}), "
        f"{m['memory_gb']} GB, Python {m['python']}, {m['chromium']}, {m['os']}. "
        "Headless Chromium drove each app on loopback with external requests blocked. "
        "Each page timed itself: a loop run once per animation frame records the page "
        "clock when the map (inside its iframe) first shows a date, and when the "
        "server-rendered page shows it; latencies run from the key press. Medians and p95 "
        "over all steps.",
        "",
        "| figure | target | measured | met |",
        "|---|---|---|---|",
    ]
    lines += [f"| {t['figure']} | {t['target']} | {t['measured']} | "
              f"{'yes' if t['met'] else '**no**'} |" for t in r["targets"]]
    lines += ["", "Side by side (same run). *Map drawn*: the map shows the new date. "
              "*Page settled*: the server's answer is on the page too (the product's header "
              "and details, the floor's line of text); for the naive map the two are the "
              "same. *Bytes*: websocket frames received; on first load, plus every HTTP "
              "response as sent (headers and body) to the first visitor. *Cold start*: "
              "a new server's start to its first visitor's map; *2nd visitor*: the next "
              "visitor's map; both medians of "
              f"{r['start_up_rounds']} rounds, the apps interleaved.", "",
              "| app | map drawn p50 ms | p95 ms | page settled p50 ms | p95 ms | "
              "bytes/step p50 | first load bytes | cold start ms | 2nd visitor ms |",
              "|---|---|---|---|---|---|---|---|---|"]
    for kind in APPS:
        step, settled = r["step_ms"][kind], r["page_settled_ms"][kind]
        drawn = "– | –" if kind == "floor" else f"{step['median']} | {step['p95']}"
        lines.append(
            f"| {kind} | {drawn} | {settled['median']} | "
            f"{settled['p95']} | {r['bytes_per_step'][kind]['median']:.0f} | "
            f"{r['first_load_bytes'][kind]:,} | {r['cold_start_ms'][kind]:,} | "
            f"{r['second_visitor_ms'][kind]:,} |")
    scale_, soak_ = r["scale"], r["soak"]
    lines += ["", "- **floor**: a Streamlit page whose slider only updates a line of text "
              "(its only output, so its figure in the step ratio is its page settled).",
              "- **naive**: the project's map rebuilt and re-sent in full each step "
              "(`bench/naive_app.py`).",
              "- **product**: `dashboard/app.py`, started as `make run` starts it "
              "(`python -m dashboard.serve`).",
              "- **bare**: an empty st_folium map with nothing around it "
              "(`bench/bare_app.py`), measured at start-up only: cold start "
              f"{r['cold_start_ms']['bare']:,} ms, second visitor "
              f"{r['second_visitor_ms']['bare']:,} ms.",
              "- **product, page complete**: every control on the page too (the product "
              "draws its map first, the rest when the map has drawn): cold start "
              f"{r['cold_start_complete_ms']['product']:,} ms, second visitor "
              f"{r['second_visitor_complete_ms']['product']:,} ms.",
              "- **product, empty disk cache**: the cold start of a server that prepares "
              "the dataset afresh, as on a first install (the product's cold start above "
              "reads it from the disk cache the first server wrote): "
              f"{r['cold_start_empty_cache_ms']:,} ms.", "",
              f"Page settled, product over floor (p50): {ratio['settled_product_over_floor_p50']}"
              " ×.", "",
              "Rapid scrub (20 presses 30 ms apart, from the last press): map drawn "
              f"{fmt(r['rapid_scrub_settled_ms']['product'])}; page settled "
              f"{fmt(r['rapid_scrub_page_settled_ms']['product'])}; floor "
              f"{fmt(r['rapid_scrub_page_settled_ms']['floor'])}.", "",
              f"Scale ({scale_['sessions']} sessions, {scale_['steps_each']} steps each): map "
              f"drawn {fmt(scale_['step_ms'])} against one session's "
              f"{fmt(scale_['single_session_step_ms'])}; page settled "
              f"{fmt(scale_['page_settled_ms'])} against "
              f"{fmt(scale_['single_session_page_settled_ms'])} "
              f"(p95 {ratio['scale_settled_p95_over_single_p95']} × single). Server RSS peak "
              f"{scale_['peak_rss_mb']} MB, {scale_['rss_after_close_mb']} MB after the tabs "
              "closed.", "",
              f"Soak: {soak_['steps']} steps, RSS growth {soak_['rss_growth_after_warmup_pct']} %"
              f" after warm-up (MB every 25 steps: {soak_['rss_mb_samples'][:3]} … "
              f"{soak_['rss_mb_samples'][-3:]}).", ""]
    lines += where_the_time_goes(r)
    return "\n".join(lines)


def fmt(s: dict) -> str:
    return f"p50 {s['median']} ms, p95 {s['p95']} ms (n={s['n']})"


def where_the_time_goes(r: dict) -> list[str]:
    """The profile of a step (page clock, ms after the key press) and what it explains."""
    parts = r.get("step_breakdown_ms", {})
    lines = ["## Where the time goes", "",
             "Median over the step runs, ms after the key press (page clock): the map drawn, "
             "the first websocket message from the server, the biggest one (the map's, for "
             "the product), the last one, and the page settled.", "",
             "| app | map drawn | first message | biggest message | last message | "
             "page settled | messages |", "|---|---|---|---|---|---|---|"]
    for kind, b in parts.items():
        lines.append(f"| {kind} | {b['map_drawn']} | {b['first_message']} | "
                     f"{b['biggest_message']} | {b['last_message']} | {b['page_settled']} | "
                     f"{b['messages']} |")
    server = r.get("server_run_ms", {})
    cold, second = r["cold_start_ms"], r["second_visitor_ms"]
    lines += ["", f"The page's Python work for one step, run in-process with AppTest (no "
              f"browser, no network): median {server.get('median')} ms, p95 "
              f"{server.get('p95')} ms.", "",
              "Reading the figures: the product's map does not wait for the server. It "
              "holds every feature's style on every change date (one static file, fetched "
              "once) and follows the date slider in the page, so a step is drawn in the "
              "next frames, before the server's first message arrives. The server's run "
              "still follows (the header, the details panel, the link), and its "
              "round trip, *page settled*, is what Streamlit itself allows: compare it with "
              "the floor. A click is reported to the server at once; st_folium would wait "
              "250 ms first. Click to details is timed from a mouse click at the marker "
              "(zoomed in on the towns, the map redrawn) to the place's heading; the details "
              "panel draws the six claims and events nearest the date as escaped HTML and "
              "lists the rest on request. After every page run Streamlit collects garbage "
              "before it reports the run finished; the objects that live as long as the "
              "server (the dataset, the libraries) are kept out of those collections "
              "(`page.settle_heap`), which took about 200 ms a run when they were walked.", "",
              "Start-up: the bare st_folium map is the least a page built on st_folium "
              "pays before its first map (Streamlit's front end, the component's iframe, "
              "Leaflet); the floor, without a map, is less again. A new browser loads the "
              "code of each kind of Streamlit widget on first use, dozens of files from the "
              "Python server, and on two cores those loads held the map back by about a "
              "second; so a session's first run sends the title, the header and the map, "
              "and the controls follow when the map reports its first draw (*page "
              "complete*). The product adds its first page run (for a new server: importing "
              "folium, shapely and pydantic and preparing the dataset, which "
              "`dashboard.serve` starts while the browser loads) and its geometry: here "
              f"{(cold['product'] - cold['bare']) / 1000:+.2f} s on a cold start and "
              f"{(second['product'] - second['bare']) / 1000:+.2f} s for a second visitor. The "
              f"second-visitor target (1.5 s) is about the bare map's own figure "
              f"({second['bare'] / 1000:.2f} s) on this machine.", "",
              "Scale: all tabs run in one headless Chromium on the same two cores as the "
              "server. A tab's map redraw waits for its renderer, which shares those cores "
              "with nineteen other tabs rendering the server's answers, and the page "
              "settled figure adds the server's queue on a saturated machine (20 page "
              "runs per round on two cores). The server's memory is flat; measuring its "
              "latency alone would need clients lighter than browsers.", ""]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few steps of each figure")
    parser.add_argument("--out", type=Path, default=BENCH, help="where to write the results")
    parser.add_argument("--render", action="store_true",
                        help="only rewrite RESULTS.md from the results.json in --out")
    args = parser.parse_args(argv)
    if args.render:
        results = json.loads((args.out / "results.json").read_text())
        (args.out / "RESULTS.md").write_text(render_markdown(results))
        return 0
    results = run(args.quick, args.out)
    print((args.out / "RESULTS.md").read_text())
    return 0 if results else 1


if __name__ == "__main__":
    sys.exit(main())

