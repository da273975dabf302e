"""The published edition: a real folder, served by a plain static server, read by Chromium."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from dashboard.engine import Timeline
from dashboard.load import load_dataset
from dashboard.model import TIMELINE_START
from dashboard.views import publish as pub
from dashboard.views.mapview import LATER, LAYERS, style_keys
from tests.browser_support import block_external, static_server, wcag_failures
from tests.conftest import run_cli

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory, timeline) -> Path:
    out = tmp_path_factory.mktemp("site")
    pub.publish(timeline, out)
    return out


def test_publish_writes_a_versioned_self_contained_folder(site, timeline):
    version = timeline.dataset.version
    folder = site / "v" / version
    for rel in ("index.html", "page.js", "kbmap.js", "kbmap.css", "site.css",
                "leaflet/leaflet.js", "data/geometry.json", "data/states.json",
                "data/timeline.json", "data/text.json", "data/details.json"):
        assert (folder / rel).is_file(), rel
    assert json.loads((site / "versions.json").read_text())["newest"] == version
    assert f"v/{version}/" in (site / "index.html").read_text()
    html = (folder / "index.html").read_text()
    for cdn in ("http://", "https://"):  # nothing loaded from elsewhere
        assert f'src="{cdn}' not in html and f'href="{cdn}' not in html
    # The map's JavaScript is the explorer's, byte for byte.
    web = Path(pub.__file__).parent.parent / "web" / "kbmap.js"
    assert (folder / "kbmap.js").read_bytes() == web.read_bytes()


def test_the_cli_publishes_and_a_second_data_version_keeps_the_first(tmp_path, data_copy):
    out = tmp_path / "site"
    done = run_cli("publish", str(out), "--data-dir", str(data_copy), "--no-pictures")
    assert done.returncode == 0, done.stderr
    first = json.loads((out / "versions.json").read_text())["newest"]
    path = data_copy / "events/timeline/2020.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Trilateral statement ends the war", "Trilateral statement ends the 44-day war", 1),
        encoding="utf-8")
    done = run_cli("publish", str(out), "--data-dir", str(data_copy), "--no-pictures")
    assert done.returncode == 0, done.stderr
    doc = json.loads((out / "versions.json").read_text())
    assert doc["newest"] != first and set(doc["versions"]) == {first, doc["newest"]}
    assert (out / "v" / first / "index.html").is_file()  # a cited link keeps its map
    assert f"v/{doc['newest']}/" in (out / "index.html").read_text()


def test_a_failed_publish_leaves_the_site_as_it_was(tmp_path, timeline, monkeypatch):
    out = tmp_path / "site"
    pub.publish(timeline, out, pictures=False)
    before = _digest(out)

    def broken(folder, timeline):
        (folder / "data").mkdir(parents=True)
        (folder / "data" / "half.json").write_text("{")
        raise OSError("disk full (simulated)")
    monkeypatch.setattr(pub, "_write_version", lambda folder, timeline, pictures: broken(
        folder, timeline))
    with pytest.raises(pub.PublishError, match="disk full"):
        pub.publish(timeline, out, pictures=False)
    assert _digest(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_bad_data_publishes_nothing(tmp_path, data_copy):
    (data_copy / "events/timeline/2020.yaml").write_text("- id: [broken\n", encoding="utf-8")
    done = run_cli("publish", str(tmp_path / "site"), "--data-dir", str(data_copy))
    assert done.returncode == 2 and "2020.yaml" in done.stderr
    assert not (tmp_path / "site").exists()


# -- in a real browser, from a plain static server ------------------------------------------


@pytest.fixture(scope="module")
def served(site):
    with static_server(site) as url:
        yield url


@pytest.fixture
def page(browser, served, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.external_requests, page.errors = [], []

    def route(r):
        if not r.request.url.startswith(served):
            page.external_requests.append(r.request.url)
        block_external(r, served)
    page.route("**/*", route)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    context.close()


def open_site(page, url: str, query: str = "") -> None:
    page.goto(f"{url}/{query}")
    page.wait_for_selector("body[data-ready]", timeout=30_000)


def drawn(page) -> dict[str, str]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-uid]')]
        .map(e => [e.getAttribute('data-uid'), e.getAttribute('data-kb-style')]))""")


def test_the_site_draws_offline_without_streamlit(page, served):
    open_site(page, served, "?date=2020-11-10")
    assert "/v/" in page.url  # the root sent the reader to the newest version
    assert page.locator('[data-uid="area:pk-zone"]').is_visible()
    assert page.locator(".kb-legend").count() == 1  # the legend is inside the map
    assert page.external_requests == [] and page.errors == []
    assert page.locator("script[src*='_stcore'], script[src*='streamlit']").count() == 0


