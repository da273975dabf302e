"""The Streamlit page's sections. ``dashboard/app.py`` calls them in order.

Session state holds the view: ``date`` (the slider), ``selected``, ``naming``,
``layers``, ``basemap`` and ``playing``. Every section reads it; only widget callbacks
write it, so a link, a button and the slider all go through the same path.

Map first: a session's first run sends the title, the header and the map only; the rest
(date slider, buttons, display options, place box, details) follows as soon as the map
reports its first draw (``complete``). A new browser loads the code of each kind of
Streamlit widget on first use, dozens of files from the Python server; sent together with
the map, they held its first draw back by about a second (``bench/RESULTS.md``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import importlib
import json
import time
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from dashboard import export
from dashboard.config import default_data_dir
from dashboard.engine import State, Timeline
from dashboard.export import PRESENCE_WORDS, SIDE_WORDS
from dashboard.load import DataError
from dashboard.model import TIMELINE_END, TIMELINE_START, Claim, Event
from dashboard.views import mapview, urlstate
from dashboard.views.bundle import Bundle, fingerprint, prepare
from dashboard.views.mapview import LAYERS, NAMINGS
from dashboard.views.moments import key_moments
from dashboard.views.text import html_link, html_text, md_text

PLAY_INTERVAL_S = 1.5
MAP_HEIGHT = 540
#: The date slider's label; the map finds the slider by it to follow it in the browser.
DATE_LABEL = "Date"
STATUS_WORDS = {
    "armenian": "held by the Armenian side",
    "azerbaijani": "held by Azerbaijan",
    None: "—",
}


# 1. Data -----------------------------------------------------------------------------
@st.cache_resource(max_entries=4, show_spinner="Loading and checking the dataset …")
def _cached_bundle(data_dir: str, files: tuple) -> Bundle:
    del files  # part of the cache key only: any edited file makes a new entry
    bundle = prepare(Path(data_dir))
    settle_heap()
    return bundle


def settle_heap() -> None:
    """Keep what lives as long as the server out of the garbage collector's walks.

    Streamlit collects garbage after every page run (``runner.postScriptGC``): a full
    collection walks every live object, here about 200,000 (the dataset, the timeline, the
    libraries), which took 130 ms in-process and about 200 ms in the server on every step
    and click, before the run could report it had finished. ``gc.freeze()`` moves the
    objects alive now (a new bundle, the warmed imports) out of its sight, so the
    collections after page runs walk only what the runs made. It takes no time itself (a
    collection first would stall the server for as long as one walk; the preparation
    leaves no garbage in cycles for it to find)."""
    gc.freeze()


def _bundle_now(data_dir: Path) -> Bundle:
    """The bundle for the files as they are on disk now (cached per file fingerprint)."""
    return _cached_bundle(str(data_dir), fingerprint(data_dir))


def warm() -> None:
    """Do before the first visit what its first page run would otherwise do, in the order
    the run needs it, while the visitor's browser loads Streamlit's front end
    (``dashboard.serve``). A broken dataset is left for that visit's error page."""
    # Streamlit's first element in a process reads the whole call stack: about 0.2 s on a
    # page run's deep stack, next to nothing on this thread's. Outside a run an element
    # shows nothing.
    st.empty()
    # The page icon is looked up in Streamlit's table of emoji, built on first use (0.3 s).
    with contextlib.suppress(ImportError):
        importlib.import_module("streamlit.emojis")
    with contextlib.suppress(DataError):
        _bundle_now(default_data_dir())
    # What st_folium imports (about 0.25 s); st_folium itself registers its component, so
    # it is imported in a page run (map_panel).
    import folium.plugins  # noqa: F401
    import streamlit.components.v1  # noqa: F401
    settle_heap()


def load_or_stop() -> Bundle:
    """The prepared dataset, or a clear error page naming every problem (then stop)."""
    data_dir = default_data_dir()
    try:
        return _bundle_now(data_dir)
    except DataError as exc:
        st.title("The dataset could not be loaded")
        st.error(f"{len(exc.problems)} problem(s) in the data under `{md_text(data_dir)}`. "
                 "Each line names the file, the record and the field. Nothing was changed.")
        st.code("\n".join(str(p) for p in exc.problems), language=None)
        st.stop()


