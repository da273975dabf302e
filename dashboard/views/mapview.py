"""The folium map: geometry and per-date styles served once, restyled in the browser.

The base map (built by :func:`build_map`) fetches two static files once per dataset
version: every feature's geometry (:func:`base_features`) and every feature's style key on
every change date (:func:`style_table`). It follows the page's date slider by itself, so
a slider step recolours the map in the browser without waiting for the server. Each run
still sends :func:`map_message` (date, layers, naming) through ``st_folium``'s
``feature_group_to_add``; the Leaflet map is never rebuilt or reloaded.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import quote

import folium
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import mapping

from dashboard.engine import State, Timeline
from dashboard.model import TIMELINE_START, AreaKind, Place, PlaceKind, Presence, RouteKind
from dashboard.views.assets import LEAFLET_CSS, LEAFLET_JS, publish_web

#: Toggleable layers, in drawing order (lowest first).
LAYERS: dict[str, str] = {
    "context": "Countries",
    "control": "Control (who holds what)",
    "reference": "Reference: 1991 oblast, 1994 line, districts",
    "presence": "Peacekeepers and missions",
    "routes": "Routes and corridor",
    "places": "Places",
}
#: Naming conventions for labels.
NAMINGS: dict[str, str] = {
    "both": "Both names",
    "hy": "Armenian usage",
    "az": "Azerbaijani usage",
}

# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
GREY, DARK = "#8c8c8c", "#333333"
SIDE_COLOURS = {"armenian": ORANGE, "azerbaijani": BLUE}

#: Leaflet path options per style key; the browser holds this table, a step sends keys.
STYLES: dict[str, dict[str, Any]] = {
    "hidden": {"opacity": 0, "fillOpacity": 0},
    "country": {"color": GREY, "weight": 1, "fillColor": "#f2f2f2", "fillOpacity": 0.6,
                "opacity": 0.9},
    "district": {"color": GREY, "weight": 0.6, "dashArray": "2 3", "fill": False,
                 "opacity": 0.8},
    "oblast": {"color": DARK, "weight": 2, "dashArray": "6 4", "fill": False, "opacity": 0.9},
    "prewar": {"color": DARK, "weight": 1, "dashArray": "1 4", "fill": False, "opacity": 0.7},
    "line": {"color": DARK, "weight": 2.5, "dashArray": "8 4 2 4", "opacity": 0.9},
    # A unit is an outline: its cells carry the fill (settlement-level control).
    "unit-armenian": {"color": ORANGE, "weight": 1.2, "fill": False, "opacity": 0.9},
    "unit-azerbaijani": {"color": BLUE, "weight": 1.2, "fill": False, "opacity": 0.9},
    "unit-none": {"color": GREY, "weight": 0.5, "fillColor": GREY, "fillOpacity": 0.2,
                  "opacity": 1},
    "cell-armenian": {"color": ORANGE, "weight": 0.3, "fillColor": ORANGE, "fillOpacity": 0.55,
                      "opacity": 0.6},
    "cell-azerbaijani": {"color": BLUE, "weight": 0.3, "fillColor": BLUE, "fillOpacity": 0.35,
                         "opacity": 0.6},
    # Held by one side, claimed (and denied) by the other: the holder's colour hatched with
    # the claimant's, outlined in the claimant's colour.
    "cell-armenian-claimed": {"color": BLUE, "weight": 1.5, "dashArray": "3 3",
                              "fillColor": "url(#kb-hatch-armenian-claimed)",
                              "fillOpacity": 0.85, "opacity": 1},
    "cell-azerbaijani-claimed": {"color": ORANGE, "weight": 1.5, "dashArray": "3 3",
                                 "fillColor": "url(#kb-hatch-azerbaijani-claimed)",
                                 "fillOpacity": 0.85, "opacity": 1},
    "cell-none": {"color": GREY, "weight": 0.3, "fillColor": GREY, "fillOpacity": 0.2,
                  "opacity": 0.6},
    "presence-pk": {"color": PURPLE, "weight": 2.5, "dashArray": "4 4", "fillColor": PURPLE,
                    "fillOpacity": 0.12, "opacity": 1},
    "route-open": {"color": GREEN, "weight": 4, "opacity": 1},
    "route-restricted": {"color": YELLOW, "weight": 4, "opacity": 1},
    "route-rerouted": {"color": GREY, "weight": 3, "dashArray": "2 6", "opacity": 1},
    "route-blockaded": {"color": VERMILLION, "weight": 4, "dashArray": "10 6", "opacity": 1},
    "route-checkpoint": {"color": VERMILLION, "weight": 5, "dashArray": "2 4", "opacity": 1},
    # Two statuses at once: the blockade's dashes with the checkpoint's dots between them.
    "route-blockaded+checkpoint": {"color": VERMILLION, "weight": 5, "dashArray": "10 4 2 4",
                                   "opacity": 1},
    "route-closed+checkpoint": {"color": "#000000", "weight": 5, "dashArray": "1 4 6 4",
                                "opacity": 1},
    "route-closed": {"color": "#000000", "weight": 4, "dashArray": "1 5", "opacity": 1},
    "route-azerbaijani_control": {"color": BLUE, "weight": 4, "opacity": 1},
    "route-planned": {"color": DARK, "weight": 3, "dashArray": "1 7", "opacity": 1},
    "route-under_construction": {"color": DARK, "weight": 3, "dashArray": "6 6", "opacity": 0.8},
    "route-inactive": {"color": GREY, "weight": 2, "dashArray": "1 6", "opacity": 0.6},
    "place-armenian": {"color": "#ffffff", "weight": 1.5, "fillColor": ORANGE, "fillOpacity": 1,
                       "radius": 5, "opacity": 1},
    "place-azerbaijani": {"color": "#ffffff", "weight": 1.5, "fillColor": BLUE,
                          "fillOpacity": 1, "radius": 5, "opacity": 1},
    "place-none": {"color": "#ffffff", "weight": 1.5, "fillColor": DARK, "fillOpacity": 1,
                   "radius": 4, "opacity": 1},
    "place-armenian-claimed": {"color": BLUE, "weight": 3, "fillColor": ORANGE,
                               "fillOpacity": 1, "radius": 6, "opacity": 1},
    "place-azerbaijani-claimed": {"color": ORANGE, "weight": 3, "fillColor": BLUE,
                                  "fillOpacity": 1, "radius": 6, "opacity": 1},
    # Front settlements: small points, so that 300 of them do not hide the areas.
    "village-armenian": {"color": "#ffffff", "weight": 0.6, "fillColor": ORANGE,
                         "fillOpacity": 1, "radius": 2.5, "opacity": 1},
    "village-azerbaijani": {"color": "#ffffff", "weight": 0.6, "fillColor": BLUE,
                            "fillOpacity": 1, "radius": 2.5, "opacity": 1},
    "village-none": {"color": "#ffffff", "weight": 0.8, "fillColor": DARK, "fillOpacity": 1,
                     "radius": 2.5, "opacity": 1},
    "village-armenian-claimed": {"color": BLUE, "weight": 2, "fillColor": ORANGE,
                                 "fillOpacity": 1, "radius": 4, "opacity": 1},
    "village-azerbaijani-claimed": {"color": ORANGE, "weight": 2, "fillColor": BLUE,
                                    "fillOpacity": 1, "radius": 4, "opacity": 1},
    "place-checkpoint": {"color": "#000000", "weight": 3, "fillColor": VERMILLION,
                         "fillOpacity": 1, "radius": 8, "opacity": 1},
    "place-mission": {"color": PURPLE, "weight": 3, "fillColor": "#ffffff", "fillOpacity": 1,
                      "radius": 6, "opacity": 1},
    "place-eu": {"color": SKY, "weight": 3, "fillColor": "#ffffff", "fillOpacity": 1,
                 "radius": 6, "opacity": 1},
    "place-guards": {"color": PURPLE, "weight": 3, "fillColor": GREY, "fillOpacity": 1,
                     "radius": 5, "opacity": 1},
    # Schematic border areas: the side's colour, a dark dashed edge (not an observed line).
    "border-azerbaijani": {"color": DARK, "weight": 1.5, "dashArray": "4 3", "fillColor": BLUE,
                           "fillOpacity": 0.45, "opacity": 1},
    "border-armenian": {"color": DARK, "weight": 1.5, "dashArray": "4 3", "fillColor": ORANGE,
                        "fillOpacity": 0.55, "opacity": 1},
    # Merged over a feature's own style when it changed at the latest change date; a route
    # keeps its status colour and only thickens, so the status stays readable.
    "changed-area": {"color": YELLOW, "weight": 4, "opacity": 1},
    "changed-route": {"weight": 8},
    "changed-place": {"color": YELLOW, "weight": 3},
}

#: SVG hatch patterns the styles above name (``url(#id)``): id → (background, stripes).
PATTERNS: dict[str, tuple[str, str]] = {
    "kb-hatch-armenian-claimed": (ORANGE, BLUE),
    "kb-hatch-azerbaijani-claimed": (BLUE, ORANGE),
}

#: Shown under the legend wherever the front cells are drawn.
MODEL_NOTE = ("The front is modelled from settlement reports, not observed: each settlement "
              "stands for the area closer to it than to its neighbours within its unit.")

#: Marks a details card dated after the shown date, in words as well as grey (both editions).
LATER = "Later than the shown date"

#: What each style means, for the legend (style key, label).
LEGEND: tuple[tuple[str, str], ...] = (
    ("cell-armenian", "Held by the Armenian side (Artsakh authorities / Armenian forces), "
                      "as assessed from reports"),
    ("cell-azerbaijani", "Held by Azerbaijan, as assessed from reports"),
    ("cell-armenian-claimed", "Claimed by Azerbaijan, denied by the Armenian side "
                              "(disputed; not yet confirmed)"),
    ("village-armenian", "Settlement (colour: who holds it; ringed: disputed claim)"),
    ("unit-armenian", "Control unit (district or handover area), outline"),
    ("presence-pk", "Russian peacekeepers' zone or corridor strip (while deployed)"),
    ("changed-area", "Changed at the latest change date"),
    ("oblast", "Former Nagorno-Karabakh Autonomous Oblast (1991)"),
    ("line", "Line of contact, 1994–2020"),
    ("route-open", "Route open"),
    ("route-rerouted", "Route no longer used by the corridor (re-routed)"),
    ("route-blockaded", "Route blockaded"),
    ("route-checkpoint", "Route under a checkpoint"),
    ("route-blockaded+checkpoint", "Route blockaded while a checkpoint stands"),
    ("route-closed+checkpoint", "Route closed, checkpoint in place"),
    ("route-closed", "Route closed"),
    ("route-azerbaijani_control", "Route under Azerbaijani control"),
    ("route-planned", "Planned link (agreed in principle, not built)"),
    ("place-checkpoint", "Checkpoint (while in place)"),
    ("place-mission", "Monitoring centre (while in place)"),
    ("border-azerbaijani", "Border area held by Azerbaijani forces (schematic: where and how "
                           "large officials said, not its outline)"),
    ("border-armenian", "Border area held by Armenia until the 2024 delimitation (schematic)"),
    ("place-eu", "EU monitoring mission base (while in place)"),
    ("place-guards", "Russian border guards' post (while in place)"),
)

_UID = re.compile(r"\[\[((?:place|area|route):[a-z0-9][a-z0-9-]*)\]\]")


def area_layer(kind: AreaKind) -> str:
    return {
        AreaKind.COUNTRY: "context",
        AreaKind.CONTROL_UNIT: "control",
        AreaKind.FRONT_CELL: "control",
        AreaKind.BORDER_AREA: "control",
        AreaKind.PEACEKEEPING_ZONE: "presence",
        AreaKind.CORRIDOR_STRIP: "presence",
    }.get(kind, "reference")


def route_layer(kind: RouteKind) -> str:
    return "reference" if kind is RouteKind.LINE else "routes"


def _labels(record) -> dict[str, str]:
    names = record.names
    return {"label_both": record.name, "label_hy": names.hy or record.name,
            "label_az": names.az or record.name}


def zoom_label(timeline: Timeline, place: Place) -> bool:
    """Label shown only when zoomed in: the front's settlements (small points)."""
    return place.district is not None or (
        place.kind is PlaceKind.VILLAGE and timeline.place_cell.get(place.id) is not None)