def test_every_change_date_draws_the_engines_styles(page, served, timeline):
    open_site(page, served, "?date=2020-09-01")
    dates = [d for d in timeline.change_dates if d >= TIMELINE_START]
    assert len(dates) > 40
    for date in dates:
        page.evaluate("d => karabakhMap.setDate(d)", date.isoformat())
        shown = drawn(page)
        keys = style_keys(timeline, timeline.state_at(date), set(LAYERS))
        assert shown == {uid: keys.get(uid, "hidden") for uid in shown}, date


def test_click_and_picker_open_events_with_sources(page, served):
    open_site(page, served, "?date=2020-10-10")
    assert page.evaluate("karabakhMap.styleOf('area:cell-hadrut')") == "cell-armenian-claimed"
    assert page.locator(".kb-village").count() == 0  # village names only when zoomed in
    page.evaluate("karabakhMap.map.setView([39.52, 47.03], 11)")
    page.locator(".kb-village").first.wait_for()
    page.locator('[data-uid="place:hadrut"]').click()
    details = page.locator("#kb-details")
    details.get_by_text("claim by Azerbaijan's president", exact=False).first.wait_for()
    details.get_by_text("Denied", exact=False).first.wait_for()
    assert details.locator('a[href^="http"]').count() >= 3
    assert "place=place%3Ahadrut" in page.url
    page.fill("#kb-find", "Shushi / Shusha")
    page.dispatch_event("#kb-find", "change")
    details.locator("h2").filter(has_text="Shusha").wait_for()
    assert details.locator("button.kb-when").count() >= 2


#: Every open name (towns, and villages zoomed in) beside its point: [uid, point's right
#: edge, its vertical middle, the name's left edge, its vertical middle], in px.
NAMES_JS = """() => {
  const out = [];
  karabakhMap.map.eachLayer(layer => {
    const tip = layer.getTooltip && layer.getTooltip(), el = layer.getElement && layer.getElement();
    if (!tip || !tip.options.permanent || !tip.isOpen() || !el || el.style.display === "none") {
      return;
    }
    const point = el.getBoundingClientRect(), name = tip.getElement().getBoundingClientRect();
    // Off the view, a point is not drawn; zoomed out, a village's name is hidden.
    if (point.width === 0 || name.height === 0) { return; }
    out.push([el.getAttribute("data-uid"), point.right, (point.top + point.bottom) / 2,
              name.left, (name.top + name.bottom) / 2]);
  });
  return out;
}"""


def test_every_name_sits_beside_its_point_at_every_zoom(page, served):
    """The map places its fixed names itself (without measuring each one): right of the
    point, centred on it, zoomed out (towns) and zoomed in (villages too)."""
    open_site(page, served, "?date=2020-10-20")
    towns = page.evaluate(NAMES_JS)
    page.evaluate("karabakhMap.map.setView([39.6, 46.9], 11, {animate: false})")
    page.locator(".kb-village").first.wait_for()
    near = page.evaluate(NAMES_JS)
    assert len(towns) >= 10 and len(near) > len(towns) + 100, (len(towns), len(near))
    for uid, right, middle, left, name_middle in towns + near:
        assert right - 2 <= left <= right + 12, (uid, right, left)
        assert abs(name_middle - middle) <= 1.5, (uid, middle, name_middle)


def test_keyboard_moves_the_date(page, served):
    open_site(page, served, "?date=2020-11-09")
    page.focus("#kb-date")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("karabakhMap.view().date") == "2020-11-10"
    page.keyboard.press("End")
    assert page.evaluate("karabakhMap.view().date") == "2024-12-31"
    page.keyboard.press("Home")
    assert page.evaluate("karabakhMap.view().date") == TIMELINE_START.isoformat()
    page.click("#kb-next")
    assert page.evaluate("karabakhMap.view().date") > TIMELINE_START.isoformat()


def test_the_keyboard_passes_the_map_in_four_stops(page, served):
    """From the page's start: the map (arrow keys pan it), zoom in, zoom out and the
    legend are tab stops; the map's ~800 shapes are not, so the fifth Tab reaches the date
    controls."""
    open_site(page, served, "?date=2020-10-20")
    stops = []
    for _ in range(8):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("() => document.activeElement.id || "
                                   "document.activeElement.tagName"))
        if stops[-1] == "kb-prev":
            break
    assert stops == ["map", "A", "A", "SUMMARY", "kb-prev"], stops


