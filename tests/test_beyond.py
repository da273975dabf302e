"""The conflict beyond the former oblast: border areas, Tavush, exclaves, presences (real data)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard.config import REPO_ROOT
from dashboard.geo import area_km2
from dashboard.geobuild import border as border_build
from dashboard.model import AreaKind, Controller, Presence
from tests.conftest import run_cli

D = dt.date.fromisoformat


def state_json(date: str) -> dict:
    done = run_cli("state", "--date", date)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def inside_armenia(doc: dict) -> dict[str, str | None]:
    return {a["id"]: a["controller"] for a in doc["areas"]
            if a["kind"] == "border-area" and a["id"].startswith("ba-20")}


def test_state_has_areas_inside_armenia_only_after_may_2021_and_september_2022():
    before = state_json("2021-05-11")
    assert set(inside_armenia(before).values()) == {None} and before["inside_armenia_km2"] == 0
    may = state_json("2021-06-01")
    held = {a for a, c in inside_armenia(may).items() if c == "azerbaijani"}
    assert held == {"ba-2021-05-syunik", "ba-2021-05-gegharkunik"}
    assert may["inside_armenia_km2"] == pytest.approx(41, abs=0.5)  # the PM's 41 km²
    assert state_json("2022-09-12")["inside_armenia_km2"] == may["inside_armenia_km2"]
    sept = state_json("2022-09-14")
    assert {"ba-2022-09-jermuk", "ba-2022-09-gegharkunik", "ba-2022-09-syunik"} <= {
        a for a, c in inside_armenia(sept).items() if c == "azerbaijani"}
    assert sept["inside_armenia_km2"] == pytest.approx(41 + 139, abs=1)


def test_inside_armenia_is_reported_apart_from_the_contested_area(timeline):
    for date in (D("2021-06-01"), D("2023-01-01")):
        snap = timeline.state_at(date).snapshot
        assert snap.inside_armenia_km2 > 0
        total = snap.control_km2[Controller.ARMENIAN] + snap.control_km2[Controller.AZERBAIJANI]
        assert total == pytest.approx(timeline.contested_km2)
    rows = json.loads(run_cli("timeline", "--format", "json").stdout)
    assert any(r["inside_armenia_km2"] > 0 for r in rows)


def test_the_tavush_villages_flip_on_the_day_the_handover_took_effect(timeline):
    ids = [a for a in timeline.border_areas if a.startswith("ba-tavush")]
    assert len(ids) == 4  # Baghanis Ayrum, Ashaghi Askipara, Kheyrimli, Gizilhajili
    for date, side in ((D("2024-05-23"), Controller.ARMENIAN),
                       (D("2024-05-24"), Controller.AZERBAIJANI)):
        snap = timeline.state_at(date).snapshot
        assert all(snap.area_controller[a] is side for a in ids), date


def test_the_eu_mission_is_a_presence_from_its_start(timeline):
    eu = Presence.EU_MONITORING_MISSION
    assert eu not in timeline.state_at(D("2022-10-19")).snapshot.area_presence["country-arm"]
    assert eu in timeline.state_at(D("2022-10-20")).snapshot.area_presence["country-arm"]
    assert eu not in timeline.state_at(D("2022-12-19")).snapshot.area_presence["country-arm"]
    snap = timeline.state_at(D("2023-02-20")).snapshot
    assert eu in snap.place_presence["yeghegnadzor"]
    assert eu not in timeline.state_at(D("2023-02-19")).snapshot.place_presence["yeghegnadzor"]
    later = timeline.state_at(D("2023-11-01")).snapshot
    assert all(eu in later.place_presence[p] for p in
               ("yeghegnadzor", "goris", "jermuk", "martuni-gegharkunik", "ijevan", "kapan"))


def test_russian_border_guards_leave_agarak_at_the_end_of_2024(timeline):
    guards = Presence.RUSSIAN_BORDER_GUARDS
    assert guards in timeline.state_at(D("2024-12-29")).snapshot.place_presence["agarak"]
    assert guards not in timeline.state_at(D("2024-12-30")).snapshot.place_presence["agarak"]


def test_exclaves_are_places_with_a_dated_event(timeline):
    for place in ("artsvashen", "karki", "yukhari-askipara", "barkhudarly"):
        events = timeline.events_for("place", place)
        assert events and all(e.background for e in events), place
        assert " / " in timeline.dataset.places[place].name, place


def test_border_areas_match_their_attributed_figures(dataset):
    import yaml
    records = yaml.safe_load(
        (REPO_ROOT / "geodata/authored" / border_build.BORDER_FILE).read_text("utf-8"))
    for r in records:
        area = dataset.areas[r["id"]]
        assert area.kind is AreaKind.BORDER_AREA and area.country == r["country"]
        country = dataset.areas[border_build.COUNTRY_AREAS[r["country"]]].geometry
        inside = area_km2(area.geometry.intersection(country.buffer(1e-5)))
        assert inside == pytest.approx(r["km2"], rel=0.01), r["id"]
        assert "SCHEMATIC" in area.accuracy and r["figure"] in area.accuracy


def test_border_areas_rebuild_byte_for_byte(tmp_path):
    geodata = tmp_path / "geodata"
    (geodata / "authored").mkdir(parents=True)
    for name in ("areas-base.geojson", "places.geojson"):
        (geodata / name).write_bytes((REPO_ROOT / "geodata" / name).read_bytes())
    src = REPO_ROOT / "geodata/authored" / border_build.BORDER_FILE
    (geodata / "authored" / src.name).write_bytes(src.read_bytes())
    border_build.build(geodata)
    out = border_build.BORDER_OUT
    assert (geodata / out).read_bytes() == (REPO_ROOT / "geodata" / out).read_bytes()


def test_at_least_180_events(dataset):
    assert len(dataset.events) >= 180


def test_shurnukh_eastern_houses_pass_on_their_date_drawn_not_to_scale(dataset):
    assert "NOT TO SCALE" in dataset.areas["ba-syunik-shurnukh"].accuracy
    def shurnukh(date):
        doc = state_json(date)
        area = next(a for a in doc["areas"] if a["id"] == "ba-syunik-shurnukh")
        return area, doc["inside_armenia_km2"]

    assert shurnukh("2020-12-20")[0]["controller"] is None  # before the GPS marking
    assert shurnukh("2020-12-30")[0]["controller"] == "armenian"
    area, km2 = shurnukh("2021-01-05")
    assert area["controller"] == "azerbaijani"
    assert km2 == 0  # on the Azerbaijani side of the Soviet-era line: not inside Armenia
    assert area["area_km2"] is None  # drawn at a nominal size: no figure to report