def permanent_label(timeline: Timeline, place: Place) -> bool:
    """Label always shown: cities and capitals, and towns inside the contested area."""
    if zoom_label(timeline, place):
        return False
    if place.kind in (PlaceKind.CAPITAL, PlaceKind.CITY):
        return True
    return place.kind is PlaceKind.TOWN and timeline.place_unit.get(place.id) is not None


def _claimed(side, claimed_by) -> str:
    return "-claimed" if side is not None and claimed_by is not None else ""


def base_features(timeline: Timeline, precision: int = 4) -> dict[str, Any]:
    """Every drawable feature once, in drawing order, with its labels: the static file."""
    dataset = timeline.dataset
    rows: list[tuple[int, str, dict[str, Any]]] = []
    order = list(LAYERS)
    for area in dataset.areas.values():
        layer = area_layer(area.kind)
        rows.append((order.index(layer), f"area:{area.id}", {
            "layer": layer, "permanent": False, **_labels(area), "geom": area.geometry}))
    for route in dataset.routes.values():
        layer = route_layer(route.kind)
        rows.append((order.index(layer), f"route:{route.id}", {
            "layer": layer, "permanent": False, **_labels(route), "geom": route.geometry}))
    for place in dataset.places.values():
        rows.append((order.index("places"), f"place:{place.id}", {
            "layer": "places", "permanent": permanent_label(timeline, place),
            "zoomLabel": zoom_label(timeline, place), **_labels(place),
            "geom": place.geometry}))
    features = []
    # Within a layer: the front's small cells and settlements first, so that towns, units
    # and border areas are drawn (and clicked) above them.
    def order_key(row):
        small = row[2].get("zoomLabel") or row[1].startswith("area:cell-")
        return (row[0], not small, row[1])

    for _, uid, props in sorted(rows, key=order_key):
        geom = props.pop("geom")
        features.append({
            "type": "Feature",
            "geometry": _round(mapping(geom), precision),
            "properties": {"uid": uid, **props},
        })
    return {"type": "FeatureCollection", "features": features}


