"""Assemble features, simplify them for display and write deterministic GeoJSON + manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import shapely
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from . import GPKG_SHA256, POST_2020_HELD_UNITS
from . import build as b

DECIMALS = 5  # ~1 m; far below the accuracy of any layer
GRID = 10.0**-DECIMALS
TOL_PARTITION = 0.0005  # degrees, coverage simplification of the control units (~50 m)
TOL_DISTRICTS = 0.001
TOL_COUNTRIES = 0.002
TOL_LINES = 0.0005

CONTROL_ORDER = [
    "cu-nkao-az-1994",
    "cu-sugovushan",
    "cu-jabrayil",
    "cu-fuzuli",
    "cu-zangilan",
    "cu-kubatly",
    "cu-hadrut",
    "cu-shusha",
    "cu-aghdam",
    "cu-kalbajar",
    "cu-lachin",
    "cu-hin-tagher",
    "cu-parukh",
    "cu-corridor-2020",
    "cu-artsakh",
]
OUTPUT_FILES = [
    "areas-base.geojson",
    "areas-control.geojson",
    "areas-presence.geojson",
    "routes.geojson",
]
BUILD_COMMAND = "python -m dashboard.geobuild build"


def _round_coords(coords) -> list:
    return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y, *_ in coords]


def geometry_json(geom: BaseGeometry) -> dict:
    """GeoJSON geometry with rounded coordinates and RFC 7946 ring orientation."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        polys = [orient(p, 1.0) for p in shapely.get_parts(geom)]
        rings = [
            [_round_coords(p.exterior.coords)] + [_round_coords(r.coords) for r in p.interiors]
            for p in polys
        ]
        if len(rings) == 1:
            return {"type": "Polygon", "coordinates": rings[0]}
        return {"type": "MultiPolygon", "coordinates": rings}
    if geom.geom_type in ("LineString", "MultiLineString"):
        lines = [_round_coords(ln.coords) for ln in shapely.get_parts(geom)]
        if len(lines) == 1:
            return {"type": "LineString", "coordinates": lines[0]}
        return {"type": "MultiLineString", "coordinates": lines}
    if geom.geom_type == "Point":
        return {"type": "Point", "coordinates": _round_coords(geom.coords)[0]}
    raise ValueError(f"unexpected geometry type {geom.geom_type}")


def finish_polygon(geom: BaseGeometry) -> BaseGeometry:
    """Snap to the output grid and make sure the result is a valid (multi)polygon."""
    geom = shapely.set_precision(geom, GRID)
    geom = b.polygonal(geom)
    if not geom.is_valid:  # pragma: no cover - set_precision output is valid
        geom = b.polygonal(shapely.make_valid(geom))
    return geom


def coverage_simplified(geoms: dict[str, BaseGeometry], tol: float) -> dict[str, BaseGeometry]:
    """Simplify polygons that share edges together, so neighbours keep common borders."""
    keys = list(geoms)
    simple = shapely.coverage_simplify([geoms[k] for k in keys], tol)
    return {k: finish_polygon(g) for k, g in zip(keys, simple, strict=True)}


def feature_json(f: b.Feature) -> dict:
    props = {
        "id": f.id,
        "name": f.name,
        "names": {k: v for k, v in f.names.items() if v is not None},
        "kind": f.kind,
        "sources": f.sources,
    }
    if f.accuracy:
        props["accuracy"] = f.accuracy
    if f.note:
        props["note"] = f.note
    props.update(f.extra)
    return {
        "type": "Feature",
        "id": f.id,
        "properties": props,
        "geometry": geometry_json(f.geometry),
    }


