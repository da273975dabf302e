"""Command line: ``python -m dashboard.geobuild build [--cache DIR] [--out DIR]`` rebuilds the
areas and routes from Natural Earth; ``python -m dashboard.geobuild cells [--geodata DIR]``
rebuilds the front settlements and the modelled front cells from the committed files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import NKAO_KM2, POST_2020_HELD_KM2, POST_2020_HELD_UNITS, PREWAR_HELD_KM2, output
from . import border as border_build
from . import build as b
from . import cells as cells_build
from .source import SourceError, obtain_gpkg

REPO = Path(__file__).resolve().parents[2]
AUTHORED_FILES = ["points.yaml", "seats.yaml", "lines.yaml", "routes.yaml", "units.yaml"]


def _check_places(authored: b.Authored, places: Path) -> list[str]:
    """Warn where an authored point differs by more than 2 km from geodata/places.geojson."""
    if not places.exists():
        return []
    warnings = []
    feats = {
        f.get("id") or f["properties"].get("id"): f
        for f in json.loads(places.read_text())["features"]
    }
    for pid, p in authored.points.items():
        f = feats.get(pid)
        if not f or f.get("geometry", {}).get("type") != "Point":
            continue
        lon, lat = f["geometry"]["coordinates"][:2]
        distance = b.approx_km(lon, lat, p["lon"], p["lat"])
        if distance > 2:
            warnings.append(f"{pid}: authored point is {distance:.1f} km from places.geojson")
    return warnings


def build(cache: Path, out: Path, authored_dir: Path) -> dict[str, float]:
    gpkg, version = obtain_gpkg(cache)
    authored = b.load_authored(authored_dir)
    layers = output.make_layers(gpkg, authored)
    out.mkdir(parents=True, exist_ok=True)
    for name, features in layers.items():
        output.write_collection(out / name, features)
    output.write_manifest(out, version, AUTHORED_FILES)
    areas = {
        f.id: b.km2(f.geometry)
        for name in ("areas-base.geojson", "areas-control.geojson", "areas-presence.geojson")
        for f in layers[name]
    }
    areas["post-2020-held"] = sum(areas[u] for u in POST_2020_HELD_UNITS)
    for w in _check_places(authored, REPO / "geodata" / "places.geojson"):
        print("warning:", w, file=sys.stderr)
    return areas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.geobuild", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="download the source package if needed and rebuild geodata/")
    p.add_argument(
        "--cache",
        type=Path,
        default=REPO / ".cache" / "geobuild",
        help="where the .deb and the extracted gpkg are kept (default: .cache/geobuild)",
    )
    p.add_argument(
        "--out", type=Path, default=REPO / "geodata", help="output folder (default: geodata/)"
    )
    p.add_argument(
        "--authored",
        type=Path,
        default=REPO / "geodata" / "authored",
        help="folder of the authored YAML files (default: geodata/authored)",
    )
    c = sub.add_parser("cells", help="rebuild places-settlements and areas-cells (offline)")
    c.add_argument("--geodata", type=Path, default=REPO / "geodata",
                   help="geodata folder to read and write (default: geodata/)")
    g = sub.add_parser("border", help="rebuild areas-border (schematic border areas, offline)")
    g.add_argument("--geodata", type=Path, default=REPO / "geodata",
                   help="geodata folder to read and write (default: geodata/)")
    args = parser.parse_args(argv)
    if args.command == "border":
        try:
            count = border_build.build(args.geodata)
        except (border_build.BorderError, OSError, KeyError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        print(f"{count} border areas written to {args.geodata}")
        return 0
    if args.command == "cells":
        try:
            n_places, n_cells = cells_build.build(args.geodata)
        except (cells_build.CellError, OSError, KeyError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        print(f"{n_places} settlements, {n_cells} front cells written to {args.geodata}")
        return 0
    try:
        areas = build(args.cache, args.out, args.authored)
    except SourceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for k, v in areas.items():
        print(f"{k:24s} {v:10.1f} km²")
    bad = [
        f"{k} = {areas[k]:.0f} km², expected {lo}-{hi}"
        for k, (lo, hi) in (
            ("nkao", NKAO_KM2),
            ("prewar-held", PREWAR_HELD_KM2),
            ("post-2020-held", POST_2020_HELD_KM2),
        )
        if not lo <= areas[k] <= hi
    ]
    for msg in bad:
        print("sanity check failed:", msg, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
