"""Turn Natural Earth's gpkg and the authored YAML files into the committed layers."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import shapely
import yaml
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import polygonize, unary_union

from . import LAEA

#: Bounding box (lon/lat) the country outlines are clipped to, to keep files small.
BBOX = (43.0, 37.5, 50.5, 42.5)
COUNTRIES = {
    "ARM": ("country-arm", "Armenia", "Hayastan", "Ermənistan"),
    "AZE": ("country-aze", "Azerbaijan", "Adrbejan", "Azərbaycan"),
    "GEO": ("country-geo", "Georgia", "Vrastan", "Gürcüstan"),
    "IRN": ("country-irn", "Iran", "Iran", "İran"),
    "TUR": ("country-tur", "Turkey", "Turkia", "Türkiyə"),
}
NE_SOURCES = ["naturalearth-10m-v4-1-0", "debian-qgis-common"]
SNAP_DEG = 0.003  # NE oblast lines have gaps up to ~0.0026° at the joints
EXTEND_DEG = 0.05  # 1994 line pieces are extended this much at both ends before splitting
CORRIDOR_HALF_WIDTH_KM = 2.5  # the 2020 statement gives the corridor a width of 5 km

_FWD = pyproj.Transformer.from_crs("EPSG:4326", LAEA, always_xy=True)
_INV = pyproj.Transformer.from_crs(LAEA, "EPSG:4326", always_xy=True)


def _project(transformer: pyproj.Transformer):
    def fn(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return fn


def transform(fn, geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, fn)


_to_laea = _project(_FWD)
_to_wgs = _project(_INV)


def approx_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Distance in km between two nearby lon/lat points (equirectangular, ample here)."""
    dx = (lon1 - lon2) * 111.32 * math.cos(math.radians(lat1))
    return math.hypot(dx, (lat1 - lat2) * 110.57)


def km2(geom: BaseGeometry) -> float:
    """Area in km² in the LAEA projection centred on the region."""
    return transform(_to_laea, geom).area / 1e6


def buffer_km(geom: BaseGeometry, dist_km: float) -> BaseGeometry:
    """Buffer a lon/lat geometry by a distance in km (done in LAEA)."""
    return transform(_to_wgs, transform(_to_laea, geom).buffer(dist_km * 1000, quad_segs=16))


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the polygonal parts of a geometry, made valid."""
    geom = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    polys = []
    for p in parts:
        polys.extend(shapely.get_parts(p))
    polys = [p for p in polys if not p.is_empty and p.area > 0]
    if not polys:
        return MultiPolygon()
    return shapely.normalize(MultiPolygon(polys)) if len(polys) > 1 else shapely.normalize(polys[0])


@dataclass
class Authored:
    points: dict[str, dict]
    seats: dict[str, dict]
    lines: dict
    routes: dict[str, dict]
    units: dict[str, dict]

    def point(self, pid: str) -> Point:
        p = self.points[pid]
        return Point(p["lon"], p["lat"])

    def source_of(self, pid: str) -> str:
        return self.points[pid]["source"]


def load_authored(folder: Path) -> Authored:
    def read(name: str):
        with (folder / name).open(encoding="utf-8") as f:
            return yaml.safe_load(f)

    points = {p["id"]: p for p in read("points.yaml")}
    return Authored(
        points=points,
        seats=read("seats.yaml"),
        lines=read("lines.yaml"),
        routes=read("routes.yaml"),
        units=read("units.yaml"),
    )


@dataclass
class Feature:
    id: str
    kind: str
    name: str
    names: dict
    sources: list[str]
    geometry: BaseGeometry
    accuracy: str | None = None
    note: str | None = None
    extra: dict = field(default_factory=dict)


# --- Natural Earth layers -------------------------------------------------------------


def read_ne(gpkg: Path) -> dict[str, gpd.GeoDataFrame]:
    countries = gpd.read_file(gpkg, layer="countries", engine="pyogrio")
    countries = countries[countries["ISO_A3"].isin(list(COUNTRIES))]
    provinces = gpd.read_file(
        gpkg, layer="states_provinces", where="adm0_a3='AZE'", engine="pyogrio"
    )
    disputed = gpd.read_file(
        gpkg, layer="disputed_borders", where="adm0_a3_l='AZE'", engine="pyogrio"
    )
    return {"countries": countries, "provinces": provinces, "disputed": disputed}


def _line_parts(gdf: gpd.GeoDataFrame, prefix: str) -> list[LineString]:
    parts: list[LineString] = []
    for name, geom in zip(gdf["name"], gdf.geometry, strict=True):
        if str(name).startswith(prefix):
            parts.extend(shapely.get_parts(geom))
    return parts


def build_nkao(disputed: gpd.GeoDataFrame) -> Polygon:
    """Polygonise the 1991 oblast lines after closing the gaps between their ends."""
    lines = _line_parts(disputed, "Former USSR oblast")
    ends = [Point(c) for ln in lines for c in (ln.coords[0], ln.coords[-1])]
    connectors = []
    for i, a in enumerate(ends):
        others = [b for j, b in enumerate(ends) if j // 2 != i // 2]
        nearest = min(others, key=a.distance)
        if 0 < a.distance(nearest) <= SNAP_DEG:
            connectors.append(LineString([a, nearest]))
    polys = list(polygonize(unary_union(lines + connectors)))
    if not polys:
        raise ValueError("the oblast lines did not close into a polygon")
    return shapely.normalize(unary_union(polys))


def _extend(line: LineString, dist: float) -> LineString:
    coords = list(line.coords)

    def out(p, q):  # point beyond p, away from q
        dx, dy = p[0] - q[0], p[1] - q[1]
        n = math.hypot(dx, dy) or 1.0
        return (p[0] + dx / n * dist, p[1] + dy / n * dist)

    return LineString([out(coords[0], coords[1]), *coords, out(coords[-1], coords[-2])])


def line_1994(disputed: gpd.GeoDataFrame) -> MultiLineString:
    return shapely.normalize(MultiLineString(_line_parts(disputed, "Ceasefire Line 1994")))


def build_prewar_held(aze_mainland: Polygon, disputed: gpd.GeoDataFrame) -> BaseGeometry:
    """Split AZE's mainland along the extended 1994 line; keep all but the largest piece."""
    cut = unary_union([_extend(ln, EXTEND_DEG) for ln in _line_parts(disputed, "Ceasefire")])
    pieces = sorted(
        polygonize(unary_union([aze_mainland.exterior, *aze_mainland.interiors, cut])),
        key=lambda p: p.area,
        reverse=True,
    )
    pieces = [p for p in pieces if aze_mainland.contains(p.representative_point())]
    return shapely.normalize(unary_union(pieces[1:]))


