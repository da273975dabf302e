"""Checks on the committed geometry layers and a rebuild-reproduces-the-files test."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest
import shapely
import yaml
from shapely.geometry import shape

from dashboard.geobuild import NKAO_KM2, POST_2020_HELD_KM2, POST_2020_HELD_UNITS, PREWAR_HELD_KM2
from dashboard.geobuild import build as b
from dashboard.geobuild.output import OUTPUT_FILES

REPO = Path(__file__).resolve().parents[1]
GEODATA = REPO / "geodata"


def _features(name: str) -> list[dict]:
    return json.loads((GEODATA / name).read_text(encoding="utf-8"))["features"]


ALL = {name: _features(name) for name in OUTPUT_FILES}
FEATURES = [f for feats in ALL.values() for f in feats]
GEOMS = {f["id"]: shape(f["geometry"]) for f in FEATURES}
CONTROL = {f["id"]: shape(f["geometry"]) for f in ALL["areas-control.geojson"]}


def _source_ids() -> set[str]:
    ids: set[str] = set()
    for path in (REPO / "events" / "sources").glob("*.yaml"):
        ids |= {r["id"] for r in yaml.safe_load(path.read_text(encoding="utf-8")) or []}
    return ids


@pytest.mark.parametrize("feature", FEATURES, ids=lambda f: f["id"])
def test_feature_is_valid_lonlat_with_properties(feature):
    geom = shape(feature["geometry"])
    assert geom.is_valid and not geom.is_empty
    minx, miny, maxx, maxy = geom.bounds
    assert -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90
    # the region, in lon/lat order
    assert 43 <= minx and maxx <= 50.5 and 37.5 <= miny and maxy <= 42.5
    props = feature["properties"]
    assert feature["id"] == props["id"]
    for key in ("name", "names", "kind", "sources", "accuracy"):
        assert props.get(key), f"{feature['id']} lacks {key}"
    assert props["names"]["en"]


def test_ids_unique_and_sources_exist():
    ids = [f["id"] for f in FEATURES]
    assert len(ids) == len(set(ids))
    known = _source_ids()
    missing = {s for f in FEATURES for s in f["properties"]["sources"]} - known
    assert not missing, f"source ids not in events/sources/*.yaml: {sorted(missing)}"


def test_authored_points_cite_existing_sources():
    points = yaml.safe_load((GEODATA / "authored" / "points.yaml").read_text(encoding="utf-8"))
    known = _source_ids()
    assert all(p["source"] in known for p in points)


def test_partition_does_not_overlap():
    for (a, ga), (c, gc) in itertools.combinations(CONTROL.items(), 2):
        assert b.km2(ga.intersection(gc)) < 0.01, f"{a} overlaps {c}"


def test_partition_covers_nkao_and_prewar_held():
    union = shapely.union_all(list(CONTROL.values()))
    target = GEOMS["nkao"].union(GEOMS["prewar-held"])
    assert b.km2(union.symmetric_difference(target)) < 0.5


def test_sanity_areas():
    lo, hi = NKAO_KM2
    assert lo <= b.km2(GEOMS["nkao"]) <= hi
    lo, hi = PREWAR_HELD_KM2
    assert lo <= b.km2(GEOMS["prewar-held"]) <= hi
    lo, hi = POST_2020_HELD_KM2
    assert lo <= sum(b.km2(CONTROL[u]) for u in POST_2020_HELD_UNITS) <= hi


def test_expected_ids_present():
    expected = {
        "country-arm", "country-aze", "country-geo", "country-irn", "country-tur", "nkao",
        "prewar-held", "cu-nkao-az-1994", "cu-sugovushan", "cu-jabrayil", "cu-fuzuli",
        "cu-zangilan", "cu-kubatly", "cu-hadrut", "cu-shusha", "cu-aghdam", "cu-kalbajar",
        "cu-lachin", "cu-hin-tagher", "cu-parukh", "cu-corridor-2020", "cu-artsakh", "pk-zone",
        "corridor-strip-2020", "corridor-strip-2022", "line-1994", "lachin-road-old",
        "lachin-road-new", "lachin-corridor", "nakhchivan-link",
    }  # fmt: skip
    assert expected <= set(GEOMS)
    assert set(CONTROL) == {i for i in expected if i.startswith("cu-")}


def test_files_small_enough():
    total = sum((GEODATA / n).stat().st_size for n in [*OUTPUT_FILES, "MANIFEST.json"])
    assert total < 1_000_000


def _user_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "karabakh-map" / "geobuild"


def test_rebuild_reproduces_committed_files(tmp_path):
    from dashboard.geobuild.__main__ import AUTHORED_FILES, build
    from dashboard.geobuild.source import SourceError

    out = tmp_path / "geodata"
    try:
        build(_user_cache(), out, GEODATA / "authored")
    except SourceError as e:
        pytest.skip(f"qgis-common not obtainable: {e}")
    assert AUTHORED_FILES
    for name in [*OUTPUT_FILES, "MANIFEST.json"]:
        assert (out / name).read_bytes() == (GEODATA / name).read_bytes(), f"{name} differs"
