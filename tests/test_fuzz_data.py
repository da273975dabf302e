"""Random damage to a valid dataset: the loader accepts it (and the engine then works at
every change date) or rejects it with ``file:record:field: message`` lines. Never a crash."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.config import REPO_ROOT
from dashboard.engine import Timeline
from dashboard.export import state_record
from dashboard.load import DataError, load_dataset

#: 60 keeps CI quick; FUZZ_EXAMPLES=600 for a deeper run (600 passed on 2026-11-25).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
PROBLEM = re.compile(r"^[^:\n]+:[^:\n]+:[^:\n]+: \S.*$")
EVENTS = "events/timeline/2023-2024.yaml"
PLACES = "geodata/places.geojson"

junk = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
    st.text(max_size=60), st.sampled_from([
        "", "2020-02-30", "1899-12-31", "2025-01-01", "9999-99-99", "<script>x</script>",
        "armenian", "azerbaijani", "cu-shusha", "shusha", "nowhere", "x" * 3000,
    ]),
    st.lists(st.text(max_size=10), max_size=3), st.dictionaries(st.text(max_size=5),
                                                                st.integers(), max_size=2),
)
EVENT_FIELDS = ["id", "date", "date_precision", "end_date", "kind", "title", "summary",
                "places", "areas", "routes", "changes", "actors", "confidence",
                "confidence_note", "alternative_dates", "date_note", "sources", "background"]
CHANGE_FIELDS = ["area", "place", "route", "controller", "presence", "active", "status"]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    root = tmp_path_factory.mktemp("pristine")
    for folder in ("geodata", "events"):
        shutil.copytree(REPO_ROOT / folder, root / folder,
                        ignore=shutil.ignore_patterns("*.md", "authored", "MANIFEST.json"))
    return root


def _check(root) -> None:
    try:
        dataset = load_dataset(root)
    except DataError as exc:
        assert exc.problems, "a DataError must carry problems"
        for problem in exc.problems:
            assert PROBLEM.match(str(problem)), str(problem)
        return
    timeline = Timeline(dataset)
    for date in timeline.change_dates:
        state_record(timeline, timeline.state_at(date))


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_damage_is_accepted_or_named(pristine, tmp_path_factory, data):
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(pristine, root, dirs_exist_ok=True)
    target = data.draw(st.sampled_from(["event", "change", "place", "raw"]))
    if target in ("event", "change"):
        records = yaml.safe_load((root / EVENTS).read_text(encoding="utf-8"))
        index = data.draw(st.integers(0, len(records) - 1))
        record = records[index]
        if target == "change" and record.get("changes"):
            record = record["changes"][data.draw(st.integers(0, len(record["changes"]) - 1))]
            field = data.draw(st.sampled_from(CHANGE_FIELDS))
        else:
            field = data.draw(st.sampled_from(EVENT_FIELDS))
        if data.draw(st.booleans()):
            record.pop(field, None)
        else:
            record[field] = data.draw(junk)
        (root / EVENTS).write_text(yaml.safe_dump(records, allow_unicode=True),
                                   encoding="utf-8")
    elif target == "place":
        doc = json.loads((root / PLACES).read_text(encoding="utf-8"))
        feature = doc["features"][data.draw(st.integers(0, len(doc["features"]) - 1))]
        where = data.draw(st.sampled_from(["geometry", "coordinates", "properties"]))
        if where == "coordinates":
            feature["geometry"]["coordinates"] = data.draw(st.lists(junk, max_size=3))
        elif where == "geometry":
            feature["geometry"] = data.draw(junk)
        else:
            feature["properties"][data.draw(st.sampled_from(
                ["id", "name", "names", "kind", "country", "sources", "coord_check"]))] = (
                data.draw(junk))
        (root / PLACES).write_text(json.dumps(doc, allow_nan=True), encoding="utf-8")
    else:
        path = root / data.draw(st.sampled_from([EVENTS, PLACES, "events/sources/2020.yaml"]))
        raw = path.read_bytes()
        cut = data.draw(st.integers(0, len(raw)))
        path.write_bytes(raw[:cut] + data.draw(st.binary(max_size=40)) + raw[cut:])
    _check(root)