# 2. The view a link asks for -----------------------------------------------------------
def init_view(timeline: Timeline) -> None:
    """Seed session state from the URL once per session; show what fell back."""
    if st.session_state.get("initialised"):
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    view, notices = urlstate.parse_query(params, lambda uid: _record(timeline, uid) is not None,
                                         version=timeline.dataset.version)
    st.session_state.update(
        initialised=True, date=view.date, selected=view.selected, naming=view.naming,
        layers=sorted(view.layers, key=list(LAYERS).index), basemap=view.basemap,
        playing=False, notices=notices, last_map_value=None, moment=None,
        complete=False, complete_by=time.monotonic() + COMPLETE_FALLBACK_S,
    )


#: If the map never reports its first draw (its script blocked or broken), the rest of the
#: page follows after this many seconds anyway.
COMPLETE_FALLBACK_S = 3.0


def page_complete() -> bool:
    """False until the session's map has drawn (then the whole page is drawn)."""
    return st.session_state.get("complete", True)


def complete_page() -> None:
    """Draw the whole page: a full run (the call may come from inside the map's fragment)."""
    st.session_state.complete = True
    st.rerun()


def _complete_when_late() -> None:
    if not page_complete() and time.monotonic() >= st.session_state.complete_by:
        complete_page()


def current_view() -> urlstate.ViewState:
    s = st.session_state
    return urlstate.ViewState(date=s.date, selected=s.selected, naming=s.naming,
                              layers=frozenset(s.layers), basemap=s.basemap)


#: The slider's room while the map draws first: the map does not move when it comes.
SLIDER_PLACE = '<div style="height:40px"></div>'
#: Project-authored CSS only: less empty space above the title, so the map starts high,
#: but none under Streamlit's header bar (3.75rem, opaque on narrow screens); on a phone
#: the title and the header (date, km², latest event) in smaller type, so the map starts
#: higher on the first screen. Captions in the text's own colour, a little lighter, and
#: the slider's dates in the text's colour: Streamlit's caption grey (on white) and its
#: dark theme's accent (on dark) are 3.9:1, under WCAG's 4.5:1 for small text.
PAGE_CSS = ("<style>.block-container{padding-top:3.75rem;padding-bottom:1rem}"
            "h1,h2,h3,h4{margin-top:0!important}"
            '[data-testid="stCaptionContainer"]{color:inherit;opacity:.8}'
            '[data-testid="stSliderThumbValue"],[data-testid="stSliderThumbValue"] p{color:inherit}'
            "@media (max-width:640px){.block-container h5{font-size:1rem}"
            ".st-key-kb-head h4{font-size:1.3rem}"
            ".st-key-kb-head p{font-size:.875rem;line-height:1.45}}</style>")


def compact_title(text: str) -> None:
    st.html(PAGE_CSS)
    st.markdown(f"##### {text}")


def notices() -> None:
    """What a link asked for but could not get; shown on the session's first page (the
    map-first run and the run that completes it), then gone."""
    shown = st.session_state.get("notices", [])
    if page_complete():
        st.session_state.pop("notices", None)
    for notice in shown:
        st.warning(notice, icon="⚠️")


# 3. Sidebar: display options ------------------------------------------------------------
def sidebar(bundle: Bundle) -> None:
    with st.sidebar:
        if page_complete():
            display_options()
        st.caption("The legend is inside the map (top right).")
        st.caption(f"Data version `{bundle.timeline.dataset.version}` · "
                   f"{md_text(bundle.timeline.dataset.counts())}")


def display_options() -> None:
    """Naming convention, layers, optional web basemap, a second date to compare."""
    st.radio("Place names", list(NAMINGS), format_func=NAMINGS.get, key="naming")
    st.multiselect("Layers", list(LAYERS), format_func=LAYERS.get, key="layers")
    st.toggle("Web basemap (needs internet; optional)", key="basemap")
    st.date_input("Compare with another date", value=None, key="compare_date",
                  min_value=TIMELINE_START, max_value=TIMELINE_END,
                  help="The map marks what changed between this date and the shown "
                       "one; the Text version tab lists it")


# 4. The explorer: time control, map, details (one fragment) -------------------------------
def explorer(bundle: Bundle) -> None:
    run_every = PLAY_INTERVAL_S if st.session_state.get("playing") else None
    st.fragment(run_every=run_every)(_explorer_body)()
    if page_complete():
        time_buttons(bundle.timeline)
    else:
        st.fragment(run_every=COMPLETE_FALLBACK_S)(_complete_when_late)()


