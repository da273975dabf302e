"""Link parameters: every bad value falls back to its default with a notice."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.views.urlstate import (
    DEFAULT_DATE,
    DEFAULT_LAYERS,
    ViewState,
    parse_query,
    to_query,
)

KNOWN = {"place:shusha", "area:cu-shusha", "route:lachin-corridor"}.__contains__


def parse(**params):
    return parse_query({k: v if isinstance(v, list) else [v] for k, v in params.items()}, KNOWN)


def test_a_good_link_round_trips():
    view = ViewState(date=dt.date(2022, 12, 20), selected="place:shusha", naming="az",
                     layers=frozenset({"control", "places"}), basemap=True)
    parsed, notices = parse_query({k: [v] for k, v in to_query(view).items()}, KNOWN)
    assert parsed == view and notices == []


def test_defaults_are_left_out_of_links():
    assert to_query(ViewState()) == {"date": DEFAULT_DATE.isoformat()}


def test_areas_and_routes_can_be_selected():
    assert parse(place="route:lachin-corridor")[0].selected == "route:lachin-corridor"


@pytest.mark.parametrize(("params", "field", "default"), [
    ({"date": "2020-13-45"}, "date", DEFAULT_DATE),
    ({"date": "1990-01-01"}, "date", DEFAULT_DATE),
    ({"date": "2020-11-10T00:00"}, "date", DEFAULT_DATE),
    ({"date": "<script>alert(1)</script>"}, "date", DEFAULT_DATE),
    ({"date": ["2020-11-10", "2021-01-01"]}, "date", DEFAULT_DATE),
    ({"date": "2" * 5000}, "date", DEFAULT_DATE),
    ({"place": "atlantis"}, "selected", None),
    ({"place": "area:nope"}, "selected", None),
    ({"names": "klingon"}, "naming", "both"),
    ({"layers": "control,lasers"}, "layers", DEFAULT_LAYERS),
    ({"layers": ",,,"}, "layers", DEFAULT_LAYERS),
    ({"basemap": "yes please"}, "basemap", False),
])
def test_bad_values_fall_back_with_a_notice(params, field, default):
    view, notices = parse(**params)
    assert getattr(view, field) == default
    assert len(notices) == 1 and notices[0]


def test_unknown_parameters_are_ignored_with_a_notice():
    view, notices = parse(zoom="11")
    assert view == ViewState() and "zoom" in notices[0]


def test_notices_quote_long_values_shortened():
    _, notices = parse(place="x" * 150)
    assert len(notices[0]) < 200
