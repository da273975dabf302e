"""The real thing: the app on a free port, driven in headless Debian Chromium by Playwright.

External requests are blocked (and recorded): the map must work with no internet.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.config import REPO_ROOT
from dashboard.views.mapview import BLUE, FRAME_TITLE, LATER, LAYERS, ORANGE, VERMILLION, style_keys
from tests.browser_support import (
    MAP_FRAME,
    SLIDER,
    block_external,
    map_drawn_selector,
    open_explorer,
    running_server,
    wait_for_controls,
    wait_for_url_with,
    wcag_failures,
)

pytestmark = pytest.mark.browser
ARTIFACTS = REPO_ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def server():
    ARTIFACTS.mkdir(exist_ok=True)
    with running_server(ARTIFACTS / "streamlit-browser.log") as running:
        yield running


@pytest.fixture
def page(browser, server, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.external_requests = []

    local = "http://127.0.0.1:"  # any of this test run's servers; nothing else

    def route(route_):
        if not route_.request.url.startswith(local):
            page.external_requests.append(route_.request.url)
        block_external(route_, local)
    page.route("**/*", route)
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        print(server.log())
    context.close()


def open_map(page, server, query: str = "", date: str | None = None):
    open_explorer(page, f"{server.url}/{query}", date)
    return page.frame_locator(MAP_FRAME)


def map_frame(page):
    return page.locator(MAP_FRAME).element_handle().content_frame()


def style_of(frame, uid: str, prop: str) -> str:
    return frame.locator(f'[data-uid="{uid}"]').first.get_attribute(prop)


def test_map_draws_its_overlays_offline(page, server):
    frame = open_map(page, server, "?date=2020-11-10", "2020-11-10")
    assert frame.locator('path[data-uid^="area:cu-"]').count() >= 10
    assert frame.locator('[data-uid="area:pk-zone"]').is_visible()
    assert frame.locator('[data-uid="route:lachin-corridor"]').is_visible()
    assert frame.locator('[data-uid="place:shusha"]').is_visible()
    assert page.external_requests == [], "the map must not need the internet"
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"))
    # The map's data files were requested before Leaflet, so they arrive while the map's
    # scripts load (mapview.early_fetch_script).
    started = map_frame(page).evaluate("""() => Object.fromEntries(
        performance.getEntriesByType('resource').reverse()
          .map(r => [r.name.split('/').pop().split('-')[0], r.startTime]))""")
    assert started["geometry"] < started["leaflet.js"] and started["states"] < started["leaflet.js"]


def test_arrow_key_across_a_change_date_restyles_without_reloading(page, server):
    frame = open_map(page, server, "?date=2020-11-08", "2020-11-08")
    live = map_frame(page)
    live.evaluate("window.__kbSameDocument = true")
    before = style_of(frame, "area:cell-shusha", "fill")  # claimed on 8 Nov, denied
    assert before == "url(#kb-hatch-armenian-claimed)"
    page.locator(SLIDER).first.focus()
    page.keyboard.press("ArrowRight")
    frame.locator('.leaflet-container[data-kb-date="2020-11-09"]').wait_for(timeout=30_000)
    after = style_of(frame, "area:cell-shusha", "fill")  # acknowledged on 9 Nov
    assert after.lower() == BLUE.lower()
    assert frame.locator(".kb-date").inner_text() == "9 November 2020"  # the map's own date
    assert map_frame(page).evaluate("window.__kbSameDocument === true"), "the map reloaded"


def drawn_styles(page) -> dict[str, str]:
    """The style key the map shows for each feature (``hidden`` when not shown)."""
    return map_frame(page).evaluate("""() => Object.fromEntries(
        [...document.querySelectorAll('[data-uid]')].map(
            e => [e.getAttribute('data-uid'), e.getAttribute('data-kb-style')]))""")


def engine_styles(timeline, date: str, uids) -> dict[str, str]:
    keys = style_keys(timeline, timeline.state_at(dt.date.fromisoformat(date)), set(LAYERS))
    return {uid: keys.get(uid, "hidden") for uid in uids}


def test_every_step_draws_the_engines_styles(page, server, timeline):
    open_map(page, server, "?date=2020-11-06", "2020-11-06")
    frame = map_frame(page)
    for date in ("2020-11-07", "2020-11-08", "2020-11-09", "2020-11-10", "2020-11-11"):
        page.locator(SLIDER).first.focus()
        page.keyboard.press("ArrowRight")
        frame.locator(f'.leaflet-container[data-kb-date="{date}"]').wait_for(timeout=30_000)
        drawn = drawn_styles(page)
        assert len(drawn) > 50
        assert drawn == engine_styles(timeline, date, drawn), date
    # A link straight to a later date, and the map after the September 2023 offensive.
    open_map(page, server, "?date=2023-09-21", "2023-09-21")
    drawn = drawn_styles(page)
    assert drawn == engine_styles(timeline, "2023-09-21", drawn)


def test_the_explorers_map_draws_the_engines_styles_on_every_change_date(page, server,
                                                                       timeline):
    """The shared map object of the explorer's frame, driven date by date (the published
    edition's test does the same on its page: both editions draw the same styles)."""
    open_map(page, server, "?date=2020-09-01", "2020-09-01")
    frame = map_frame(page)
    dates = [d for d in timeline.change_dates if d >= dt.date(2020, 9, 1)]
    for date in dates:
        frame.evaluate("d => kbMap.show({date: d, layers: Object.keys(kbMap.layerOf).length ? "
                       "kbMap.view.layers : [], naming: 'both'})", date.isoformat())
        drawn = drawn_styles(page)
        assert drawn == engine_styles(timeline, date.isoformat(), drawn), date


