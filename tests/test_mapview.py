"""The map builder: what it renders from a state (features, style keys), not folium internals."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import unquote

import pytest

from dashboard.views import mapview
from dashboard.views.mapview import LAYERS, STYLES

ALL = set(LAYERS)


def keys_at(timeline, date, layers=ALL):
    return mapview.style_keys(timeline, timeline.state_at(dt.date.fromisoformat(date)), layers)


def test_base_features_hold_every_record_once_with_both_names(timeline, dataset):
    fc = mapview.base_features(timeline)
    uids = [f["properties"]["uid"] for f in fc["features"]]
    assert len(uids) == len(set(uids)) == (
        len(dataset.places) + len(dataset.areas) + len(dataset.routes))
    shusha = next(f for f in fc["features"] if f["properties"]["uid"] == "place:shusha")
    props = shusha["properties"]
    assert props["label_hy"] != props["label_az"]
    assert props["layer"] == "places"


def test_places_draw_above_areas(timeline):
    layers = [f["properties"]["layer"] for f in mapview.base_features(timeline)["features"]]
    assert layers.index("places") > max(i for i, layer in enumerate(layers) if layer == "control")


@pytest.mark.parametrize(("date", "uid", "key"), [
    ("2020-11-07", "area:cu-shusha", "unit-armenian"),
    ("2020-11-10", "area:cu-shusha", "unit-azerbaijani"),
    ("2020-11-08", "place:shusha", "place-armenian-claimed"),
    ("2020-11-09", "place:shusha", "place-azerbaijani"),
    ("2020-10-10", "place:hadrut", "place-armenian-claimed"),
    ("2020-10-10", "area:cell-hadrut", "cell-armenian-claimed"),
    ("2020-09-26", "area:cell-jabrayil", "cell-armenian"),
    ("2020-11-10", "area:pk-zone", "presence-pk"),
    ("2022-12-20", "route:lachin-corridor", "route-blockaded"),
    ("2023-05-01", "place:hakari-checkpoint", "place-checkpoint"),
    ("2020-11-10", "route:nakhchivan-link", "route-planned"),
    ("2020-11-10", "route:line-1994", "line"),
])
def test_style_keys(timeline, date, uid, key):
    assert keys_at(timeline, date)[uid] == key


@pytest.mark.parametrize(("date", "uid"), [
    ("2020-11-09", "area:pk-zone"),          # before the peacekeepers deployed
    ("2024-06-12", "area:pk-zone"),          # after the last left
    ("2023-04-22", "place:hakari-checkpoint"),  # before the checkpoint
    ("2020-11-09", "route:lachin-corridor"),  # no corridor before the statement
])
def test_features_absent_on_a_date_are_hidden(timeline, date, uid):
    assert uid not in keys_at(timeline, date)


def test_layer_toggles_hide_whole_layers(timeline):
    keys = keys_at(timeline, "2022-12-20", {"control"})
    assert keys and all(k.startswith(("area:cu-", "area:cell-", "area:ba-")) for k in keys)


def test_every_style_key_used_exists(timeline):
    for snap_date in timeline.change_dates:
        for key in keys_at(timeline, max(snap_date, dt.date(2020, 9, 1)).isoformat()).values():
            assert key in STYLES


def table_at(table, date: dt.date) -> tuple[dict[str, str], list[str]]:
    """What the browser does with the states file: replay the entries up to ``date``."""
    keys, changed = {}, []
    for i, entry in enumerate(table["entries"]):
        if entry["date"] > date.isoformat() and i > 0:  # the first entry stands for earlier
            break
        keys.update(entry["keys"])
        changed = entry["changed"]
    return {uid: key for uid, key in keys.items() if key is not None}, changed


def test_style_table_gives_the_engines_styles_on_every_date(timeline):
    table = mapview.style_table(timeline)
    day, checked = dt.date(2020, 9, 1), 0
    while day <= dt.date(2024, 12, 31):  # every 3rd day, plus the day before each change
        for date in (day, day - dt.timedelta(days=1)):
            state = timeline.state_at(date)
            keys, changed = table_at(table, date)
            assert keys == mapview.style_keys(timeline, state, ALL), date
            assert set(changed) == state.snapshot.changed & keys.keys(), date
            checked += 1
        day += dt.timedelta(days=3)
    for change in (d for d in timeline.change_dates if d >= dt.date(2020, 9, 1)):
        keys, changed = table_at(table, change)
        assert keys == mapview.style_keys(timeline, timeline.state_at(change), ALL)
    assert checked > 1000


def test_style_table_entries_hold_only_differences(timeline):
    entries = mapview.style_table(timeline)["entries"]
    assert [e["date"] for e in entries] == sorted(e["date"] for e in entries)
    shown: dict = {}
    for entry in entries:
        assert all(shown.get(uid) != key for uid, key in entry["keys"].items())
        shown.update(entry["keys"])
    # ~700 more features since the front cells (15 KB gzipped): one file, fetched once.
    assert len(mapview.safe_json(mapview.style_table(timeline))) < 200_000


def test_shusha_is_highlighted_on_the_day_it_changed_hands(timeline):
    keys, changed = table_at(mapview.style_table(timeline), dt.date(2020, 11, 9))
    assert "area:cell-shusha" in changed and keys["area:cell-shusha"] == "cell-azerbaijani"


def test_map_message_is_the_view_only():
    message = mapview.map_message(dt.date(2020, 11, 8), ["control", "places"], "az")
    assert message == {"date": "2020-11-08", "layers": ["control", "places"], "naming": "az"}


def test_safe_json_cannot_close_a_script():
    text = mapview.safe_json({"t": "</script><script>alert(1)</script>&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["t"].startswith("</script>")


@pytest.mark.parametrize(("tooltip", "uid"), [
    ("Shushi / Shusha[[place:shusha]]", "place:shusha"),
    ("x[[area:cu-shusha]]", "area:cu-shusha"),
    ("no uid here", None),
    ("[[script:alert]]", None),
])
def test_clicked_uid(tooltip, uid):
    assert mapview.clicked_uid({"last_object_clicked_tooltip": tooltip}) == uid
    assert mapview.clicked_uid(None) is None


def test_map_loads_leaflet_from_the_app_not_a_cdn():
    fmap = mapview.build_map("/app/static/generated/geometry-x.json",
                            "/app/static/generated/states-x.json", "Date")
    html = fmap.get_root().render()
    assert "/app/static/leaflet-" in html
    for cdn in ("cdn.jsdelivr", "cdnjs", "code.jquery", "unpkg", "tile.openstreetmap"):
        assert cdn not in html, cdn


def test_the_maps_data_files_are_fetched_before_its_scripts_load():
    urls = ("/app/static/generated/geometry-x.json", "/app/static/generated/states-x.json")
    fmap = mapview.build_map(*urls, "Date")
    first = fmap.default_js[0][1]  # st_folium loads the scripts in this order, one by one
    assert first == mapview.early_fetch_script(*urls)
    assert first.startswith("data:text/javascript,")
    assert all(url in unquote(first) for url in urls)


def test_web_basemap_only_when_asked():
    html = mapview.build_map("/x.json", "/s.json", "Date", basemap=True).get_root().render()
    assert "tile.openstreetmap" in html