def write_collection(path: Path, features: list[b.Feature]) -> None:
    """One feature per line, keys sorted: stable bytes, readable diffs."""
    lines = [
        json.dumps(feature_json(f), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        for f in features
    ]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(out: Path, version: str, authored_files: list[str]) -> None:
    ne = (
        f"Natural Earth 1:10m v4.1.0 (world_map.gpkg in Debian's qgis-common {version}, "
        f"sha256 {GPKG_SHA256})"
    )
    authored = ", ".join(f"geodata/authored/{n}" for n in authored_files)
    licences = {
        "ne": "Natural Earth: public domain",
        "authored": "authored geometry: the project's licence (see geodata/README.md)",
    }
    files = {}
    for name in OUTPUT_FILES:
        uses_authored = name != "areas-base.geojson"
        files[name] = {
            "sha256": sha256_file(out / name),
            "source": ne
            + (f" + {authored}" if uses_authored else f" + {authored} (district anchors)"),
            "licence": licences["ne"] + "; " + licences["authored"],
            "build_command": BUILD_COMMAND,
        }
    manifest = {
        "build_command": BUILD_COMMAND,
        "gpkg_sha256": GPKG_SHA256,
        "qgis_common_version": version,
        "attribution": "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com.",  # noqa: E501
        "files": files,
    }
    (out / "MANIFEST.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def unit_feature(
    uid: str, geom: BaseGeometry, authored: b.Authored, kind: str, sources: list[str], accuracy: str
) -> b.Feature:
    meta = authored.units[uid]
    return b.Feature(
        id=uid,
        kind=kind,
        name=meta["name"],
        names=meta["names"],
        sources=sources,
        geometry=geom,
        accuracy=accuracy,
        note=meta.get("note"),
    )


def make_layers(gpkg: Path, authored: b.Authored) -> dict[str, list[b.Feature]]:
    """All features of all output files, in their stable order."""
    ne = b.read_ne(gpkg)
    countries = b.clip_countries(ne["countries"])
    aze_full = ne["countries"][ne["countries"]["ISO_A3"] == "AZE"].geometry.iloc[0]
    mainland = max(shapely.get_parts(aze_full), key=lambda p: p.area)
    nkao = b.build_nkao(ne["disputed"])
    prewar = b.build_prewar_held(mainland, ne["disputed"])
    districts = b.select_districts(ne["provinces"], authored)
    old_road = b.route_line(authored, "lachin-road-old")
    new_road = b.route_line(authored, "lachin-road-new")
    units = b.build_control_units(nkao, prewar, districts, old_road, authored)
    problems = b.check_points(units, authored)
    if problems:
        raise ValueError("control units fail their check points:\n" + "\n".join(problems))

    units_s = coverage_simplified({k: units[k] for k in CONTROL_ORDER}, TOL_PARTITION)
    nkao_s = finish_polygon(
        shapely.union_all([units_s[k] for k in CONTROL_ORDER if k in _NKAO_UNITS])
    )
    prewar_s = finish_polygon(
        shapely.union_all([units_s[k] for k in CONTROL_ORDER if k != "cu-nkao-az-1994"])
    )
    countries_s = coverage_simplified({iso: countries[iso] for iso in b.COUNTRIES}, TOL_COUNTRIES)
    districts_s = coverage_simplified(districts, TOL_DISTRICTS)

    ne_acc = "Natural Earth 1:10m as generalised by QGIS: outlines within ~1-2 km; simplified for display (~100-200 m)."  # noqa: E501
    base: list[b.Feature] = []
    for iso, (cid, en, hy, az) in b.COUNTRIES.items():
        base.append(
            b.Feature(
                id=cid,
                kind="country",
                name=en,
                names={"en": en, "hy": hy, "az": az},
                sources=list(b.NE_SOURCES),
                geometry=countries_s[iso],
                accuracy=ne_acc + " Clipped to lon 43-50.5, lat 37.5-42.5.",
                note="Azerbaijan includes Nakhchivan." if iso == "AZE" else None,
            )
        )
    line_src = list(b.NE_SOURCES)
    base.append(
        unit_feature(
            "nkao",
            nkao_s,
            authored,
            "former-oblast",
            line_src,
            "±1-2 km: Natural Earth 'Former USSR oblast in 1991' lines, gaps up to 0.003° closed, "
            "then polygonised; rebuilt as the union of the control units inside it.",
        )
    )
    base.append(
        unit_feature(
            "prewar-held",
            prewar_s,
            authored,
            "prewar-held",
            line_src,
            "±1-2 km: Azerbaijan's mainland split along Natural Earth's 'Ceasefire Line 1994' "
            "(pieces extended 0.05° at both ends); the side toward Armenia. Rebuilt as the union "
            "of the control units held by the Armenian side in 1994.",
        )
    )
    for did in sorted(districts_s):
        spec = authored.seats[did]
        anchors = spec["anchors"]
        base.append(
            b.Feature(
                id=did,
                kind="district",
                name=f"{spec['name']} district" if "city" not in spec["name"] else spec["name"],
                names={"en": spec["name"], "hy": spec.get("hy"), "az": spec.get("az")},
                sources=list(b.NE_SOURCES) + sorted({authored.source_of(a) for a in anchors}),
                geometry=districts_s[did],
                accuracy="±1-2 km, internal boundaries crude: the Natural Earth rayon polygon(s) "
                f"containing {', '.join(anchors)} (geodata/authored/seats.yaml), not chosen by name.",  # noqa: E501
            )
        )

    control = [_control_feature(uid, units_s[uid], authored) for uid in CONTROL_ORDER]

    held_after = finish_polygon(
        shapely.union_all([units_s[u] for u in POST_2020_HELD_UNITS if u != "cu-corridor-2020"])
    )
    def corridor_strip(route_id: str):
        """The 5 km strip along a road (2.5 km either side), inside Azerbaijan."""
        line = _strip_line(authored, route_id)
        strip = b.buffer_km(line, b.CORRIDOR_HALF_WIDTH_KM).intersection(aze_full)
        return finish_polygon(shapely.simplify(strip, TOL_LINES))

    strip_old = corridor_strip("lachin-road-old")
    strip_new = corridor_strip("lachin-road-new")
    statement = ["primeminister-am-2020-11-10-trilateral-statement"]
    presence = [
        unit_feature(
            "pk-zone",
            held_after,
            authored,
            "peacekeeping-zone",
            sorted(
                set(
                    sum(
                        (
                            _control_feature(u, units_s[u], authored).sources
                            for u in ("cu-artsakh", "cu-hin-tagher", "cu-parukh")
                        ),
                        [],
                    )
                )
            ),
            "±3 km like the control units it is made of (cu-artsakh, cu-hin-tagher, cu-parukh).",
        ),
        unit_feature(
            "corridor-strip-2020",
            strip_old,
            authored,
            "corridor-strip",
            statement + authored.routes["lachin-road-old"]["sources"],
            "±2-3 km: 2.5 km either side of the schematic old road (routes.yaml), clipped to Azerbaijan.",  # noqa: E501
        ),
        unit_feature(
            "corridor-strip-2022",
            strip_new,
            authored,
            "corridor-strip",
            statement + authored.routes["lachin-road-new"]["sources"],
            "±2-3 km: 2.5 km either side of the schematic new road (routes.yaml), clipped to Azerbaijan.",  # noqa: E501
        ),
    ]

    routes = [
        b.Feature(
            id="line-1994",
            kind="line",
            name="Line of contact 1994-2020",
            names={"en": "Line of contact 1994-2020", "hy": None, "az": None},
            sources=list(b.NE_SOURCES),
            geometry=shapely.simplify(b.line_1994(ne["disputed"]), TOL_LINES),
            accuracy="±1-2 km: Natural Earth 'Ceasefire Line 1994' lines as published (not extended).",  # noqa: E501
            note="The line of contact from the May 1994 ceasefire until the war of Sep-Nov 2020.",
        )
    ]
    for rid in ("lachin-road-old", "lachin-road-new"):
        routes.append(_route_feature(rid, b.route_line(authored, rid), authored))
    routes.append(
        b.Feature(
            id="lachin-corridor",
            kind="corridor",
            name="Lachin corridor",
            names={"en": "Lachin corridor", "hy": "Berdzor corridor", "az": "Laçın dəhlizi"},
            sources=statement
            + sorted(
                set(
                    authored.routes["lachin-road-old"]["sources"]
                    + authored.routes["lachin-road-new"]["sources"]
                )
            ),
            geometry=MultiLineString([old_road, new_road]),
            accuracy="schematic, ±1-3 km: both road lines of routes.yaml (old route 2020-2022, new route from Aug 2022).",  # noqa: E501
            note="The corridor as a whole, whichever road it used; the timeline says which one was in use.",  # noqa: E501
        )
    )
    routes.append(
        _route_feature("nakhchivan-link", b.route_line(authored, "nakhchivan-link"), authored)
    )
    return {
        "areas-base.geojson": base,
        "areas-control.geojson": control,
        "areas-presence.geojson": presence,
        "routes.geojson": routes,
    }


_NKAO_UNITS = {
    "cu-nkao-az-1994",
    "cu-sugovushan",
    "cu-hadrut",
    "cu-shusha",
    "cu-hin-tagher",
    "cu-parukh",
    "cu-artsakh",
}


def _strip_line(authored: b.Authored, rid: str) -> LineString:
    """The road from its first point inside Azerbaijan (Goris/Tegh are in Armenia)."""
    return b.route_line(authored, rid)


def _route_feature(rid: str, geom: LineString, authored: b.Authored) -> b.Feature:
    spec = authored.routes[rid]
    vertex_sources = [authored.source_of(v) for v in spec["vertices"]]
    return b.Feature(
        id=rid,
        kind=spec["kind"],
        name=spec["name"],
        names=spec["names"],
        sources=sorted(set(spec["sources"] + vertex_sources)),
        geometry=geom,
        accuracy=spec["accuracy"],
        note=spec.get("note"),
    )


def _control_feature(uid: str, geom: BaseGeometry, authored: b.Authored) -> b.Feature:
    lines = authored.lines
    ne = list(b.NE_SOURCES)

    def pts(spec) -> list[str]:
        return sorted({authored.source_of(c) for c in spec["centres"]} | set(spec["sources"]))

    south_src = sorted(
        {authored.source_of(v) for v in lines["south_taken_polygon"]["vertices"]}
        | set(lines["south_taken_polygon"]["sources"])
    )
    south_acc = lines["south_taken_polygon"]["accuracy"]
    statement = ["primeminister-am-2020-11-10-trilateral-statement"]
    district_acc = (
        "±1-2 km: the area held 1994-2020 (Natural Earth 1994 line) outside the former oblast "
        "and outside the corridor unit, inside NE's rayon polygon for this district "
        "(geodata/authored/seats.yaml); slivers NE puts in other rayons join the neighbouring "
        "unit they share most border with. NE's internal boundaries are crude (1-2 km)."
    )
    spec_of = {
        "cu-nkao-az-1994": (
            ne,
            "±1-2 km: the former oblast (NE 1991 lines) minus the area "
            "held by the Armenian side (NE 1994 line).",
        ),
        "cu-sugovushan": (
            ne + pts(lines["sugovushan"]),
            "±3-4 km: convex hull of 3 km around Talish and Madagiz/Sugovushan "
            "(geodata/authored/lines.yaml), clipped to the held part of the former oblast.",
        ),
        "cu-hadrut": (
            ne + south_src,
            south_acc + " Clipped to the held part of the former "
            "oblast, minus cu-shusha and cu-hin-tagher.",
        ),
        "cu-shusha": (
            ne + pts(lines["shusha"]) + south_src,
            "±2-3 km: 2.5 km around Shusha and Karin Tak plus the part of NE's Shusha "
            "polygons south of the 10 Nov 2020 line (geodata/authored/lines.yaml). " + south_acc,
        ),
        "cu-hin-tagher": (
            ne + pts(lines["hin_tagher"]),
            "±2-3 km: 2.5 km around Hin Tagher and Khtsaberd "
            "(geodata/authored/lines.yaml), clipped to the former oblast; the real "
            "pocket's edge is not known to the project.",
        ),
        "cu-parukh": (
            ne + pts(lines["parukh"]),
            "±2-3 km: 2.5 km around Parukh/Farukh (geodata/authored/lines.yaml), clipped "
            "to the held part of the former oblast; stands for the village and the "
            "nearby heights.",
        ),
        "cu-corridor-2020": (
            ne
            + statement
            + sorted(
                {authored.source_of(v) for v in authored.routes["lachin-road-old"]["vertices"]}
            ),
            "±2-3 km: the held area outside the former oblast within 2.5 km of the "
            "schematic old road (geodata/authored/routes.yaml).",
        ),
        "cu-artsakh": (
            ne + south_src + pts(lines["sugovushan"]) + pts(lines["parukh"]),
            "±3 km: what is left of the held part of the former oblast after the other "
            "units were cut out; its southern edge is the 10 Nov 2020 line through the "
            "kept villages listed in geodata/authored/lines.yaml. " + south_acc,
        ),
    }
    for u in DISTRICT_UNITS_ACC:
        spec_of[u] = (
            ne
            + [
                authored.source_of(a)
                for a in authored.seats["district-" + u.removeprefix("cu-")]["anchors"]
            ],
            district_acc,
        )
    if uid == "cu-lachin":
        spec_of[uid] = (spec_of[uid][0] + statement,
                        district_acc + " The corridor unit is cut out.")
    sources, accuracy = spec_of[uid]
    # Check points (lines.yaml) are evidence of who held what: their sources count too.
    sources = sources + [authored.source_of(p) for p in lines["checks"].get(uid, [])]
    return unit_feature(uid, geom, authored, "control-unit", sorted(set(sources)), accuracy)


DISTRICT_UNITS_ACC = b.DISTRICT_UNITS


def control_areas_km2(features: list[b.Feature]) -> dict[str, float]:
    return {f.id: b.km2(f.geometry) for f in features}
