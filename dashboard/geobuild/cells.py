"""Front settlements and the modelled front cells drawn around them.

``python -m dashboard.geobuild cells`` reads the committed control units
(``geodata/areas-control.geojson``), the hand-made places (``geodata/places.geojson``) and
the cited settlements (``geodata/authored/settlements.yaml``) and writes:

- ``geodata/places-settlements.geojson``: one Point per settlement of the yaml file;
- ``geodata/areas-cells.geojson``: the front cells, a MODEL. Inside each control unit, every
  village, town or city of the contested area gets the part of the unit that is closer to
  it than to any other settlement of the unit (its Voronoi cell, computed in the equal-area
  projection) and at most ``CELL_RADIUS_KM`` from it. What is left of the unit (land far
  from every reported settlement, or a unit with none) is one more cell, the unit's *rest*,
  which changes hands only with the unit. Cells nest in their unit and cover it exactly.

It needs no download, so it runs offline and is checked byte for byte by the tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import shapely
import shapely.ops
import yaml
from shapely.geometry import MultiPoint, Point, shape
from shapely.geometry.base import BaseGeometry

from . import build as b
from . import output

#: A cited front settlement up to this far outside every unit (Natural Earth's 1–2 km
#: boundary error) still seeds a cell in the nearest unit. Other places must lie inside.
NEAREST_UNIT_KM = 2.0
#: How far a settlement's cell reaches at most: beyond it, a report about the settlement
#: says nothing, and the land stays with the unit's rest.
CELL_RADIUS_KM = 5.0
#: A rest smaller than this (km²) is a sliver of the clipping, merged into the cells.
MIN_REST_KM2 = 0.5
#: Two seeds closer than this are one place entered twice.
MIN_SEPARATION_KM = 0.05
SEED_KINDS = ("village", "town", "city")
SETTLEMENTS_FILE = "settlements.yaml"
PLACES_OUT = "places-settlements.geojson"
CELLS_OUT = "areas-cells.geojson"
CELL_ACCURACY = (
    "MODEL, not an observed line: the part of the control unit closer to this settlement "
    "than to any other reported settlement of the unit, and at most 5 km from it (equal-area "
    "projection). Edges fall halfway between neighbouring settlements, so they ignore the "
    "ridges, rivers and roads that real positions followed (errors of several km). The "
    "unit's own edges are as accurate as the unit (1-3 km)."
)
REST_ACCURACY = (
    "MODEL: the part of the control unit farther than 5 km from every reported settlement "
    "(or the whole unit if it has none). No report covers it, so it changes hands only "
    "with the unit (the 10 Nov 2020 statement's line, a handover, a unit-wide event). "
    "Edges as accurate as the unit (1-3 km)."
)


class CellError(ValueError):
    """The inputs cannot make a partition (a settlement entered twice, a missing unit …)."""


@dataclass(frozen=True)
class Seed:
    place_id: str
    name: str
    point: Point
    front: bool  # a cited front settlement (may snap to the nearest unit)


def display_name(names: dict) -> str:
    """'Armenian usage / Azerbaijani usage' where they differ (the project's one order)."""
    hy, az, en = names.get("hy"), names.get("az"), names["en"]
    pair = [n for n in (hy, az) if n]
    if len(pair) == 2 and pair[0] != pair[1]:
        return f"{pair[0]} / {pair[1]}"
    return pair[0] if pair else en


def settlement_features(records: list[dict]) -> list[b.Feature]:
    """The yaml records as Place features (the loader validates every field)."""
    features = []
    for r in records:
        names = {"en": r["en"], "hy": r.get("hy"), "az": r.get("az")}
        extra = {"country": "AZE", "district": r["district"]}
        if r.get("coord_check"):
            extra["coord_check"] = r["coord_check"]
        if r.get("renamed"):
            extra["renamed"] = [{**x, "date": str(x["date"])} for x in r["renamed"]]
        features.append(b.Feature(
            id=r["id"], name=display_name(names), names=names, kind=r.get("kind", "village"),
            sources=[r["coord_source"]], geometry=Point(r["lon"], r["lat"]),
            accuracy=r["precision"], note=r.get("note"), extra=extra))
    return features


def assign_seeds(units: dict[str, BaseGeometry], seeds: list[Seed]) -> dict[str, list[Seed]]:
    """Each seed goes to the unit containing it, else the nearest within NEAREST_UNIT_KM."""
    laea_units = {u: b.transform(b._to_laea, g) for u, g in units.items()}
    by_unit: dict[str, list[Seed]] = {u: [] for u in units}
    for seed in seeds:
        inside = [u for u, g in units.items() if g.contains(seed.point)]
        if inside:
            by_unit[inside[0]].append(seed)
            continue
        if not seed.front:
            continue
        p = b.transform(b._to_laea, seed.point)
        dist, unit = min((g.distance(p), u) for u, g in laea_units.items())
        if dist / 1000 <= NEAREST_UNIT_KM:
            # The cell is built from the nearest point 100 m inside the unit.
            inner = laea_units[unit].buffer(-100)
            snapped = b.transform(b._to_wgs, shapely.ops.nearest_points(inner, p)[0])
            by_unit[unit].append(Seed(seed.place_id, seed.name, snapped, seed.front))
    for unit, found in by_unit.items():
        for i, s1 in enumerate(found):
            for s2 in found[i + 1:]:
                if b.approx_km(s1.point.x, s1.point.y, s2.point.x,
                               s2.point.y) < MIN_SEPARATION_KM:
                    raise CellError(f"{s1.place_id} and {s2.place_id} are the same point "
                                    f"(in {unit})")
    return by_unit


def unit_cells(unit_geom: BaseGeometry, seeds: list[Seed]) -> list[BaseGeometry]:
    """Each seed's cell (Voronoi ∩ unit ∩ radius), in the seeds' order."""
    pts = [b.transform(b._to_laea, s.point) for s in seeds]
    reach = [b.transform(b._to_wgs, p.buffer(CELL_RADIUS_KM * 1000, quad_segs=16))
             for p in pts]
    if len(seeds) == 1:
        return [reach[0].intersection(unit_geom)]
    frame = b.transform(b._to_laea, unit_geom).envelope.buffer(50_000)
    regions = shapely.voronoi_polygons(MultiPoint(pts), extend_to=frame)
    cells = []
    for p, r in zip(pts, reach, strict=True):
        region = next(g for g in regions.geoms if g.contains(p) or g.touches(p))
        cells.append(b.transform(b._to_wgs, region).intersection(r).intersection(unit_geom))
    return cells


def build_cells(units: dict[str, dict], seeds: list[Seed]) -> list[b.Feature]:
    """Front cells for every unit: one per seed, plus the unit's rest if any is left."""
    geoms = {u: shape(f["geometry"]) for u, f in units.items()}
    features = []
    for unit, found in assign_seeds(geoms, seeds).items():
        unit_name = units[unit]["properties"]["name"]
        sources = list(units[unit]["properties"]["sources"])
        cells = [output.finish_polygon(c) for c in unit_cells(geoms[unit], found)] if (
            found) else []
        rest = output.finish_polygon(geoms[unit].difference(shapely.union_all(cells))) if (
            cells) else output.finish_polygon(geoms[unit])
        if cells and b.km2(rest) < MIN_REST_KM2:
            rest = None
        for seed, geom in zip(found, cells, strict=True):
            if geom.is_empty:
                raise CellError(f"the cell of {seed.place_id} in {unit} is empty")
            name = f"Area around {seed.name} (model)"
            features.append(b.Feature(
                id=f"cell-{seed.place_id}", name=name, names={"en": name}, kind="front-cell",
                sources=sources, geometry=geom, accuracy=CELL_ACCURACY,
                extra={"unit": unit, "settlement": seed.place_id}))
        if rest is not None and not rest.is_empty:
            name = f"{unit_name}: rest, far from reported settlements (model)"
            features.append(b.Feature(
                id=f"cell-{unit}", name=name, names={"en": name}, kind="front-cell",
                sources=sources, geometry=rest, accuracy=REST_ACCURACY, extra={"unit": unit}))
    return sorted(features, key=lambda f: f.id)


def read_features(path: Path) -> dict[str, dict]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"]["id"]: f for f in doc["features"]}


def build(geodata: Path) -> tuple[int, int]:
    """Write the settlements and cells files into ``geodata``; return their counts."""
    records = yaml.safe_load((geodata / "authored" / SETTLEMENTS_FILE).read_text("utf-8"))
    settlements = settlement_features(records or [])
    output.write_collection(geodata / PLACES_OUT, settlements)
    units = {u: f for u, f in read_features(geodata / "areas-control.geojson").items()
             if f["properties"]["kind"] == "control-unit"}
    seeds = []
    for f in read_features(geodata / "places.geojson").values():
        p = f["properties"]
        if p["country"] == "AZE" and p["kind"] in SEED_KINDS:
            seeds.append(Seed(p["id"], p["name"], shape(f["geometry"]), front=False))
    seeds += [Seed(f.id, f.name, f.geometry, front=True) for f in settlements]
    cells = build_cells(units, sorted(seeds, key=lambda s: s.place_id))
    output.write_collection(geodata / CELLS_OUT, cells)
    return len(settlements), len(cells)