def test_the_map_follows_the_slider_before_the_server_answers(page, server):
    """Hold every server message: the map still shows the new date, from the states file."""
    held, hold, routes = [], {"on": False}, []

    def route(ws):
        upstream = ws.connect_to_server()
        upstream.on_message(lambda m: held.append(m) if hold["on"] else ws.send(m))
        ws.on_message(upstream.send)
        routes.append(ws)
    page.route_web_socket("**/_stcore/stream", route)
    open_map(page, server, "?date=2020-11-08", "2020-11-08")
    page.get_by_text("08 November 2020").wait_for(timeout=30_000)
    hold["on"] = True
    page.locator(SLIDER).first.focus()
    page.keyboard.press("ArrowRight")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator('.leaflet-container[data-kb-date="2020-11-09"]').wait_for(timeout=10_000)
    assert style_of(frame, "area:cell-shusha", "fill").lower() == BLUE.lower()
    page.wait_for_timeout(300)
    assert held, "the server answered the step (its messages are held)"
    assert page.get_by_text("09 November 2020").count() == 0  # the header waits for them
    hold["on"] = False
    for message in held:
        routes[-1].send(message)
    page.get_by_text("09 November 2020").wait_for(timeout=30_000)


def test_a_link_with_names_and_layers_draws_only_those(page, server, dataset):
    open_map(page, server, "?date=2022-12-20&names=az&layers=control,places", "2022-12-20")
    frame = map_frame(page)
    labels = frame.evaluate("[...document.querySelectorAll('.kb-town')].map(e => e.innerText)")
    assert dataset.places["stepanakert"].names.az in labels
    assert dataset.places["stepanakert"].name not in labels
    drawn = drawn_styles(page)
    assert drawn["route:lachin-corridor"] == drawn["area:pk-zone"] == "hidden"
    assert drawn["area:cu-shusha"].startswith("unit-")
    assert drawn["place:shusha"].startswith("place-")


def test_clicking_shusha_shows_its_events_with_source_links(page, server):
    frame = open_map(page, server, "?date=2021-01-01", "2021-01-01")
    frame.locator('[data-uid="place:shusha"]').click()
    page.locator("h4").filter(has_text="Shushi / Shusha").wait_for(timeout=30_000)
    page.get_by_text("taken", exact=False).first.wait_for()
    link = page.locator('a[href^="http"]').filter(has_text="Wikipedia").first
    assert link.get_attribute("href").startswith(("http://", "https://"))
    wait_for_url_with(page, "place=shusha")


