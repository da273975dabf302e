"""Benchmark floor: a Streamlit page whose slider only updates one line of text."""

import datetime as dt

import streamlit as st

from dashboard.model import TIMELINE_END, TIMELINE_START

start = dt.date.fromisoformat(st.query_params.get("date", "2020-10-01"))
value = st.slider("Date", min_value=TIMELINE_START, max_value=TIMELINE_END, value=start,
                  step=dt.timedelta(days=1), format="YYYY-MM-DD", key="date")
st.markdown(f"floor-date: {value.isoformat()}")