def clip_countries(countries: gpd.GeoDataFrame) -> dict[str, BaseGeometry]:
    frame = box(*BBOX)
    return {
        iso: polygonal(geom.intersection(frame))
        for iso, geom in zip(countries["ISO_A3"], countries.geometry, strict=True)
    }


def select_districts(provinces: gpd.GeoDataFrame, authored: Authored) -> dict[str, BaseGeometry]:
    """Each district = union of the NE polygons containing its anchor points (never by name)."""
    out: dict[str, BaseGeometry] = {}
    used: dict[int, str] = {}
    for did, spec in authored.seats.items():
        idx: set[int] = set()
        for pid in spec["anchors"]:
            hits = [i for i, g in enumerate(provinces.geometry) if g.contains(authored.point(pid))]
            if len(hits) != 1:
                raise ValueError(f"{did}: anchor {pid} lies in {len(hits)} NE polygons, want 1")
            idx.update(hits)
        for i in idx:
            if i in used:
                raise ValueError(f"NE polygon {i} claimed by both {used[i]} and {did}")
            used[i] = did
        out[did] = shapely.normalize(unary_union([provinces.geometry.iloc[i] for i in idx]))
    return out


# --- control units -------------------------------------------------------------------

DISTRICT_UNITS = [
    "cu-kalbajar",
    "cu-lachin",
    "cu-kubatly",
    "cu-zangilan",
    "cu-jabrayil",
    "cu-fuzuli",
    "cu-aghdam",
]


def _buffers(authored: Authored, spec: dict) -> BaseGeometry:
    return unary_union([buffer_km(authored.point(c), spec["buffer_km"]) for c in spec["centres"]])


def build_control_units(
    nkao: BaseGeometry,
    prewar: BaseGeometry,
    districts: dict[str, BaseGeometry],
    old_road: LineString,
    authored: Authored,
) -> dict[str, BaseGeometry]:
    """Fixed partition of nkao ∪ prewar-held, made by ordered cutting."""
    lines = authored.lines
    units: dict[str, BaseGeometry] = {}
    units["cu-nkao-az-1994"] = polygonal(nkao.difference(prewar))
    held_in = polygonal(nkao.intersection(prewar))
    outside = polygonal(prewar.difference(nkao))

    south = Polygon([authored.point(v).coords[0] for v in lines["south_taken_polygon"]["vertices"]])
    shusha_zone = unary_union(
        [_buffers(authored, lines["shusha"]), south.intersection(districts["district-shusha"])]
    )
    rest = held_in
    for uid, shape in [
        ("cu-shusha", shusha_zone),
        ("cu-hin-tagher", _buffers(authored, lines["hin_tagher"])),
        ("cu-hadrut", south),
        ("cu-sugovushan", _buffers(authored, lines["sugovushan"]).convex_hull),
        ("cu-parukh", _buffers(authored, lines["parukh"])),
    ]:
        units[uid] = polygonal(rest.intersection(shape))
        rest = polygonal(rest.difference(units[uid]))
    units["cu-artsakh"] = rest

    corridor = polygonal(outside.intersection(buffer_km(old_road, CORRIDOR_HALF_WIDTH_KM)))
    units["cu-corridor-2020"] = corridor
    rest_out = polygonal(outside.difference(corridor))
    district_of = {u: "district-" + u.removeprefix("cu-") for u in DISTRICT_UNITS}
    pieces = {u: polygonal(rest_out.intersection(districts[d])) for u, d in district_of.items()}
    leftover = polygonal(rest_out.difference(unary_union(list(pieces.values()))))
    # Slivers of the held area that NE's crude rayon polygons put in other rayons go to the
    # district unit they share the longest border with (or the nearest one).
    for part in shapely.get_parts(leftover):
        best = max(
            DISTRICT_UNITS,
            key=lambda u: (
                part.boundary.intersection(pieces[u].buffer(1e-7)).length,
                -part.distance(pieces[u]),
            ),
        )
        pieces[best] = polygonal(unary_union([pieces[best], part]))
    units.update(pieces)
    return units


def check_points(units: dict[str, BaseGeometry], authored: Authored) -> list[str]:
    """Problems with the check points of lines.yaml (empty list if all are where expected)."""
    problems = []
    for uid, pids in authored.lines["checks"].items():
        for pid in pids:
            pt = authored.point(pid)
            if not units[uid].buffer(1e-4).contains(pt):
                inside = [u for u, g in units.items() if g.contains(pt)]
                problems.append(f"check point {pid} expected in {uid}, found in {inside or 'none'}")
    return problems


def route_line(authored: Authored, rid: str) -> LineString:
    return LineString([authored.point(v).coords[0] for v in authored.routes[rid]["vertices"]])
