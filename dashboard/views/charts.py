"""Altair charts: km² held by each side over time, and events per month by kind."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import altair as alt

from dashboard.engine import Timeline
from dashboard.model import TIMELINE_END, TIMELINE_START, Event
from dashboard.views.mapview import SIDE_COLOURS

SIDE_LABELS = {"armenian": "Armenian side", "azerbaijani": "Azerbaijan"}


def control_series(timeline: Timeline) -> list[dict[str, Any]]:
    """km² per side at the slider's start, at each change date inside it, and at its end."""
    dates = [TIMELINE_START, *(d for d in timeline.change_dates
                               if TIMELINE_START < d <= TIMELINE_END), TIMELINE_END]
    rows = []
    for date in dates:
        km2 = timeline.state_at(date).snapshot.control_km2
        for side, label in SIDE_LABELS.items():
            rows.append({"date": date.isoformat(), "side": label, "km2": round(km2[side], 1)})
    return rows


def inside_armenia_series(timeline: Timeline) -> list[dict[str, Any]]:
    """km² of the schematic border areas inside Armenia held by Azerbaijani forces."""
    dates = [TIMELINE_START, *(d for d in timeline.change_dates
                               if TIMELINE_START < d <= TIMELINE_END), TIMELINE_END]
    return [{"date": d.isoformat(),
             "km2": round(timeline.state_at(d).snapshot.inside_armenia_km2, 1)} for d in dates]


def inside_armenia_chart(timeline: Timeline) -> alt.LayerChart:
    line = alt.Chart(alt.Data(values=inside_armenia_series(timeline))).mark_line(
        interpolate="step-after", strokeWidth=2.5, color=SIDE_COLOURS["azerbaijani"]).encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("km2:Q", title="km² inside Armenia"),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("km2:Q", format=",.1f")],
    )
    return (line + _marker("date")).properties(height=140)


def control_chart(timeline: Timeline) -> alt.LayerChart:
    data = alt.Data(values=control_series(timeline))
    colour = alt.Color("side:N", title=None, scale=alt.Scale(
        domain=list(SIDE_LABELS.values()), range=[SIDE_COLOURS[s] for s in SIDE_LABELS]),
        legend=alt.Legend(orient="top"))
    lines = alt.Chart(data).mark_line(interpolate="step-after", strokeWidth=2.5).encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("km2:Q", title="km² of the contested area"),
        color=colour,
        tooltip=[alt.Tooltip("date:T"), "side:N", alt.Tooltip("km2:Q", format=",.0f")],
    )
    return (lines + _marker("date")).properties(height=220)


def events_by_month(events: list[Event]) -> list[dict[str, Any]]:
    counts = Counter((e.date.strftime("%Y-%m-01"), e.kind.value) for e in events
                     if not e.background)
    return [{"month": m, "kind": k, "events": n} for (m, k), n in sorted(counts.items())]


def events_chart(events: list[Event]) -> alt.LayerChart:
    bars = alt.Chart(alt.Data(values=events_by_month(events))).mark_bar().encode(
        x=alt.X("month:T", title=None, timeUnit="yearmonth"),
        y=alt.Y("events:Q", title="events per month"),
        color=alt.Color("kind:N", title="kind", scale=alt.Scale(scheme="tableau10")),
        tooltip=[alt.Tooltip("month:T", timeUnit="yearmonth", title="month"), "kind:N",
                 "events:Q"],
    )
    return (bars + _marker("month")).properties(height=200)


MARKER = "shown_date"  # the named dataset that holds the slider's date


def _marker(field: str) -> alt.Chart:
    return alt.Chart(alt.NamedData(MARKER)).mark_rule(
        color="#333333", strokeDash=[4, 3]).encode(x=alt.X(f"{field}:T"))


def chart_specs(timeline: Timeline) -> dict[str, dict]:
    """Both charts as Vega-Lite specs, built (and validated by Altair) once per dataset."""
    return {"control": control_chart(timeline).to_dict(),
            "inside_armenia": inside_armenia_chart(timeline).to_dict(),
            "events": events_chart(list(timeline.events)).to_dict()}


def with_marker(spec: dict, field: str, shown: dt.date) -> dict:
    """A copy of ``spec`` whose date marker stands at ``shown``: no Altair work per step."""
    datasets = dict(spec.get("datasets", {}))
    datasets[MARKER] = [{field: shown.isoformat()}]
    return {**spec, "datasets": datasets}
