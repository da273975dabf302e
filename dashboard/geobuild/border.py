"""Schematic areas along the Armenia-Azerbaijan border (``geodata/authored/border.yaml``).

``python -m dashboard.geobuild border`` writes ``geodata/areas-border.geojson``: for each
record, a disc centred on the Armenia-Azerbaijan boundary (Natural Earth, the Soviet-era
line) at the point nearest its anchor place, whose part inside the record's country has
the record's km². It marks where an area is and how large the cited figure says it is; the
outline is not known. Offline and deterministic (checked byte for byte by the tests).
"""

from __future__ import annotations

from pathlib import Path

import shapely
import shapely.ops
import yaml
from shapely.geometry import Point, shape

from . import build as b
from . import output
from .cells import read_features

BORDER_FILE = "border.yaml"
BORDER_OUT = "areas-border.geojson"
COUNTRY_AREAS = {"ARM": "country-arm", "AZE": "country-aze"}
#: The disc's part inside the country must match the figure to this fraction.
TOLERANCE = 0.002
ACCURACY = (
    "SCHEMATIC: where the area is and how large the cited figure says, not its outline. A "
    "disc on the Armenia-Azerbaijan boundary (Natural Earth, ±1-2 km) at the point nearest "
    "the named place, sized so its part inside {country} is {km2} km²; {figure}"
)
#: For a record with ``nominal: true``: no figure gives its size.
NOMINAL_ACCURACY = (
    "SCHEMATIC, NOT TO SCALE: where the area is, not its size or outline. A disc on the "
    "Armenia-Azerbaijan boundary (Natural Earth, ±1-2 km) at the point nearest the named "
    "place, drawn at a nominal {km2} km² inside {country} so that it can be seen and "
    "clicked; {figure}"
)


class BorderError(ValueError):
    """A record names an unknown anchor or country, or its size cannot be matched."""


def disc_for(centre: Point, country, km2: float):
    """The disc around ``centre`` (lon/lat) whose part inside ``country`` has ``km2``."""
    lo, hi = 0.05, 30.0
    for _ in range(60):
        mid = (lo + hi) / 2
        part = b.buffer_km(centre, mid).intersection(country)
        if b.km2(part) < km2:
            lo = mid
        else:
            hi = mid
    part = b.buffer_km(centre, hi).intersection(country)
    if abs(b.km2(part) - km2) > km2 * TOLERANCE:
        raise BorderError(f"no disc near ({centre.x:.4f}, {centre.y:.4f}) holds {km2} km²")
    return part


def build_border(records: list[dict], places: dict[str, dict],
                 countries: dict[str, dict]) -> list[b.Feature]:
    geoms = {c: shape(countries[a]["geometry"]) for c, a in COUNTRY_AREAS.items()}
    line = geoms["ARM"].boundary.intersection(geoms["AZE"].buffer(0.002))
    features = []
    for r in records:
        if r["anchor"] not in places or r["country"] not in geoms:
            raise BorderError(f"{r['id']}: unknown anchor or country")
        anchor = shape(places[r["anchor"]]["geometry"])
        centre = shapely.ops.nearest_points(line, anchor)[0]
        geom = output.finish_polygon(disc_for(centre, geoms[r["country"]], r["km2"]))
        names = {"en": r["name"], "hy": r.get("hy"), "az": r.get("az")}
        features.append(b.Feature(
            id=r["id"], name=r["name"], names=names, kind="border-area", sources=r["sources"],
            geometry=geom, note=r["figure"],
            accuracy=(NOMINAL_ACCURACY if r.get("nominal") else ACCURACY).format(
                country=r["country"], km2=r["km2"], figure=r["figure"]),
            extra={"country": r["country"], "anchor": r["anchor"],
                   **({"to_scale": False} if r.get("nominal") else {})}))
    return features


def build(geodata: Path) -> int:
    records = yaml.safe_load((geodata / "authored" / BORDER_FILE).read_text("utf-8")) or []
    places = read_features(geodata / "places.geojson")
    countries = read_features(geodata / "areas-base.geojson")
    features = build_border(records, places, {a: countries[a] for a in COUNTRY_AREAS.values()})
    output.write_collection(geodata / BORDER_OUT, features)
    return len(features)