def test_a_denied_claim_is_drawn_hatched_and_its_village_shows_claim_and_denial(page, server):
    frame = open_map(page, server, "?date=2020-10-10", "2020-10-10")
    assert style_of(frame, "area:cell-hadrut", "fill") == "url(#kb-hatch-armenian-claimed)"
    live = map_frame(page)
    assert live.evaluate("!!document.querySelector('pattern#kb-hatch-armenian-claimed')")
    assert style_of(frame, "area:cell-stepanakert", "fill").lower() == ORANGE.lower()
    frame.locator('[data-uid="place:hadrut"]').click()
    page.locator("h4").filter(has_text="Hadrut").wait_for(timeout=30_000)
    page.get_by_text("Claim by Azerbaijan's president", exact=False).first.wait_for()
    page.get_by_text("Denied", exact=False).first.wait_for()
    page.get_by_text("Claimed by Azerbaijan", exact=False).first.wait_for()
    assert page.locator('a[href^="http"]').count() >= 3
    wait_for_url_with(page, "place=hadrut")


def test_areas_inside_armenia_are_drawn_in_september_2022_and_show_their_sources(page,
                                                                               server):
    frame = open_map(page, server, "?date=2022-09-20", "2022-09-20")
    drawn = drawn_styles(page)
    inside = [uid for uid in drawn if uid.startswith("area:ba-202")]
    assert {drawn[uid] for uid in inside if "2023" not in uid} == {"border-azerbaijani"}
    assert drawn["area:ba-2023-tegh"] == "hidden"  # not before March 2023
    frame.locator('[data-uid="area:ba-2022-09-jermuk"]').click()
    page.locator("h4").filter(has_text="Jermuk direction").wait_for(timeout=30_000)
    page.get_by_text("SCHEMATIC", exact=False).first.wait_for()
    page.locator('a[href^="http"]').first.wait_for()  # the cards follow the heading
    assert page.locator('a[href^="http"]').count() >= 2
    assert page.get_by_text("Inside Armenia, held by Azerbaijani forces").count() == 1


def test_a_link_to_the_blockade_shows_the_corridor_blockaded(page, server):
    frame = open_map(page, server, "?date=2022-12-20", "2022-12-20")
    corridor = '[data-uid="route:lachin-corridor"]'
    assert style_of(frame, corridor.split('"')[1], "stroke").lower() == VERMILLION.lower()
    assert style_of(frame, corridor.split('"')[1], "stroke-dasharray")


def test_bad_link_falls_back_with_a_visible_notice(page, server):
    open_map(page, server, "?date=2020-13-45&names=klingon", "2020-11-10")
    page.get_by_text("is not a date between").wait_for(timeout=30_000)
    page.get_by_text("is not one of").wait_for()
    assert page.dialogs == []


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from tests.hostile import make_hostile_dataset
    root = make_hostile_dataset(tmp_path_factory.mktemp("hostile"))
    with running_server(ARTIFACTS / "streamlit-hostile.log",
                        env={"KARABAKH_DATA_DIR": str(root)}) as running:
        yield running


def test_hostile_text_is_shown_as_text_and_never_runs(page, hostile_server):
    from tests.hostile import HOSTILE
    frame = open_map(page, hostile_server, "?date=2021-01-01&place=shusha", "2021-01-01")
    # Side panel: the names and the event, literally.
    page.locator("h4").filter(has_text="Shushi <img").wait_for(timeout=30_000)
    page.get_by_text(HOSTILE["place_hy"]).first.wait_for()
    page.get_by_text("Shusha taken <b>bold</b>", exact=False).first.wait_for()
    page.get_by_text("[click me](javascript:", exact=False).first.wait_for()
    # Map label (permanent tooltip inside the map iframe): text, not markup.
    label = frame.locator(".kb-town").filter(has_text="Shushi <img")
    assert label.count() == 1
    assert frame.locator("img[src='x'], svg[onload]").count() == 0
    # Links: only the http(s) source link; the javascript: one is plain text.
    hrefs = page.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if h and h.strip().lower().startswith("javascript")]
    assert page.locator("a[href*='example.org']").count() >= 1
    assert page.locator("a[onmouseover], [onerror], [onload]").count() == 0
    # Nothing ran, nothing was fetched from the hostile host.
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss === undefined")
    assert page.dialogs == []
    assert not [u for u in page.external_requests if "evil.example" in u]


@pytest.mark.parametrize("query", [
    "?date=2020-11-10&date=2022-01-01",       # repeated
    "?place=" + "x" * 5000,                    # very long
    "?layers=control,%3Cscript%3E&names=%00",  # garbage
])
def test_garbage_links_fall_back_with_a_notice(page, server, query):
    open_map(page, server, query)
    page.get_by_text("used the default", exact=False).or_(
        page.get_by_text("is not", exact=False)).first.wait_for(timeout=30_000)
    assert page.dialogs == []


