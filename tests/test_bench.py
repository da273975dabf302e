"""The benchmarks still run and produce figures (never asserting a timing)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.config import REPO_ROOT
from tests.browser_support import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.slow]
if not Path(CHROMIUM).exists() and os.environ.get("CI") != "true":
    pytest.skip(f"{CHROMIUM} not installed", allow_module_level=True)


def _run(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})


def test_quick_benchmark_produces_every_figure(tmp_path):
    done = _run("bench/run.py", "--quick", "--out", str(tmp_path))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    for app in ("product", "floor", "naive"):
        assert results["step_ms"][app]["median"] > 0 and results["step_ms"][app]["n"] > 0
        assert results["bytes_per_step"][app]["median"] > 0
        assert results["cold_start_ms"][app] > 0 and results["second_visitor_ms"][app] > 0
    assert results["cold_start_ms"]["bare"] > 0 and results["second_visitor_ms"]["bare"] > 0
    assert results["cold_start_empty_cache_ms"] > 0
    for figure in ("cold_start", "second_visitor"):  # the controls come after the map
        assert results[f"{figure}_complete_ms"]["product"] > 0
    assert results["click_to_details_ms"]["median"] > 0
    assert results["server_run_ms"]["median"] > 0
    product = results["step_breakdown_ms"]["product"]
    assert product["map_drawn"] > 0 and product["page_settled"] >= product["first_message"]
    for app in ("product", "floor"):
        assert results["page_settled_ms"][app]["n"] == results["step_ms"][app]["n"]
        assert results["rapid_scrub_page_settled_ms"][app]["median"] > 0
    assert results["scale"]["page_settled_ms"]["n"] == results["scale"]["step_ms"]["n"] > 0
    assert results["scale"]["peak_rss_mb"] > 0 and results["soak"]["rss_mb_samples"]
    published = results["published"]
    assert published["first_map_ms"] > 0 and published["first_view_bytes"] > 0
    assert published["load"]["requests"] == published["load"]["clients"] * 10
    zoom = published["zoom"]  # the map's labels beside Leaflet's, at the names' zoom
    assert zoom["village_labels"] > 100 and zoom["own_ms"] > 0 and zoom["leaflet_ms"] > 0
    assert len(results["targets"]) == 14
    table = (tmp_path / "RESULTS.md").read_text()
    assert all(t["figure"] in table for t in results["targets"])


def test_the_startup_diagnosis_gives_every_part_for_every_app():
    done = _run("bench/startup.py", "--runs", "1")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rows = {line.split(" | ")[0]: line.split(" | ")[1:] for line in done.stdout.splitlines()}
    for app in ("product", "bare"):  # total, healthy, open, map message, frame, map drawn
        assert all(part.replace(",", "").isdigit() for part in rows[app]), rows[app]
    assert all(part.replace(",", "").isdigit() for part in rows["floor"][:3])


def test_load_smoke_holds_every_session_without_server_errors(tmp_path):
    done = _run("bench/load.py", "--sessions", "3", "--minutes", "0.25", "--out",
                str(tmp_path))
    result = json.loads((tmp_path / "load.json").read_text())
    assert done.returncode == 0, json.dumps(result)
    assert result["server_error_lines"] == 0, result["first_errors"]
    assert result["sessions_answering_at_end"] == 3
    assert result["steps"] > 0 and result["clicks"] > 0