def _round(obj, precision):
    if isinstance(obj, float):
        return round(obj, precision)
    if isinstance(obj, list | tuple):
        return [_round(v, precision) for v in obj]
    if isinstance(obj, dict):
        return {k: _round(v, precision) for k, v in obj.items()}
    return obj


#: A place hosting one of these is drawn as its host, whoever holds it (first match wins).
PLACE_PRESENCE_KEYS = (
    (Presence.RUSSIAN_TURKISH_MONITORING, "place-mission"),
    (Presence.EU_MONITORING_MISSION, "place-eu"),
    (Presence.RUSSIAN_BORDER_GUARDS, "place-guards"),
)


def style_keys(timeline: Timeline, state: State, layers: set[str]) -> dict[str, str]:
    """The style key of every feature shown on this date with these layers on."""
    data, snap = timeline.dataset, state.snapshot
    keys: dict[str, str] = {}
    for area in data.areas.values():
        layer = area_layer(area.kind)
        if layer not in layers:
            continue
        if area.kind in (AreaKind.CONTROL_UNIT, AreaKind.FRONT_CELL):
            controller = snap.area_controller.get(area.id)
            if area.kind is AreaKind.CONTROL_UNIT:
                keys[f"area:{area.id}"] = f"unit-{controller.value if controller else 'none'}"
                continue
            keys[f"area:{area.id}"] = (f"cell-{controller.value if controller else 'none'}"
                                       + _claimed(controller, snap.area_claimed_by.get(area.id)))
        elif area.kind is AreaKind.BORDER_AREA:
            controller = snap.area_controller.get(area.id)
            if controller is not None:  # drawn from the date its holder is reported
                keys[f"area:{area.id}"] = f"border-{controller.value}"
        elif layer == "presence":
            if Presence.RUSSIAN_PEACEKEEPERS in snap.area_presence.get(area.id, ()):
                keys[f"area:{area.id}"] = "presence-pk"
        else:
            keys[f"area:{area.id}"] = {
                AreaKind.COUNTRY: "country", AreaKind.DISTRICT: "district",
                AreaKind.FORMER_OBLAST: "oblast", AreaKind.PREWAR_HELD: "prewar",
            }[area.kind]
    for route in data.routes.values():
        if route_layer(route.kind) not in layers:
            continue
        if route.kind is RouteKind.LINE:
            keys[f"route:{route.id}"] = "line"
            continue
        status = snap.route_status.get(route.id)
        if status is not None and (route.valid_from is None or state.date >= route.valid_from):
            also = "".join(f"+{a.value}" for a in snap.route_also.get(route.id, ()))
            keys[f"route:{route.id}"] = f"route-{status.value}{also}"
    if "places" in layers:
        for place in data.places.values():
            presence = snap.place_presence.get(place.id, frozenset())
            if place.kind is PlaceKind.CHECKPOINT:
                if Presence.AZERBAIJANI_CHECKPOINT in presence:
                    keys[f"place:{place.id}"] = "place-checkpoint"
                continue
            hosted = next((key for p, key in PLACE_PRESENCE_KEYS if p in presence), None)
            if hosted is not None:
                keys[f"place:{place.id}"] = hosted
                continue
            controller = snap.place_controller.get(place.id)
            prefix = "village" if zoom_label(timeline, place) else "place"
            keys[f"place:{place.id}"] = (
                f"{prefix}-{controller.value if controller else 'none'}"
                + _claimed(controller, snap.place_claimed_by.get(place.id)))
    return keys