@pytest.mark.parametrize(("width", "height", "name"), [(1440, 900, "laptop"),
                                                       (390, 844, "phone")])
def test_the_map_and_the_date_control_come_first(browser, server, width, height, name):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.route("**/*", lambda route: block_external(route, server.url))
    received = []  # the server's websocket messages
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.append(1)))
    page.goto(f"{server.url}/?date=2020-10-20")
    page.frame_locator(MAP_FRAME).locator(map_drawn_selector()).wait_for(timeout=60_000)
    first_top = page.locator(MAP_FRAME).bounding_box()["y"]  # before the controls come
    wait_for_controls(page)
    map_box = page.locator(MAP_FRAME).bounding_box()
    assert map_box["y"] == first_top, "the map moved when the controls came"
    # The frame that reported its first draw is the one still shown (not reloaded) ...
    assert map_frame(page).evaluate("() => window.kbReportedDrawn === true")
    # ... and once the page is complete, nothing more runs: no fallback timer is left.
    page.wait_for_timeout(500)
    settled = len(received)
    page.wait_for_timeout(3500)  # longer than the fallback's period
    assert len(received) == settled, "the server ran again after the page was complete"
    slider = page.locator(SLIDER).first.bounding_box()
    title = page.locator("h5").first.bounding_box()
    header = page.locator('[data-testid="stHeader"]').bounding_box()
    assert title["y"] >= header["y"] + header["height"], "the title is under the header bar"
    if name == "laptop":  # the map starts in the upper half, the date control just above
        assert map_box["y"] < height / 2
        assert 0 < map_box["y"] - (slider["y"] + slider["height"]) < 120
    else:  # the map and the date control share the first screen
        assert slider["y"] + slider["height"] < map_box["y"] < height - 200
    frame = page.frame_locator(MAP_FRAME)
    assert frame.locator(".leaflet-container .kb-legend").count() == 1  # legend in the map
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"explorer-{name}.png"))
    context.close()


def test_the_place_box_opens_a_place_by_keyboard_alone(page, server):
    open_map(page, server, "?date=2021-01-01", "2021-01-01")
    box = page.get_by_role("combobox", name="Find a place, area or route")
    box.focus()
    page.keyboard.type("Shushi")
    page.keyboard.press("Enter")
    page.locator("h4").filter(has_text="Shushi / Shusha").wait_for(timeout=30_000)
    assert page.get_by_text("event(s)", exact=False).count() >= 1
    wait_for_url_with(page, "place=shusha")


def test_the_keyboard_passes_the_map_in_three_stops(page, server):
    """From the Map tab, the map's controls are tab stops (zoom in, zoom out, legend); its
    ~800 shapes are not, so the fourth Tab reaches the place box."""
    open_map(page, server, "?date=2020-10-20", "2020-10-20")
    page.get_by_role("tab", name="Map").focus()
    stops = []
    for _ in range(8):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("() => document.activeElement.tagName === 'IFRAME' ? "
                                   "'map' : document.activeElement.getAttribute('aria-label')"))
        if stops[-1] != "map":
            break
    assert stops == ["map", "map", "map", "Find a place, area or route"], stops
    # A screen reader names the map frame for what it is, and the keyboard's way past it.
    assert page.locator(MAP_FRAME).get_attribute("title") == FRAME_TITLE


def test_a_link_made_on_older_data_says_so_and_still_opens(page, server, dataset):
    open_map(page, server, "?date=2022-12-20&v=000000000000", "2022-12-20")
    notice = page.get_by_text("data version '000000000000'", exact=False)
    notice.first.wait_for(timeout=30_000)
    assert dataset.version in notice.first.inner_text()
    wait_for_url_with(page, f"v={dataset.version}")