def test_bad_links_fall_back_with_a_notice(page, served):
    open_site(page, served, "?date=2020-13-45&names=klingon&place=nowhere&layers=x,places&v=0ld")
    notice = page.locator("#kb-notices").inner_text()
    for word in ("2020-13-45", "klingon", "nowhere", "0ld"):
        assert word in notice
    assert page.evaluate("karabakhMap.view().date") == "2020-11-10"
    assert page.evaluate("karabakhMap.view().layers") == ["places"]


def test_the_phone_layout_has_the_map_and_the_date_in_the_first_screen(browser, served):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    open_site(page, served, "?date=2022-09-20")
    box = page.locator("#map").bounding_box()
    slider = page.locator("#kb-date").bounding_box()
    assert box["y"] < 200 and box["height"] > 300
    assert slider["y"] + slider["height"] <= 844
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "published-phone.png"))
    context.close()


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["laptop", "phone"])
def test_the_page_passes_an_accessibility_audit(page, served, size):
    """axe-core finds no WCAG 2.2 A/AA failure: a place open on a date with claims still
    to come (their cards greyed), the legend open, and the page embedded at article size."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_site(page, served, "?date=2020-10-10&place=place:hadrut")
    later = page.locator(".kb-card.kb-future").all_inner_texts()
    assert later and all(text.startswith(LATER) for text in later)  # not by colour alone
    page.evaluate("document.querySelector('.kb-legend').open = true")
    assert wcag_failures(page) == []
    # axe-core judges colours only on screen: make the screen as tall as the page.
    page.set_viewport_size({"width": size[0],
                            "height": page.evaluate("document.body.scrollHeight")})
    assert wcag_failures(page) == []
    page.set_viewport_size({"width": min(size[0], 640), "height": 420})
    open_site(page, served, "?embed=1&date=2023-09-21")
    assert wcag_failures(page) == []


def test_embed_mode_works_inside_an_iframe(page, served, site, timeline):
    version = timeline.dataset.version
    host = site / "host.html"
    host.write_text(
        "<!doctype html><p>An article.</p>"
        f'<iframe data-karabakh-map src="v/{version}/?embed=1&date=2023-09-21" '
        'style="width:100%;height:200px;border:0" title="map"></iframe>'
        '<script src="embed.js"></script>', encoding="utf-8")
    page.goto(f"{served}/host.html")
    frame = page.frame_locator("iframe[data-karabakh-map]")
    frame.locator("body[data-ready]").wait_for(timeout=30_000)
    assert frame.locator(".kb-legend").count() == 1
    assert frame.locator("#kb-source").is_visible()
    assert not frame.locator(".kb-tools").is_visible()
    page.wait_for_function(
        "document.querySelector('iframe[data-karabakh-map]').offsetHeight > 300")


def test_hostile_text_stays_text_in_the_published_page(browser, tmp_path):
    from tests.hostile import HOSTILE, make_hostile_dataset
    root = make_hostile_dataset(tmp_path / "data")
    timeline = Timeline(load_dataset(root))
    out = tmp_path / "site"
    pub.publish(timeline, out, pictures=False)
    with static_server(out) as url:
        page = browser.new_page()
        page.on("dialog", lambda d: d.dismiss())
        open_site(page, url, "?date=2021-01-01&place=shusha")
        details = page.locator("#kb-details")
        details.locator("h2").wait_for()
        page.wait_for_timeout(300)
        assert page.evaluate("window.__xss === undefined")
        assert HOSTILE["place_name"] in details.locator("h2").inner_text()
        assert details.locator("img, script, svg").count() == 0
        hrefs = page.evaluate("[...document.querySelectorAll('#kb-details a')].map(a => a.href)")
        assert all(h.startswith(("http://", "https://")) for h in hrefs)
        page.close()


def test_a_picture_for_every_change_date_and_key_moment(site, timeline, page, served):
    folder = site / "v" / timeline.dataset.version / "png"
    wanted = {d.isoformat() for d in pub.picture_dates(timeline)}
    assert {p.stem for p in folder.glob("*.png")} == wanted
    assert all((folder / f"{d}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for d in wanted)
    open_site(page, served, "?date=2022-12-20")
    href = page.locator("#kb-picture").get_attribute("href")
    assert href.startswith("png/") and href[4:14] <= "2022-12-20"
    reply = page.request.get(page.url.split("?")[0] + href)
    assert reply.status == 200 and reply.headers["content-type"] == "image/png"


def test_dates_in_the_timeline_doc_are_the_change_dates(timeline):
    doc = pub.timeline_doc(timeline)
    dates = [e["date"] for e in doc["entries"]]
    assert dates[0] == TIMELINE_START.isoformat() and dates == sorted(dates)
    assert set(dates[1:]) == {d.isoformat() for d in timeline.change_dates
                              if TIMELINE_START < d <= dt.date(2024, 12, 31)}
