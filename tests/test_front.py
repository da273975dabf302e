"""The settlement-level front: claims, cells and the km² they add up to (real data)."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.config import REPO_ROOT
from dashboard.geobuild import cells as cells_build
from dashboard.model import TIMELINE_END, TIMELINE_START, AreaKind, Controller
from dashboard.views import about

WAR_START, STATEMENT = dt.date(2020, 9, 27), dt.date(2020, 11, 10)


def test_every_settlement_has_a_sourced_coordinate_with_its_precision(dataset, timeline):
    settlements = [p for p in dataset.places.values() if p.district]
    assert len(settlements) >= 140
    for place in settlements:
        assert place.sources[0] in dataset.sources, place.id
        assert place.accuracy, place.id
        if place.coord_check is not None:
            assert place.coord_check.source in dataset.sources, place.id
        assert timeline.place_cell[place.id] == f"cell-{place.id}", place.id


def test_every_claim_denial_and_confirmation_has_a_source(dataset):
    assert len(dataset.claims) >= 200
    for claim in dataset.claims:
        parts = [claim, *claim.denials, *claim.confirmations]
        assert all(part.sources and all(s in dataset.sources for s in part.sources)
                   for part in parts), claim.id
        assert all(s in dataset.places for s in claim.settlements), claim.id


def test_a_settlement_announced_twice_keeps_both_records(timeline):
    twice = {s: cs for s in timeline.dataset.places
             if len(cs := timeline.claims_for("place", s)) > 1}
    assert twice
    for claims in twice.values():
        assert len({c.id for c in claims}) == len(claims)


def test_the_front_moves_on_many_war_dates(timeline):
    moved = {s.date for s in timeline.snapshots if WAR_START <= s.date <= STATEMENT
             and any(uid.startswith("area:cell-") for uid in s.changed)}
    # 27 of the 45 days: on the others no settlement was named (geodata/README.md).
    assert len(moved) >= 27
    assert timeline.front_moves(WAR_START, STATEMENT) == sorted(moved)


def test_the_method_and_the_geodata_readme_count_the_front_moves_as_the_data_does(timeline):
    moved, days = len(timeline.front_moves(WAR_START, STATEMENT)), 45
    assert f"moves on {moved} of the {days} days" in about.method_text(timeline)
    readme = (REPO_ROOT / "geodata" / "README.md").read_text(encoding="utf-8")
    assert f"the **{moved} days** on which" in readme
    assert f"the other {days - moved} days" in readme


@pytest.fixture(scope="module")
def shapes(dataset):
    return {a: area.geometry for a, area in dataset.areas.items()}


def test_no_cell_crosses_its_unit_and_the_cells_cover_it(timeline, shapes):
    for unit, cells in timeline.cells.items():
        assert cells, unit
        for cell in cells:
            outside = shapes[cell].difference(shapes[unit].buffer(2e-5))
            assert outside.area < 1e-9, (cell, unit)  # < ~0.01 km², grid rounding only
        total = sum(timeline.area_km2[c] for c in cells)
        assert total == pytest.approx(timeline.area_km2[unit], rel=5e-4), unit


def test_cells_do_not_overlap(timeline, shapes):
    for unit, cells in timeline.cells.items():
        geoms = [shapes[c] for c in cells]
        union = shapely.union_all(geoms)
        assert sum(g.area for g in geoms) == pytest.approx(union.area, rel=1e-4), unit


def test_a_cell_reaches_at_most_the_model_radius_from_its_settlement(dataset):
    from dashboard.geo import to_equal_area
    for area in dataset.areas.values():
        if area.kind is AreaKind.FRONT_CELL and area.settlement:
            place = dataset.places[area.settlement].geometry
            point = to_equal_area(place)
            far = to_equal_area(area.geometry).hausdorff_distance(point)
            # A settlement outside its unit (boundary error) seeds from the unit's edge.
            inside = dataset.areas[area.unit].geometry.contains(place)
            reach = cells_build.CELL_RADIUS_KM + (0 if inside else cells_build.NEAREST_UNIT_KM)
            assert far <= reach * 1000 * 1.01, area.id


def _majority(timeline, snap, unit):
    held = defaultdict(float)
    for cell in timeline.cells[unit]:
        side = snap.area_controller[cell]
        if side is not None:
            held[side] += timeline.area_km2[cell]
    return max(held, key=lambda c: (held[c], c.value)) if held else None


def test_a_units_flips_agree_with_its_cells(timeline):
    previous = None
    for snap in timeline.snapshots:
        for unit in timeline.control_units:
            assert snap.area_controller[unit] == _majority(timeline, snap, unit), (
                snap.date, unit)
            if previous and previous.area_controller[unit] != snap.area_controller[unit]:
                assert any(f"area:{c}" in snap.changed for c in timeline.cells[unit])
        previous = snap


def test_every_change_of_hands_is_caused_by_a_record_of_that_date(timeline):
    """Nothing reverts or moves without a sourced event or claim dated that day."""
    claims = {c.id: c for c in timeline.claims}
    events = {e.id: e for e in timeline.events}
    previous = None
    for snap in timeline.snapshots:
        if previous is not None:
            for cell_id in (c for cs in timeline.cells.values() for c in cs):
                if (previous.area_controller[cell_id], previous.area_claimed_by[cell_id]) == (
                        snap.area_controller[cell_id], snap.area_claimed_by[cell_id]):
                    continue
                cell = timeline.dataset.areas[cell_id]
                by_claim = any(cell.settlement in claims[c].settlements for c in snap.claim_ids)
                by_event = any(getattr(ch, "area", None) == cell.unit
                               for e in snap.event_ids for ch in events[e].changes)
                assert by_claim or by_event, (snap.date, cell_id)
        previous = snap


def test_the_end_state_holds(timeline):
    end = timeline.state_at(TIMELINE_END).snapshot
    assert end.control_km2[Controller.ARMENIAN] == 0 and end.disputed_km2 == 0
    for snap in timeline.snapshots:
        if snap.date >= dt.date(2023, 9, 22):
            assert snap.control_km2 == end.control_km2, snap.date


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=TIMELINE_START, max_value=TIMELINE_END))
def test_km2_add_up_on_any_date(timeline, date):
    snap = timeline.state_at(date).snapshot
    km2 = snap.control_km2
    assert km2[Controller.ARMENIAN] + km2[Controller.AZERBAIJANI] == pytest.approx(
        timeline.contested_km2, rel=1e-9)
    disputed = sum(timeline.area_km2[a] for a, side in snap.area_claimed_by.items()
                   if side is not None and a.startswith("cell-"))
    assert snap.disputed_km2 == pytest.approx(disputed)
    assert 0 <= snap.disputed_km2 <= timeline.contested_km2


def test_hadrut_is_claimed_but_held_while_denied(timeline):
    snap = timeline.state_at(dt.date(2020, 10, 10)).snapshot
    assert snap.place_controller["hadrut"] is Controller.ARMENIAN
    assert snap.place_claimed_by["hadrut"] is Controller.AZERBAIJANI
    assert snap.area_claimed_by["cell-hadrut"] is Controller.AZERBAIJANI
    after = timeline.state_at(STATEMENT).snapshot
    assert after.place_controller["hadrut"] is Controller.AZERBAIJANI
    assert after.place_claimed_by["hadrut"] is None


def test_an_undenied_claim_counts_from_its_date(timeline):
    claim = next(c for c in timeline.claims if not c.denials and c.side is Controller.AZERBAIJANI
                 and WAR_START < c.date < STATEMENT)
    place = claim.settlements[0]
    before = timeline.state_at(claim.date - dt.timedelta(days=1)).snapshot
    on = timeline.state_at(claim.date).snapshot
    assert on.place_controller[place] is Controller.AZERBAIJANI
    assert on.place_claimed_by[place] is None
    assert before.place_controller[place] is not None


def test_cells_rebuild_byte_for_byte(tmp_path):
    geodata = tmp_path / "geodata"
    (geodata / "authored").mkdir(parents=True)
    for name in ("areas-control.geojson", "places.geojson"):
        (geodata / name).write_bytes((REPO_ROOT / "geodata" / name).read_bytes())
    settlements = REPO_ROOT / "geodata" / "authored" / cells_build.SETTLEMENTS_FILE
    (geodata / "authored" / settlements.name).write_bytes(settlements.read_bytes())
    cells_build.build(geodata)
    for name in (cells_build.PLACES_OUT, cells_build.CELLS_OUT):
        assert (geodata / name).read_bytes() == (REPO_ROOT / "geodata" / name).read_bytes(), name


def test_cells_file_is_one_feature_per_line():
    text = (REPO_ROOT / "geodata" / cells_build.CELLS_OUT).read_text(encoding="utf-8")
    features = json.loads(text)["features"]
    assert len(text.splitlines()) == len(features) + 2
