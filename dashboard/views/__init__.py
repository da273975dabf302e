"""Views over the engine: the folium map, charts, URL state and the Streamlit page."""