def style_table(timeline: Timeline) -> dict[str, Any]:
    """Every feature's style key on every date, for the browser: the static states file.

    One entry per date on which any key can change (the change dates and the routes'
    ``valid_from``), each holding only the keys that differ from the entry before (``None``:
    hidden) and the features that changed on that date. Keys are for all layers; the
    browser hides the layers that are off. Between two entry dates nothing changes, so
    the map can follow the slider without asking the server.
    """
    # The first entry is the slider's first day (the browser uses it for anything earlier).
    dates = sorted({TIMELINE_START, *(d for d in timeline.change_dates if d > TIMELINE_START),
                    *(r.valid_from for r in timeline.dataset.routes.values()
                      if r.valid_from and r.valid_from > TIMELINE_START)})
    entries, shown = [], {}
    for date in dates:
        state = timeline.state_at(date)
        keys = style_keys(timeline, state, set(LAYERS))
        diff = {uid: keys.get(uid) for uid in sorted(shown.keys() | keys.keys())
                if keys.get(uid) != shown.get(uid)}
        changed = sorted(uid for uid in state.snapshot.changed if uid in keys)
        entries.append({"date": date.isoformat(), "keys": diff, "changed": changed})
        shown = keys
    return {"entries": entries}


def map_message(date: dt.date, layers: list[str], naming: str,
                highlight: list[str] | None = None,
                report_drawn: bool = False) -> dict[str, Any]:
    """The small message a slider step sends to the browser: the view, not the styles;
    ``highlight``: the features a comparison of two dates marks (else the latest change);
    ``report_drawn``: the map sends back ``DRAWN_VALUE`` once it has drawn (the page then
    draws its other parts, ``dashboard.views.page``)."""
    message: dict[str, Any] = {"date": date.isoformat(), "layers": list(layers),
                               "naming": naming}
    if highlight is not None:
        message["highlight"] = highlight
    if report_drawn:
        message["report_drawn"] = True
    return message


