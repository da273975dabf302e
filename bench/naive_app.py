"""Benchmark 'naive' mode: the project's own map, rebuilt and re-sent in full on every step.

Not a mode of the product: the same data and styles as the dashboard, drawn the obvious
way (one folium GeoJson with per-feature styles, a new st_folium map each step), to
measure what the product's restyle-in-place design saves.
"""

import datetime as dt
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

from bench.stamp import DateStamp
from dashboard.config import default_data_dir
from dashboard.engine import Timeline
from dashboard.load import load_dataset
from dashboard.model import TIMELINE_END, TIMELINE_START
from dashboard.views import mapview
from dashboard.views.assets import LEAFLET_CSS, LEAFLET_JS, ensure_leaflet


@st.cache_resource
def _timeline() -> Timeline:
    ensure_leaflet(Path(__file__).parent / "static")
    return Timeline(load_dataset(default_data_dir()))


timeline = _timeline()
start = dt.date.fromisoformat(st.query_params.get("date", "2020-10-01"))
date = st.slider("Date", min_value=TIMELINE_START, max_value=TIMELINE_END, value=start,
                 step=dt.timedelta(days=1), format="YYYY-MM-DD", key="date")
state = timeline.state_at(date)
keys = mapview.style_keys(timeline, state, set(mapview.LAYERS))
fmap = folium.Map(location=mapview.MAP_CENTER, zoom_start=mapview.MAP_ZOOM, tiles=None)
fmap.default_js = [("leaflet", LEAFLET_JS)]
fmap.default_css = [("leaflet_css", LEAFLET_CSS)]
folium.GeoJson(
    mapview.base_features(timeline),
    style_function=lambda f: mapview.STYLES[keys.get(f["properties"]["uid"], "hidden")],
    marker=folium.CircleMarker(radius=5),
).add_to(fmap)
fmap.add_child(DateStamp(date.isoformat()))
st_folium(fmap, height=560, use_container_width=True,
          returned_objects=["last_object_clicked_tooltip"])