def test_the_map_stays_readable_when_streamlit_runs_dark(browser):
    """The map draws in its own frame with its own light ground and legend box."""
    with running_server(ARTIFACTS / "streamlit-dark.log",
                        env={"STREAMLIT_THEME_BASE": "dark"}) as dark:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.route("**/*", lambda route: block_external(route, dark.url))
        open_explorer(page, f"{dark.url}/?date=2020-10-10")
        app_bg = page.evaluate(
            "getComputedStyle(document.querySelector('.stApp')).backgroundColor")
        assert app_bg != "rgb(255, 255, 255)"  # the page really is dark
        live = page.locator(MAP_FRAME).element_handle().content_frame()
        ground = live.evaluate(
            "getComputedStyle(document.querySelector('.leaflet-container')).backgroundColor")
        legend = live.evaluate(
            "getComputedStyle(document.querySelector('.kb-legend')).backgroundColor")
        assert ground == "rgb(223, 232, 238)" and legend.startswith("rgba(255, 255, 255")
        frame = page.frame_locator(MAP_FRAME)
        assert style_of(frame, "area:cell-stepanakert", "fill").lower() == ORANGE.lower()
        page.screenshot(path=str(ARTIFACTS / "explorer-dark.png"))
        # Dark text colours too: Streamlit's dark accent, in which the slider writes its
        # date, is 3.9:1 on the dark ground; the page's CSS writes it in the text colour.
        assert wcag_failures(page) == []
        open_tab(page, "Events table")  # two more sliders, and captions
        assert wcag_failures(page) == []
        page.close()


#: Each tab of the explorer and what shows once its content has come.
TAB_CONTENT = {"Text version": '[data-testid="stTable"]', "Events table": "text=Select a row",
               "Charts": '[data-testid="stVegaLiteChart"]',
               "Export & cite": "text=Cite this view"}


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    page.locator(TAB_CONTENT[name]).first.wait_for(timeout=30_000)


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["laptop", "phone"])
def test_every_tab_passes_an_accessibility_audit(page, server, size):
    """axe-core finds no WCAG 2.2 A/AA failure in the page, in each tab, with a place open
    before its claims (their cards greyed), nor in the map's frame."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_map(page, server, "?date=2020-10-01&place=place:hadrut", "2020-10-01")
    page.get_by_role("heading", name="Hadrut").wait_for(timeout=30_000)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    # folium's map page sets maximum-scale=1 in its viewport tag, which the rule flags; a
    # frame's viewport tag does nothing (the page around it sets the zoom), so not there.
    assert wcag_failures(frame, skip=("meta-viewport",)) == []
    assert wcag_failures(page) == []
    # axe-core judges colours only on screen: bring a greyed card into view.
    later = page.locator('.kb-card[style*="opacity"]')
    later.first.scroll_into_view_if_needed()
    assert all(text.startswith(LATER) for text in later.all_inner_texts())
    assert wcag_failures(page) == []
    for name in TAB_CONTENT:
        open_tab(page, name)
        assert wcag_failures(page) == [], name


def test_a_comparison_marks_its_features_on_the_map(page, server):
    open_map(page, server, "?date=2023-10-01", "2023-10-01")
    frame = map_frame(page)
    frame.evaluate("kbMap.show({date: '2023-10-01', layers: kbMap.view.layers, "
                   "naming: 'both', highlight: ['area:cu-artsakh']})")
    locator = page.frame_locator(MAP_FRAME)
    assert style_of(locator, "area:cu-artsakh", "stroke").lower() == "#f0e442"  # marked
    frame.evaluate("kbMap.show({date: '2023-10-01', layers: kbMap.view.layers, "
                   "naming: 'both', highlight: []})")
    assert style_of(locator, "area:cu-artsakh", "stroke").lower() != "#f0e442"


def test_an_events_table_row_moves_the_slider_and_selects_its_place(page, server):
    open_map(page, server, "?date=2020-09-01", "2020-09-01")
    page.get_by_role("tab", name="Events table").click()
    search = page.get_by_label("Search titles, summaries and places")
    search.fill("capture of Shusha")
    search.press("Enter")
    page.get_by_text("1 of ", exact=False).first.wait_for(timeout=30_000)
    grid = page.locator('[data-testid="stDataFrame"]').first
    box = grid.bounding_box()
    # The grid is a canvas: its first data row sits under the header row (about 35 px);
    # the selection box is in the leftmost column.
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    wait_for_url_with(page, "date=2020-11-08", "place=shusha")
    page.get_by_role("tab", name="Map").click()
    page.locator("h4").filter(has_text="Shushi / Shusha").wait_for(timeout=30_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator('.leaflet-container[data-kb-date="2020-11-08"]').wait_for(timeout=30_000)