#: The map frame's accessible name (st_folium's frame is otherwise named after the component).
FRAME_TITLE = ("Map of who held what on the date shown; open a place by keyboard with "
               "'Find a place, area or route'")


#: What the map sends back after its first draw when asked to (st_folium's value shape).
DRAWN_VALUE = {"last_object_clicked": None, "last_object_clicked_tooltip": None,
               "kb_drawn": True}


def safe_json(doc: Any) -> str:
    """JSON that is also safe inside an HTML script element."""
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


class _BaseLayers(MacroElement):
    """Creates the shared map (``dashboard/web/kbmap.js``) and makes it follow the page.

    The map shows the date on the page's date slider as soon as the slider moves (it
    watches the slider in the parent page, same origin), from the states file: a step
    needs no server round trip to recolour the map. The server's message sets the layers
    and naming, and is the date to show when no slider is found.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  if (map.attributionControl) {
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution("Natural Earth · GeoNames (CC BY 4.0)");
  }
  var SLIDER_LABEL = {{ this.slider_label_json }};
  function getJSON(url) {
    var early = (window.kbEarly || {})[url];  // fetched while the scripts loaded
    if (early !== undefined) { delete window.kbEarly[url]; return JSON.parse(early); }
    // Synchronous on purpose: the layers must exist before st_folium binds click handlers.
    var request = new XMLHttpRequest();
    request.open("GET", url, false);
    request.send(null);
    return JSON.parse(request.responseText);
  }
  var kb = new KBMap(map, {
    geometry: getJSON({{ this.geometry_url_json }}), states: getJSON({{ this.states_url_json }}),
    styles: {{ this.styles_json }}, patterns: {{ this.patterns_json }},
    labelZoom: {{ this.label_zoom }}, legend: {{ this.legend_json }},
    modelNote: {{ this.model_note_json }}, legendClosed: true,
    onClick: reportClickNow});

  function sliderDate() {  // the date slider's value (microseconds since 1970, UTC)
    try {
      var input = window.parent.document.querySelector(
        'input[type="range"][aria-label="' + SLIDER_LABEL + '"]');
      var us = input ? Number(input.value) : NaN;
      return isFinite(us) ? new Date(us / 1000).toISOString().slice(0, 10) : null;
    } catch (err) { return null; }  // not same origin, or no parent page
  }

  var view = null;
  function draw() {
    if (view) { kb.show({date: sliderDate() || view.date, layers: view.layers,
                         naming: view.naming, highlight: view.highlight}); }
  }

  // st_folium reports a click after a fixed 250 ms pause (it debounces every map event).
  // A click is one deliberate act, so send it at once, after st_folium's own handler has
  // recorded it, and mark it as sent so the delayed report finds nothing new.
  function reportClickNow() {
    setTimeout(function () {
      var g = window.__GLOBAL_DATA__, ll = g && g.last_object_clicked;
      var wanted = ["last_object_clicked", "last_object_clicked_tooltip"];
      if (!ll || !g.returned_objects || g.returned_objects.length !== wanted.length ||
          !wanted.every(function (k) { return g.returned_objects.indexOf(k) >= 0; })) {
        return;  // not the shape this page asks for: leave it to st_folium
      }
      var value = {last_object_clicked: {lat: ll.lat, lng: ll.lng},
                   last_object_clicked_tooltip: g.last_object_clicked_tooltip};
      if (JSON.stringify(g.previous_data) === JSON.stringify(value)) { return; }
      g.previous_data = value;
      window.parent.postMessage({isStreamlitMessage: true, dataType: "json",
                                 type: "streamlit:setComponentValue", value: value}, "*");
    }, 0);
  }

  // Tell the page the map has drawn, once, when its message asks (a new session's first
  // run, which holds the page's other parts back until then).
  function reportDrawn() {
    window.kbReportedDrawn = true;
    window.parent.postMessage({isStreamlitMessage: true, dataType: "json",
                               type: "streamlit:setComponentValue",
                               value: {{ this.drawn_value_json }}}, "*");
  }

  // The frame's accessible name: what a screen reader announces for the map.
  try { if (window.frameElement) { window.frameElement.title = {{ this.frame_title_json }}; } }
  catch (err) { /* not same origin: the page's own name stays */ }
  window.kbMap = kb;  // for tests: the shared map object of this frame
  window.kbApplyState = function (message) {
    view = message; draw();
    if (message.report_drawn && !window.kbReportedDrawn) { reportDrawn(); }
  };
  // One observer per frame: a re-rendered map replaces the previous one's.
  if (window.kbObserver) { window.kbObserver.disconnect(); }
  window.kbObserver = new MutationObserver(draw);
  try {
    window.kbObserver.observe(window.parent.document.body, {
      attributes: true, attributeFilter: ["aria-valuetext", "value"], subtree: true});
  } catch (err) { /* no parent page to follow: the server's messages set the date */ }
  window.addEventListener("pagehide", function () { window.kbObserver.disconnect(); });
  if (window.kbPendingState) { window.kbApplyState(window.kbPendingState); }
})();
{% endmacro %}
""")

    def __init__(self, geometry_url: str, states_url: str, slider_label: str):
        super().__init__()
        self._name = "KarabakhLayers"
        self.geometry_url_json = safe_json(geometry_url)
        self.states_url_json = safe_json(states_url)
        self.slider_label_json = safe_json(slider_label)
        self.styles_json = safe_json(STYLES)
        self.patterns_json = safe_json(PATTERNS)
        self.legend_json = safe_json([list(item) for item in LEGEND])
        self.model_note_json = safe_json(MODEL_NOTE)
        self.drawn_value_json = safe_json(DRAWN_VALUE)
        self.frame_title_json = safe_json(FRAME_TITLE)
        self.label_zoom = LABEL_ZOOM