def _set_date(value: dt.date) -> None:
    st.session_state.date = min(max(value, TIMELINE_START), TIMELINE_END)


def _step(timeline: Timeline, direction: int) -> None:
    date = st.session_state.date
    target = timeline.next_change(date) if direction > 0 else timeline.previous_change(date)
    if target is not None:
        _set_date(target)


def _jump(moments: dict[str, dt.date]) -> None:
    label = st.session_state.moment
    if label in moments:
        _set_date(moments[label])


def _advance_if_playing(timeline: Timeline) -> None:
    s = st.session_state
    if not s.playing or time.monotonic() - s.get("played_at", 0.0) < PLAY_INTERVAL_S * 0.8:
        return
    s.played_at = time.monotonic()
    target = timeline.next_change(s.date)
    if target is None or target > TIMELINE_END:
        s.playing = False
        st.rerun()  # the whole page, so the Play button shows "Play" again
    else:
        s.date = target


def _explorer_body() -> None:
    # Re-check the files (a few stat calls): an edited dataset shows on the next step,
    # whole (one version per run), without a restart.
    bundle = load_or_stop()
    timeline = bundle.timeline
    _advance_if_playing(timeline)
    state = timeline.state_at(st.session_state.date)
    # Filled last, shown first: the map's message leaves the server before the header's.
    head = st.container(key="kb-head")
    # Lazy tabs: only the open tab runs, so a slider step on the map sends no chart.
    map_tab, text_tab, events_tab, charts_tab, export_tab = st.tabs(
        ["Map", "Text version", "Events table", "Charts", "Export & cite"],
        key="tab", on_change="rerun")
    if map_tab.open:
        with map_tab:
            map_col, side_col = st.columns([3, 2], gap="small")
            with map_col:
                map_panel(bundle, state)
            if page_complete():
                with side_col:
                    place_finder(timeline)
                    details_panel(timeline, state, st.session_state.selected)
    if text_tab.open:
        with text_tab:
            text_version(timeline, state)
    if events_tab.open:
        with events_tab:
            events_table(timeline, state)
    if charts_tab.open:
        with charts_tab:
            charts_section(bundle, state.date)
    if export_tab.open:
        with export_tab:
            export_section(timeline, state)
    with head:
        header(timeline, state)
        if page_complete():
            st.slider(DATE_LABEL, min_value=TIMELINE_START, max_value=TIMELINE_END,
                      step=dt.timedelta(days=1), format="YYYY-MM-DD", key="date",
                      label_visibility="collapsed",
                      help="Drag, or focus the slider and use the arrow keys (one day per "
                           "press).")
        else:
            st.html(SLIDER_PLACE)
    st.query_params.from_dict(urlstate.to_query(current_view(), timeline.dataset.version))


def header(timeline: Timeline, state: State) -> None:
    """The shown date, the km² per side and the latest event, compact (one element)."""
    latest = state.latest_event
    snap = state.snapshot
    km2 = snap.control_km2
    figures = (f"Held by the Armenian side **{km2['armenian']:,.0f} km²** · "
               f"Held by Azerbaijan **{km2['azerbaijani']:,.0f} km²**"
               + (f" (disputed claims {snap.disputed_km2:,.0f} km²)" if snap.disputed_km2 else "")
               + f" · Inside Armenia, held by Azerbaijani forces "
               f"**{snap.inside_armenia_km2:,.0f} km²**")
    latest_text = (f"Latest: {md_text(latest.title)} ({latest.date:%d %b %Y}) · "
                   f"{state.events_so_far} events so far" if latest else "No event yet")
    st.markdown(f"#### {state.date:%d %B %Y}\n{figures}  \n{latest_text}")


def time_buttons(timeline: Timeline) -> None:
    """Step, play and jump: outside the explorer fragment (a click reruns the page)."""
    moments = dict(key_moments(timeline.dataset))
    prev_col, play_col, next_col, jump_col = st.columns([1, 1, 1, 3])
    prev_col.button("◀ Previous change", on_click=_step, args=(timeline, -1),
                    width="stretch")
    playing = st.session_state.playing
    if play_col.button("⏸ Pause" if playing else "▶ Play", width="stretch",
                       help="Step through the change dates"):
        st.session_state.playing = not playing
        st.session_state.played_at = time.monotonic()
        st.rerun()
    next_col.button("Next change ▶", on_click=_step, args=(timeline, 1),
                    width="stretch")
    jump_col.selectbox("Jump to", list(moments), index=None, key="moment",
                       placeholder="Jump to a key moment …", label_visibility="collapsed",
                       on_change=_jump, args=(moments,))


