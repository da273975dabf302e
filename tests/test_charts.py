"""Chart data comes from the engine; the per-step marker never touches the cached spec."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.views import charts


def test_control_series_spans_the_slider_and_adds_up(timeline):
    rows = charts.control_series(timeline)
    assert rows[0]["date"] == "2020-09-01" and rows[-1]["date"] == "2024-12-31"
    by_date: dict[str, float] = {}
    for row in rows:
        by_date[row["date"]] = by_date.get(row["date"], 0) + row["km2"]
    assert all(abs(v - timeline.contested_km2) <= 0.5 for v in by_date.values())


def test_events_by_month_counts_every_non_background_event(dataset):
    rows = charts.events_by_month(list(dataset.events))
    assert sum(r["events"] for r in rows) == sum(1 for e in dataset.events if not e.background)


def test_marker_moves_without_mutating_the_cached_spec(timeline):
    specs = charts.chart_specs(timeline)
    before = repr(specs["control"])
    moved = charts.with_marker(specs["control"], "date", dt.date(2023, 9, 20))
    assert moved["datasets"][charts.MARKER] == [{"date": "2023-09-20"}]
    assert repr(specs["control"]) == before


@pytest.mark.parametrize("name", ["control", "events"])
def test_specs_are_vega_lite(timeline, name):
    spec = charts.chart_specs(timeline)[name]
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
