"""The published edition in the benchmark: cold visit, first-view bytes, many clients.

Run from ``bench/run.py`` in the same run as the explorer, so the figures sit side by side:
the site is published into a temporary folder and read from a plain threaded static file
server on loopback (the kind of server a CDN stands for), with no Python of the project.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import statistics
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dashboard.config import default_data_dir
from dashboard.engine import Timeline
from dashboard.load import load_dataset
from dashboard.views import mapview
from dashboard.views.publish import publish
from tests.browser_support import block_external, free_port

#: What a reader's browser fetches before the first map is drawn.
FIRST_VIEW = ("index.html", "leaflet/leaflet.css", "kbmap.css", "site.css",
              "leaflet/leaflet.js", "kbmap.js", "page.js", "data/timeline.json",
              "data/geometry.json", "data/states.json")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the bench counts errors itself
        pass


@contextlib.contextmanager
def static_site(root: Path):
    """A threaded static server with a deep accept queue (as any production server has)."""
    server_class = type("Server", (http.server.ThreadingHTTPServer,),
                        {"request_queue_size": 2048, "daemon_threads": True})
    server = server_class(("127.0.0.1", free_port()),
                          functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def cold_visit(browser, url: str, date: str) -> dict:
    """A first visit with an empty cache: ms until the map shows ``date``, bytes on the wire."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.route("**/*", lambda route: block_external(route, url))
    sizes = []
    page.on("requestfinished", lambda r: sizes.append(
        r.sizes()["responseHeadersSize"] + r.sizes()["responseBodySize"]))
    started = time.perf_counter()
    page.goto(f"{url}/?date={date}")
    page.wait_for_selector(f'.leaflet-container[data-kb-date="{date}"]', timeout=60_000)
    ms = (time.perf_counter() - started) * 1000
    page.wait_for_load_state("networkidle")
    first_view = sum(sizes)
    context.close()
    return {"first_map_ms": round(ms), "first_view_bytes": first_view}


#: Zoom the map from its first view to where every village is named (``labelZoom``) and
#: back, ``runs`` times: ms of browser work (the zoom and the layout it causes), with the
#: map's own fixed labels and with Leaflet's, which measure themselves to take their place
#: (the reference: the same labels with their own ``_setPosition`` taken away).
ZOOM_JS = """async ([runs, zoom]) => {
  const map = window.karabakhMap.map, start = [map.getCenter(), map.getZoom()];
  let fixed = null;  // a town's fixed label: its prototype is the map's label class
  map.eachLayer(l => { const t = l.getTooltip && l.getTooltip();
                       if (t && t.options.permanent) { fixed = fixed || t; } });
  const proto = Object.getPrototypeOf(fixed), own = proto._setPosition;
  const ms = {own: [], leaflet: []};
  let labels = 0;
  function zoomIn(kind) {
    if (kind === "leaflet") { delete proto._setPosition; }
    const t = performance.now();
    map.setView([39.6, 46.9], zoom, {animate: false});
    void document.body.offsetHeight;  // the layout the labels cause, inside the figure
    ms[kind].push(performance.now() - t);
    labels = document.querySelectorAll(".kb-village").length;
    proto._setPosition = own;
    map.setView(start[0], start[1], {animate: false});
  }
  // Leaflet removes closed labels after their 200 ms fade: wait for that between zooms.
  const settle = () => new Promise(done => setTimeout(done, 400));
  for (let i = 0; i < runs; i++) {
    for (const kind of ["own", "leaflet"]) { zoomIn(kind); await settle(); }
  }
  return {labels, ms};
}"""


def zoom_to_names(browser, url: str, date: str, runs: int) -> dict:
    """The zoom that names every village, with the map's labels and with Leaflet's."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.route("**/*", lambda route: block_external(route, url))
    page.goto(f"{url}/?date={date}")
    page.wait_for_selector(f'.leaflet-container[data-kb-date="{date}"]', timeout=60_000)
    got = page.evaluate(ZOOM_JS, [runs, mapview.LABEL_ZOOM])
    context.close()
    median = {kind: round(statistics.median(values)) for kind, values in got["ms"].items()}
    return {"village_labels": got["labels"], "runs": runs, "own_ms": median["own"],
            "leaflet_ms": median["leaflet"]}


def many_clients(url: str, version: str, clients: int) -> dict:
    """``clients`` at once, each fetching every file of the first view; errors counted."""
    base = f"{url}/v/{version}/"

    def client(_):
        got, errors = 0, 0
        for rel in FIRST_VIEW:
            try:
                with urllib.request.urlopen(base + rel, timeout=60) as reply:  # noqa: S310
                    got += len(reply.read())
                    errors += reply.status != 200
            except OSError:
                errors += 1
        return got, errors

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(client, range(clients)))
    seconds = time.perf_counter() - started
    return {"clients": clients, "requests": clients * len(FIRST_VIEW),
            "errors": sum(e for _, e in results),
            "megabytes": round(sum(g for g, _ in results) / 1e6, 1),
            "seconds": round(seconds, 2)}


def measure(browser, date: str, clients: int) -> dict:
    timeline = Timeline(load_dataset(default_data_dir()))
    out = Path(tempfile.mkdtemp(prefix="kb-site-"))
    started = time.perf_counter()
    publish(timeline, out, pictures=False)
    publish_s = time.perf_counter() - started
    with static_site(out) as url:
        visit = cold_visit(browser, url, date)
        zoom = zoom_to_names(browser, url, date, 3 if clients < 100 else 9)
        load = many_clients(url, timeline.dataset.version, clients)
    return {"publish_s_without_pictures": round(publish_s, 1), **visit, "zoom": zoom,
            "load": load}