def map_panel(bundle: Bundle, state: State) -> None:
    # Imported in a page run: a component registers with Streamlit only inside one, and
    # ``dashboard.serve`` imports this module ahead of the first run.
    from streamlit_folium import st_folium

    view = current_view()
    fmap = mapview.build_map(bundle.geometry_url, bundle.states_url, DATE_LABEL,
                             basemap=view.basemap)
    message = mapview.map_message(state.date, view.layers, view.naming,
                                  compare_uids(bundle.timeline, state.date),
                                  report_drawn=not page_complete())
    st_folium(
        fmap, key="map", height=MAP_HEIGHT, use_container_width=True,
        feature_group_to_add=mapview.state_layer(message),
        returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
    )
    # st_folium copies a click into st.session_state["map"] (its on_change); reading it
    # there also lets AppTest simulate a click.
    value = st.session_state.get("map")
    if value is not None and not page_complete():
        complete_page()  # the map has drawn (it reported so, or it was clicked)
    if value != st.session_state.last_map_value:
        st.session_state.last_map_value = value
        uid = mapview.clicked_uid(value)
        if uid is not None:
            st.session_state.selected = uid


@st.cache_resource(max_entries=4, show_spinner=False)
def _finder_options(version: str, _timeline: Timeline) -> dict[str, str]:
    """Label → uid for every place, area (cells aside) and route; both usages searchable."""
    data, options = _timeline.dataset, {}
    for kind, table in (("place", data.places), ("area", data.areas), ("route", data.routes)):
        for ident, record in table.items():
            if kind == "area" and ident.startswith("cell-"):
                continue
            usages = [u for u in (record.names.hy, record.names.az) if u and u not in record.name]
            label = record.name + (f" ({', '.join(usages)})" if usages else "")
            options[f"{label} · {kind}"] = f"{kind}:{ident}"
    return dict(sorted(options.items(), key=lambda kv: kv[0].casefold()))


def _pick_place(options: dict[str, str]) -> None:
    choice = st.session_state.get("finder")
    if choice in options:
        st.session_state.selected = options[choice]


def place_finder(timeline: Timeline) -> None:
    """A searchable box: choosing a place does what a click on it does (keyboard works)."""
    options = _finder_options(timeline.dataset.version, timeline)
    st.selectbox("Find a place, area or route", list(options), index=None, key="finder",
                 placeholder="Type a name in either usage: Shusha, Shushi, Khankendi …",
                 on_change=_pick_place, args=(options,))


def text_version(timeline: Timeline, state: State) -> None:
    """The shown date in words: a summary sentence and a table of who holds what."""
    from dashboard.views.publish import status_rows, summary_sentence
    st.markdown(md_text(summary_sentence(timeline, state)))
    rows = status_rows(timeline, state)
    st.table([{"Kind": k, "Name": n, "Status on this date": v} for k, n, v in rows])
    compare_section(timeline, state)


def compare_uids(timeline: Timeline, date: dt.date) -> list[str] | None:
    """What the map marks when a second date is chosen: what changed hands in between."""
    other = st.session_state.get("compare_date")
    if other is None:
        return None
    diff = export.compare(timeline, *sorted((other, date)))
    uids = [f"route:{r['id']}" for r in diff["routes"]]
    for h in diff["changed_hands"]:
        if h["kind"] == "settlement":
            uids += [f"place:{h['id']}", f"area:cell-{h['id']}"]
        else:
            uids.append(f"area:{h['id']}")
    return uids


