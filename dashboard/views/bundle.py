"""What the app prepares once per dataset version: the engine and the published geometry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dashboard.engine import Timeline
from dashboard.load import load_dataset
from dashboard.views.assets import ensure_leaflet, publish_json
from dashboard.views.mapview import base_features, style_table

DATA_GLOBS = ("geodata/*.geojson", "events/sources/*.yaml", "events/timeline/*.yaml",
              "events/claims/*.yaml")


@dataclass(frozen=True)
class Bundle:
    timeline: Timeline
    geometry_url: str
    states_url: str


def fingerprint(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and mtime of every data file: changes when any file is edited."""
    found = []
    for pattern in DATA_GLOBS:
        for path in sorted(Path(data_dir).glob(pattern)):
            stat = path.stat()
            found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def prepare(data_dir: Path) -> Bundle:
    """Load, validate and index the dataset; publish its geometry and styles for the browser."""
    timeline = Timeline(load_dataset(data_dir))
    ensure_leaflet()
    version = timeline.dataset.version
    return Bundle(
        timeline=timeline,
        geometry_url=publish_json(base_features(timeline), f"geometry-{version}"),
        states_url=publish_json(style_table(timeline), f"states-{version}"),
    )
