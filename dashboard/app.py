"""Streamlit entry point (``python -m dashboard.serve``, or ``streamlit run dashboard/app.py``)."""

import streamlit as st

from dashboard.views import about, page

st.set_page_config(page_title="Karabakh 2020–2024 map", page_icon="🗺️", layout="wide")

# 1. Data: loaded, validated and indexed once per dataset version (or a clear error page).
bundle = page.load_or_stop()
# 2. The view a shared link asks for, with a notice for anything that fell back.
page.init_view(bundle.timeline)
page.compact_title("Nagorno-Karabakh 2020–2024: control, peacekeepers and corridors")
page.notices()
# 3. Display options: naming convention, layers, optional web basemap.
page.sidebar(bundle)
# 4. Date, map, details, charts and export: one fragment, so a step reruns only this.
page.explorer(bundle)
# 5. About and methodology.
about.render(bundle.timeline)
