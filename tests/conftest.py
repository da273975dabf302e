"""Shared fixtures: the real dataset, a writable copy of it, a CLI runner, and Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.config import REPO_ROOT
from dashboard.engine import Timeline
from dashboard.load import load_dataset


@pytest.fixture(scope="session")
def dataset():
    return load_dataset(REPO_ROOT)


@pytest.fixture(scope="session")
def timeline(dataset):
    return Timeline(dataset)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright, one per test module. Where it is
    missing the test is skipped; under CI (where `make test` installs it) that is an error."""
    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"{CHROMIUM} is missing under CI: `make test` should install it")
        pytest.skip(f"{CHROMIUM} not installed (sudo apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the real dataset, laid out like the repo."""
    for folder in ("geodata", "events"):
        shutil.copytree(REPO_ROOT / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("*.md", "authored", "MANIFEST.json"))
    return tmp_path


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m dashboard ARGS`` in a real subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        capture_output=True, text=True, timeout=120, cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can act on failures."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