def compare_section(timeline: Timeline, state: State) -> None:
    """What changed between the shown date and the second date chosen in the sidebar."""
    other = st.session_state.get("compare_date")
    if other is None:
        st.caption("Choose a second date in the sidebar to compare it with the shown date.")
        return
    first, second = sorted((other, state.date))
    diff = export.compare(timeline, first, second)
    km2 = diff["km2_difference"]
    st.markdown(f"**From {first:%d %b %Y} to {second:%d %b %Y}**: Armenian side "
                f"{km2['armenian']:+,.0f} km², Azerbaijan {km2['azerbaijani']:+,.0f} km², "
                f"inside Armenia {km2['inside_armenia']:+,.0f} km²; "
                f"{len(diff['changed_hands'])} settlements or areas changed hands.")
    if diff["changed_hands"]:
        st.dataframe([{"kind": h["kind"], "name": h["name"], "from": h["from"] or "—",
                       "to": h["to"] or "—"} for h in diff["changed_hands"]],
                     hide_index=True, width="stretch", height=240)
    changes = [f"{r['name']}: {r['from'] or 'not in use'} → {r['to'] or 'not in use'}"
               for r in diff["routes"]] + [
        f"{p['name']}: {p['presence']} {p['change']}" for p in diff["presences"]]
    if changes:
        st.markdown("\n".join(f"- {md_text(c)}" for c in changes))


def _goto_event(options: list) -> None:
    selection = st.session_state.get("events_table", {}).get("selection", {}).get("rows", [])
    if selection:
        event = options[selection[0]]
        _set_date(event.date)
        if event.places:
            st.session_state.selected = f"place:{event.places[0]}"


def events_table(timeline: Timeline, state: State) -> None:
    """Every event, searchable and filterable; a row moves the slider and selects its place."""
    events = [e for e in timeline.events if not e.background]
    left, mid, right = st.columns(3)
    kinds = left.multiselect("Kind", sorted({e.kind.value for e in events}), key="ev_kinds")
    actors = mid.multiselect("Actor", sorted({a for e in events for a in e.actors}),
                             key="ev_actors")
    confidence = right.multiselect("Confidence", ["high", "medium", "low"], key="ev_conf")
    query = st.text_input("Search titles, summaries and places", key="ev_query").casefold()
    since, until = st.slider("Dates", min_value=TIMELINE_START, max_value=TIMELINE_END,
                             value=(TIMELINE_START, TIMELINE_END), format="YYYY-MM-DD",
                             key="ev_dates")
    chosen = [e for e in events
              if (not kinds or e.kind.value in kinds)
              and (not actors or set(actors) & set(e.actors))
              and (not confidence or e.confidence.value in confidence)
              and since <= e.date <= until
              and (not query or query in f"{e.title} {e.summary} {' '.join(e.places)}".casefold())]
    background = len(timeline.events) - len(events)
    st.caption(f"{len(chosen)} of the {len(events)} events from {TIMELINE_START:%B %Y} on "
               f"(the {background} earlier background events are in their places' details and the "
               "export). "
               "Select a row to move the slider to it and select its place.")
    st.dataframe(
        [{"date": e.date.isoformat(), "kind": e.kind.value, "title": e.title,
          "places": ", ".join(e.places), "confidence": e.confidence.value} for e in chosen],
        key="events_table", on_select=lambda: _goto_event(chosen), selection_mode="single-row",
        hide_index=True, width="stretch", height=420)
    st.download_button(
        f"Download these {len(chosen)} events (CSV)",
        data=lambda: export.events_csv(export.event_record(timeline, e) for e in chosen),
        file_name="karabakh-events-filtered.csv", mime="text/csv")


def _record(timeline: Timeline, uid: str | None):
    if not uid or ":" not in uid:
        return None
    kind, _, ident = uid.partition(":")
    table = {"place": timeline.dataset.places, "area": timeline.dataset.areas,
             "route": timeline.dataset.routes}.get(kind, {})
    return table.get(ident)


def _status_line(timeline: Timeline, state: State, uid: str) -> str:
    kind, _, ident = uid.partition(":")
    snap = state.snapshot
    parts = []
    if kind == "route":
        status = snap.route_status.get(ident)
        words = [s.value.replace("_", " ") for s in (status, *snap.route_also.get(ident, ()))
                 if s is not None]
        parts.append(f"Status: **{' and '.join(words) if words else 'not in use'}**")
    else:
        controller = (snap.place_controller if kind == "place" else snap.area_controller).get(
            ident)
        presence = (snap.place_presence if kind == "place" else snap.area_presence).get(
            ident, ())
        if controller is not None:
            parts.append(f"Control: **{STATUS_WORDS[controller.value]}**")
        claimed = (snap.place_claimed_by if kind == "place" else snap.area_claimed_by).get(ident)
        if claimed is not None:
            parts.append(f"**Claimed by {SIDE_WORDS[claimed.value]}**, denied by the other "
                         "side (disputed)")
        if presence:
            parts.append("Present: " + ", ".join(PRESENCE_WORDS[p.value] for p in presence))
    return f"On {state.date:%d %b %Y}: " + (" · ".join(parts) or "no control or status data")