class _ApplyState(MacroElement):
    """A step's message: the view to show (layers, naming, and the server's date)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (s) {
  if (window.kbApplyState) { window.kbApplyState(s); } else { window.kbPendingState = s; }
})({{ this.state_json }});
{% endmacro %}
""")

    def __init__(self, state: dict[str, Any]):
        super().__init__()
        self._name = "KarabakhState"
        self.state_json = safe_json(state)


MAP_CENTER = (39.85, 46.55)
#: The first view: everything that changes, from Nakhchivan's border and Tavush to the Aras.
MAP_BOUNDS = ((38.8, 44.9), (41.2, 47.6))
#: Village labels appear from this zoom level on.
LABEL_ZOOM = 11
#: Small, quiet labels: the map is about areas, names must not hide them.
MAP_ZOOM = 8


def early_fetch_script(*urls: str) -> str:
    """A script (as a ``data:`` URL) that starts fetching ``urls`` at once. st_folium loads
    the map's scripts one after another; this one goes first, so the map's data files
    arrive while Leaflet and kbmap.js load, and the map finds them in ``window.kbEarly``
    (it fetches them itself if they have not arrived yet). Compact, because st_folium
    sends its list of scripts with every step."""
    script = ("(function(urls){var got=window.kbEarly={};urls.forEach(function(url){"
              "var r=new XMLHttpRequest();r.open('GET',url);r.onload=function(){"
              "if(r.status===200){got[url]=r.responseText;}};r.send();});})"
              f"({safe_json(list(urls))});")
    return "data:text/javascript," + quote(script, safe="/:;,=(){}[]._-!'+")


