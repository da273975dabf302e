"""Benchmark reference 'bare map': an empty st_folium map, Leaflet served by the app.

What any page built on st_folium pays before its first map, with no data and no page
around it: Streamlit's front end, the component's iframe and Leaflet. Only its cold
start and second visitor are measured.
"""

import datetime as dt
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

from bench.stamp import DateStamp
from dashboard.views import mapview
from dashboard.views.assets import LEAFLET_CSS, LEAFLET_JS, ensure_leaflet

ensure_leaflet(Path(__file__).parent / "static")
date = dt.date.fromisoformat(st.query_params.get("date", "2020-10-01"))
fmap = folium.Map(location=mapview.MAP_CENTER, zoom_start=mapview.MAP_ZOOM, tiles=None)
fmap.default_js = [("leaflet", LEAFLET_JS)]
fmap.default_css = [("leaflet_css", LEAFLET_CSS)]
fmap.add_child(DateStamp(date.isoformat()))
st_folium(fmap, height=560, use_container_width=True, returned_objects=[])