def details_panel(timeline: Timeline, state: State, uid: str | None) -> None:
    record = _record(timeline, uid)
    if record is None:
        st.info("Click a place, area or route on the map to see its names, its status on "
                "the shown date and its events with their sources.")
        return
    kind = uid.partition(":")[0]
    st.markdown(f"#### {md_text(record.name)}")
    names = record.names
    st.markdown(f"English: {md_text(names.en)}  \n"
                f"Armenian usage: {md_text(names.hy or '—')}  \n"
                f"Azerbaijani usage: {md_text(names.az or '—')}")
    st.markdown(_status_line(timeline, state, uid))
    if record.accuracy:
        st.caption(f"Geometry: {md_text(record.accuracy)}")
    if st.button("Clear selection", key="clear-selection"):
        st.session_state.selected = None
        st.rerun(scope="fragment")
    events = timeline.events_for(kind, record.id)
    claims = timeline.claims_for(kind, record.id)
    items = sorted([*claims, *events], key=lambda item: item.date)
    show_all = st.session_state.get("details_all") == uid
    shown = items if show_all else card_window(items, state.date)
    st.markdown(f"**{len(claims)} claim(s), {len(events)} event(s)**"
                + (" (later ones greyed)" if items else "")
                + (f"; showing the {len(shown)} nearest to {state.date:%d %b %Y}"
                   if len(shown) < len(items) else ""))
    if len(shown) < len(items):
        st.button(f"Show all {len(items)}", key="details-all", on_click=_show_all,
                  args=(uid,), help="List every claim and event of this place")
    with st.container(height=520):
        for item in shown:
            card = claim_card if isinstance(item, Claim) else event_card
            card(timeline, item, future=item.date > state.date)


#: Cards a details panel draws at first (the browser renders every card's text: a
#: long list would slow the answer to a click); "Show all" lists the rest.
CARD_WINDOW = 6


def card_window(items: list, date: dt.date) -> list:
    """The ``CARD_WINDOW`` items nearest ``date``: the latest ones up to it, then the next."""
    up_to = sum(1 for item in items if item.date <= date)
    start = max(0, min(up_to - CARD_WINDOW + 2, len(items) - CARD_WINDOW))
    return items[start:start + CARD_WINDOW]


def _show_all(uid: str) -> None:
    st.session_state.details_all = uid


def _sources_line(timeline: Timeline, ids) -> str:
    sources = timeline.dataset.sources
    return "Sources: " + " · ".join(
        html_link(f"{sources[s].publisher}: {sources[s].title}", sources[s].url) for s in ids)


def _card(lines: list[str], future: bool) -> None:
    """One card's text as escaped HTML (lighter for the browser than Markdown, which it
    parses card by card); a later one greyed and saying so in words, not by colour alone:
    the panel reads as "so far" and "to come"."""
    style = ' style="opacity:.75;font-size:.875rem"' if future else ""  # 6:1, WCAG AA
    if future:
        lines = [f"<em>{mapview.LATER}</em>", *lines]
    st.html(f'<div class="kb-card"{style}><p>' + "<br>".join(lines) + "</p></div><hr>")


def claim_card(timeline: Timeline, claim: Claim, future: bool) -> None:
    """One claim: who announced what and when, every denial and confirmation, sources."""
    st.button(f"{claim.date:%d %b %Y}", key=f"goto-claim-{claim.id}", on_click=_set_date,
              args=(claim.date,), help="Move the slider to this date", type="tertiary")
    words = export.claimant_words(claim.claimant)
    status = ("disputed" if claim.disputed else "not denied") + (
        f"; confirmed {claim.confirmed_on:%d %b %Y}" if claim.confirmed_on else
        ("" if claim.disputed else (", single source" if len(claim.sources) == 1 else "")))
    lines = [f"<strong>Claim by {html_text(words)}</strong> ({status})",
             html_text(claim.summary), _sources_line(timeline, claim.sources)]
    for denial in claim.denials:
        by = html_text(export.claimant_words(denial.by))
        lines += [f"<em>Denied {denial.date:%d %b %Y} by {by}:</em> {html_text(denial.summary)}",
                  _sources_line(timeline, denial.sources)]
    for conf in claim.confirmations:
        lines += [f"<em>Confirmed {conf.date:%d %b %Y} ({conf.kind.value}):</em> "
                  f"{html_text(conf.summary)}", _sources_line(timeline, conf.sources)]
    _card(lines, future)


