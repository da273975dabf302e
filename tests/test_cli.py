"""The CLI through a real subprocess: output shapes, exit codes, one-line errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import run_cli


def test_validate_passes_with_a_one_line_summary():
    done = run_cli("validate")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and done.stdout.startswith("ok: ")


def test_state_json_has_the_documented_keys():
    done = run_cli("state", "--date", "2020-11-09", "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["date"] == "2020-11-09"
    shusha = next(p for p in doc["places"] if p["id"] == "shusha")
    assert {"id", "name", "names", "lat", "lon", "controller", "presence"} <= set(shusha)
    assert shusha["controller"] == "azerbaijani"
    area = next(a for a in doc["areas"] if a["id"] == "cu-artsakh")
    assert {"id", "name", "kind", "controller", "area_km2", "presence"} <= set(area)
    assert {"id", "name", "kind", "status"} <= set(doc["routes"][0])
    assert set(doc["control_km2"]) == {"armenian", "azerbaijani"}
    assert isinstance(doc["events"], list)


def test_state_geojson_is_a_feature_collection_of_everything_drawn():
    done = run_cli("state", "--date", "2022-12-20", "--format", "geojson")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["type"] == "FeatureCollection"
    corridor = next(f for f in doc["features"] if f["id"] == "route:lachin-corridor")
    assert corridor["properties"]["status"] == "blockaded"
    assert {f["properties"]["layer"] for f in doc["features"]} == {"area", "route", "place"}


@pytest.mark.parametrize("args", [
    ("state", "--date", "2020-13-45"),
    ("state", "--date", "yesterday"),
    ("state", "--date", "2030-01-01"),
    ("state",),
    ("events", "--place", "atlantis"),
    ("events", "--kind", "rumour"),
    ("timeline", "--format", "xml"),
    ("frobnicate",),
])
def test_bad_input_exits_2_with_one_line_and_no_traceback(args):
    done = run_cli(*args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), done.stderr


def test_bad_date_message_says_what_was_expected():
    done = run_cli("state", "--date", "2020-13-45")
    assert "YYYY-MM-DD" in done.stderr


def test_events_json_and_filters():
    done = run_cli("events", "--since", "2020-11-01", "--until", "2020-11-30",
                   "--format", "json")
    assert done.returncode == 0, done.stderr
    events = json.loads(done.stdout)
    assert events and all("2020-11-01" <= e["date"] <= "2020-11-30" for e in events)
    first = events[0]
    assert {"id", "date", "date_precision", "kind", "title", "summary", "places", "lat", "lon",
            "sources", "confidence", "alternative_dates"} <= set(first)
    assert all({"title", "publisher", "url"} <= set(s) for e in events for s in e["sources"])


def test_events_by_place_and_kind_as_csv():
    done = run_cli("events", "--place", "shusha", "--kind", "control-change", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert rows and all("shusha" in r["places"].split("; ") for r in rows)
    assert all(r["kind"] == "control-change" for r in rows)


def test_timeline_rows_add_up():
    done = run_cli("timeline", "--format", "json")
    rows = json.loads(done.stdout)
    # From the 1994 ceasefire on, every piece of the contested area has a holder.
    totals = {round(r["armenian_km2"] + r["azerbaijani_km2"]) for r in rows
              if r["date"] >= "1994-05-12"}
    assert max(totals) - min(totals) <= 1
    assert all(r["event_ids"] or r["claim_ids"] for r in rows)
    csv_rows = list(csv.DictReader(io.StringIO(run_cli("timeline").stdout)))
    assert [r["date"] for r in csv_rows] == [r["date"] for r in rows]


def test_data_dir_option_and_environment_variable(data_copy):
    (data_copy / "events/timeline/2020.yaml").write_text("- id: [broken\n", encoding="utf-8")
    for done in (run_cli("validate", "--data-dir", str(data_copy)),
                 run_cli("validate", env={"KARABAKH_DATA_DIR": str(data_copy)})):
        assert done.returncode == 2
        assert "events/timeline/2020.yaml:-:-: malformed YAML" in done.stderr
        assert "Traceback" not in done.stderr


def test_compare_lists_what_changed_hands_between_two_dates():
    done = run_cli("compare", "--from", "2023-09-18", "--to", "2023-10-01")
    assert done.returncode == 0, done.stderr
    diff = json.loads(done.stdout)
    names = {h["id"]: h for h in diff["changed_hands"]}
    assert names["cu-artsakh"]["from"] == "armenian" and names["cu-artsakh"]["to"] == "azerbaijani"
    assert diff["km2_difference"]["armenian"] < -3000
    assert diff["km2_difference"]["armenian"] == -diff["km2_difference"]["azerbaijani"]
    assert any(r["id"] == "lachin-corridor" for r in diff["routes"])
    same = json.loads(run_cli("compare", "--from", "2021-02-01", "--to", "2021-02-01").stdout)
    assert same["changed_hands"] == [] and same["routes"] == []
