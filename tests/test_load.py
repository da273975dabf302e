"""The loader on broken copies of the real dataset: every problem named by file, record, field."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml

from dashboard.load import DataError, load_dataset

EVENTS = "events/timeline/2020.yaml"
PLACES = "geodata/places.geojson"
SOURCES = "events/sources/2020.yaml"


def _yaml(root: Path, rel: str) -> list:
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def _write_yaml(root: Path, rel: str, records) -> None:
    (root / rel).write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False),
                            encoding="utf-8")


def _edit_yaml(rel: str, index: int, change):
    def mutate(root: Path) -> str:
        records = _yaml(root, rel)
        record_id = records[index]["id"]
        change(records[index])
        _write_yaml(root, rel, records)
        return record_id
    return mutate


def _edit_place(index: int, change):
    def mutate(root: Path) -> str:
        doc = json.loads((root / PLACES).read_text(encoding="utf-8"))
        feature = doc["features"][index]
        change(feature)
        (root / PLACES).write_text(json.dumps(doc), encoding="utf-8")
        return feature["properties"]["id"]
    return mutate


def _replace_file(rel: str, content: bytes):
    def mutate(root: Path) -> str:
        (root / rel).write_bytes(content)
        return "-"
    return mutate


def _append_event(change):
    def mutate(root: Path) -> str:
        records = _yaml(root, EVENTS)
        extra = dict(records[-1], id="test-extra-event", title="A test event")
        extra.pop("alternative_dates", None)
        extra.pop("date_note", None)
        change(extra)
        _write_yaml(root, "events/timeline/zz-test.yaml", [extra])
        return extra["id"]
    return mutate


def _set(key, value):
    return lambda record: record.__setitem__(key, value)


def _swap_point(feature):
    lon, lat = feature["geometry"]["coordinates"]
    feature["geometry"]["coordinates"] = [lat, lon]


def _bowtie(root: Path) -> str:
    doc = json.loads(next(root.glob("geodata/areas-*.geojson")).read_text(encoding="utf-8"))
    feature = doc["features"][0]
    feature["geometry"] = {"type": "Polygon", "coordinates": [
        [[46.0, 39.0], [47.0, 40.0], [47.0, 39.0], [46.0, 40.0], [46.0, 39.0]]]}
    (root / "geodata/areas-zz-test.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    return feature["properties"]["id"]


def _duplicate_event(root: Path) -> str:
    first = _yaml(root, EVENTS)[0]
    _write_yaml(root, "events/timeline/zz-test.yaml", [first])
    return first["id"]


def _uncited_source(root: Path) -> str:
    records = _yaml(root, SOURCES)
    records.append(dict(records[0], id="test-never-cited"))
    _write_yaml(root, SOURCES, records)
    return "test-never-cited"


def _unpaired_name(root: Path) -> str:
    """A place whose two usages differ, displayed under one of them only."""
    path = root / "geodata/places.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        if feature["properties"]["id"] == "shusha":
            feature["properties"]["name"] = "Shusha"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return "shusha"


def _claim_on_an_unknown_settlement(root: Path) -> str:
    path = root / "events/claims/inner.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[0]["settlements"] = ["no-such-village"]
    path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    return records[0]["id"]


def _exists_later(root: Path) -> str:
    """A control change dated before its unit exists (valid_from after the change)."""
    path = root / "geodata/areas-control.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        if feature["properties"]["id"] == "cu-sugovushan":
            feature["properties"]["valid_from"] = "2021-01-01"
    path.write_text(json.dumps(doc), encoding="utf-8")
    units = [e for e in _yaml(root, EVENTS)
             if any(c.get("area") == "cu-sugovushan" for c in e.get("changes", []))]
    return units[-1]["id"]


CASES = {
    # name: (mutation, file, field, words in the message)
    "malformed YAML": (_replace_file(EVENTS, b"- id: [unclosed\n  title: x\n"), EVENTS, "-",
                       "malformed YAML at line"),
    "YAML not a list": (_replace_file(EVENTS, b"id: x\n"), EVENTS, "-", "expected a YAML list"),
    "malformed GeoJSON": (_replace_file(PLACES, b'{"type": "FeatureCollection", "feat'), PLACES,
                          "-", "malformed JSON"),
    "empty file": (_replace_file(SOURCES, b"  \n"), SOURCES, "-", "file is empty"),
    "non-UTF-8 bytes": (_replace_file(SOURCES, b"- id: caf\xe9\n"), SOURCES, "-", "not UTF-8"),
    "missing field": (_edit_yaml(EVENTS, 4, lambda r: r.pop("title")), EVENTS, "title",
                      "required field is missing"),
    "wrong type": (_edit_yaml(EVENTS, 4, _set("confidence", 3)), EVENTS, "confidence", ""),
    "impossible date": (_edit_yaml(EVENTS, 4, _set("date", "2021-02-30")), EVENTS, "date", ""),
    "date out of range": (_edit_yaml(EVENTS, 4, _set("date", "2031-01-01")), EVENTS, "date",
                          "outside the timeline"),
    "end before start": (_edit_yaml(EVENTS, 4, _set("end_date", "1990-01-01")), EVENTS,
                         "end_date", "before date"),
    "unknown field": (_edit_yaml(EVENTS, 4, _set("colour", "red")), EVENTS, "colour",
                      "unknown field"),
    "unknown place id": (_edit_yaml(EVENTS, 4, _set("places", ["atlantis"])), EVENTS,
                         "places", "unknown place id 'atlantis'"),
    "unknown source id": (_edit_yaml(EVENTS, 4, _set("sources", ["nobody-said-so"])), EVENTS,
                          "sources", "unknown source id"),
    "control change on a non-unit": (
        _edit_yaml(EVENTS, 4, _set("changes", [{"area": "nkao", "controller": "armenian"}])),
        EVENTS, "changes.0.area", "control units"),
    "presence ends before it began": (
        _append_event(_set("changes", [{"place": "baku", "presence": "eu_monitoring_mission",
                                        "active": False}])),
        "events/timeline/zz-test.yaml", "changes.0.active", "not active"),
    "duplicate event id": (_duplicate_event, "events/timeline/zz-test.yaml", "id", "duplicate"),
    "swapped lat/lon": (_edit_place(0, _swap_point), PLACES, "geometry", "swapped?"),
    "coordinate out of range": (
        _edit_place(1, lambda f: f["geometry"].__setitem__("coordinates", [46.7, 200.0])),
        PLACES, "geometry", "outside the project's region"),
    "wrong geometry type": (
        _edit_place(2, lambda f: f["geometry"].__setitem__("type", "LineString")),
        PLACES, "geometry", "expected Point"),
    "self-intersecting polygon": (_bowtie, "geodata/areas-zz-test.geojson", "geometry",
                                  "Self-intersection"),
    "source never cited": (_uncited_source, "events/sources", "id", "never cited"),
    "place name shows one usage": (_unpaired_name, "geodata/places.geojson", "name",
                                   "both usages"),
    "claim on an unknown settlement": (_claim_on_an_unknown_settlement,
                                       "events/claims/inner.yaml", "settlements",
                                       "unknown place"),
    "change before the area exists": (_exists_later, EVENTS, "changes.0",
                                      "does not exist until"),
}


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_real_dataset_loads(dataset):
    assert dataset.places and dataset.areas and dataset.routes
    assert len(dataset.version) == 12


@pytest.mark.parametrize("name", CASES)
def test_broken_data_is_named_by_file_record_field(name, data_copy):
    mutate, rel, field, words = CASES[name]
    record = mutate(data_copy)
    before = _digest(data_copy)
    with pytest.raises(DataError) as caught:
        load_dataset(data_copy)
    assert _digest(data_copy) == before, "loading must not modify any file"
    matching = [p for p in caught.value.problems
                if p.path == rel and p.record == record and p.field == field]
    assert matching, f"no problem at {rel}:{record}:{field} in:\n{caught.value}"
    assert any(words in p.message for p in matching), str(caught.value)


def test_huge_file_is_refused_unread(data_copy):
    huge = data_copy / "events/timeline/zz-huge.yaml"
    with huge.open("wb") as handle:
        handle.write(b"# padding\n" * (5 * 1024 * 1024))  # 50 MiB
    with pytest.raises(DataError) as caught:
        load_dataset(data_copy)
    assert any(p.path == "events/timeline/zz-huge.yaml" and "limit" in p.message
               for p in caught.value.problems)


def test_every_problem_is_reported_at_once(data_copy):
    for name in ("missing field", "unknown place id", "swapped lat/lon"):
        CASES[name][0](data_copy)
    with pytest.raises(DataError) as caught:
        load_dataset(data_copy)
    fields = {p.field for p in caught.value.problems}
    assert {"title", "geometry"} <= fields
    assert all(str(p).count(":") >= 3 for p in caught.value.problems)


def test_missing_folder_is_a_problem_not_a_crash(tmp_path):
    with pytest.raises(DataError) as caught:
        load_dataset(tmp_path / "nowhere")
    assert "does not exist" in str(caught.value)
