"""What the app prepares once per dataset version: the engine and the published geometry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dashboard.engine import Timeline
from dashboard.load import load_dataset
from dashboard.views import diskcache
from dashboard.views.assets import ensure_leaflet, publish_json
from dashboard.views.mapview import base_features, style_table

DATA_GLOBS = ("geodata/*.geojson", "events/sources/*.yaml", "events/timeline/*.yaml",
              "events/claims/*.yaml")


@dataclass(frozen=True)
class Bundle:
    timeline: Timeline
    geometry_url: str
    states_url: str


def data_files(data_dir: Path) -> list[Path]:
    return [path for pattern in DATA_GLOBS for path in sorted(Path(data_dir).glob(pattern))]


def fingerprint(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and mtime of every data file: changes when any file is edited."""
    found = []
    for path in data_files(data_dir):
        stat = path.stat()
        found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def prepare(data_dir: Path) -> Bundle:
    """The bundle for the files in ``data_dir``: from the disk cache when a server already
    prepared these bytes with this code (``diskcache``), else prepared and stored."""
    try:
        key = diskcache.cache_key(data_files(data_dir), Path(data_dir))
    except OSError:  # a file went away meanwhile: the load below names it
        key = None
    bundle = diskcache.read(key) if key else None
    if bundle is None:
        bundle = prepare_afresh(data_dir)
        if key:
            diskcache.write(key, bundle)
    ensure_leaflet()
    return bundle


def prepare_afresh(data_dir: Path) -> Bundle:
    """Load, validate and index the dataset; publish its geometry and styles for the browser."""
    timeline = Timeline(load_dataset(data_dir))
    version = timeline.dataset.version
    return Bundle(
        timeline=timeline,
        geometry_url=publish_json(base_features(timeline), f"geometry-{version}"),
        states_url=publish_json(style_table(timeline), f"states-{version}"),
    )