def event_card(timeline: Timeline, event: Event, future: bool) -> None:
    """One event: its date (a button that moves the slider) and one text block."""
    st.button(f"{event.date:%d %b %Y}", key=f"goto-{event.id}", on_click=_set_date,
              args=(event.date,), help="Move the slider to this date", type="tertiary")
    lines = [f"<strong>{html_text(event.title)}</strong>", html_text(event.summary)]
    detail = f"Confidence: {event.confidence.value}"
    if event.confidence_note:
        detail += f" ({html_text(event.confidence_note)})"
    lines.append(detail)
    lines += [f"Alternative date {alt.date:%d %b %Y}: {html_text(alt.note)}"
              for alt in event.alternative_dates]
    if event.date_note:
        lines.append(f"Date used: {html_text(event.date_note)}")
    lines.append(_sources_line(timeline, event.sources))
    _card(lines, future)


# 5. Charts ---------------------------------------------------------------------------------
@st.cache_resource(max_entries=4, show_spinner=False)
def _chart_specs(version: str, _timeline: Timeline) -> dict[str, dict]:
    from dashboard.views import charts  # Altair loads only when someone opens the charts

    return charts.chart_specs(_timeline)


def charts_section(bundle: Bundle, date: dt.date) -> None:
    from dashboard.views import charts

    specs = _chart_specs(bundle.timeline.dataset.version, bundle.timeline)
    st.markdown("**Area held by each side** (km² of the contested area; dashed: shown date)")
    st.vega_lite_chart(charts.with_marker(specs["control"], "date", date), width="stretch")
    st.markdown("**Inside Armenia: area held by Azerbaijani forces** (km², schematic areas "
                "sized to figures Armenian officials gave; Azerbaijan holds that these are its "
                "own lands on an undelimited border)")
    st.vega_lite_chart(charts.with_marker(specs["inside_armenia"], "date", date),
                       width="stretch")
    st.markdown("**Events per month, by kind**")
    st.vega_lite_chart(charts.with_marker(specs["events"], "month", date), width="stretch")


# 6. Export and cite -------------------------------------------------------------------------
def export_section(timeline: Timeline, state: State) -> None:
    date = state.date
    st.download_button(
        "Download the shown state (GeoJSON)",
        data=lambda: json.dumps(export.state_geojson(timeline, state), ensure_ascii=False),
        file_name=f"karabakh-state-{date.isoformat()}.geojson", mime="application/geo+json")
    kinds = st.multiselect("Event kinds", sorted({e.kind.value for e in timeline.events}),
                           key="export_kinds")
    chosen = [e for e in timeline.events_until(date) if not kinds or e.kind.value in kinds]
    st.download_button(
        f"Download {len(chosen)} events up to the shown date (CSV)",
        data=lambda: export.events_csv(export.event_record(timeline, e) for e in chosen),
        file_name=f"karabakh-events-until-{date.isoformat()}.csv", mime="text/csv")
    st.markdown("**Cite this view**")
    st.code(cite_text(timeline, state), language=None, wrap_lines=True)


def cite_text(timeline: Timeline, state: State) -> str:
    base = (st.context.url or "http://localhost:8501").rstrip("/")
    link = f"{base}/?" + urlencode(urlstate.to_query(current_view(), timeline.dataset.version))
    cited = sorted({s for e in timeline.events_until(state.date) if e.id in
                    state.snapshot.event_ids for s in e.sources})
    publishers = sorted({timeline.dataset.sources[s].publisher for s in cited})
    return (f"Karabakh 2020–2024 map dashboard, view of {state.date.isoformat()} "
            f"(data version {timeline.dataset.version}). {link} "
            f"Accessed {dt.date.today().isoformat()}."
            + (f" Latest change sourced from: {'; '.join(publishers)}." if publishers else ""))