def build_map(geometry_url: str, states_url: str, slider_label: str,
              basemap: bool = False) -> folium.Map:
    """The base map: no web assets, no tiles unless ``basemap`` (an optional extra)."""
    # keyboard=False: Leaflet's keyboard handler focuses the map on mousedown, which makes
    # the page scroll a partly visible map between press and release, so the click lands
    # on another feature. The slider and buttons are the keyboard controls.
    fmap = folium.Map(location=MAP_CENTER, zoom_start=MAP_ZOOM, tiles=None, min_zoom=6,
                      max_zoom=13, control_scale=True, keyboard=False, zoom_snap=0.25)
    # Serve Leaflet from the app itself; folium's default list points at CDNs.
    fmap.default_js = [("kb_early", early_fetch_script(geometry_url, states_url)),
                       ("leaflet", LEAFLET_JS), ("kbmap", publish_web("kbmap.js"))]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS), ("kbmap_css", publish_web("kbmap.css"))]
    if basemap:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (web, optional)").add_to(fmap)
    fmap.add_child(_BaseLayers(geometry_url, states_url, slider_label))
    fmap.fit_bounds([list(MAP_BOUNDS[0]), list(MAP_BOUNDS[1])])
    return fmap


def state_layer(state: dict[str, Any]) -> folium.FeatureGroup:
    """The per-step feature group for ``st_folium(feature_group_to_add=...)``."""
    group = folium.FeatureGroup(name="state", control=False)
    group.add_child(_ApplyState(state))
    return group


def clicked_uid(value: dict[str, Any] | None) -> str | None:
    """The ``kind:id`` of the feature a st_folium click value points at, if any."""
    tooltip = (value or {}).get("last_object_clicked_tooltip")
    match = _UID.search(tooltip) if isinstance(tooltip, str) else None
    return match.group(1) if match else None
