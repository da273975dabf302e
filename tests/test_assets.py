"""Static files for the browser: Leaflet copied from its package, geometry content-addressed."""

from __future__ import annotations

import json
import stat

from dashboard.views import assets


def test_leaflet_is_copied_once_from_the_package(tmp_path):
    target = assets.ensure_leaflet(tmp_path)
    assert (target / "leaflet.js").stat().st_size > 100_000
    assert (target / "leaflet.css").exists() and (target / "images").is_dir()
    assert assets.ensure_leaflet(tmp_path) == target


def test_published_json_is_content_addressed_readable_and_complete(tmp_path):
    url = assets.publish_json({"b": 1, "a": [1, 2]}, "geometry-x", tmp_path)
    name = url.rsplit("/", 1)[1]
    path = tmp_path / "generated" / name
    assert url == f"{assets.STATIC_URL}/generated/{name}"
    assert json.loads(path.read_text()) == {"a": [1, 2], "b": 1}
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert assets.publish_json({"a": [1, 2], "b": 1}, "geometry-x", tmp_path) == url
    assert assets.publish_json({"a": [1]}, "geometry-x", tmp_path) != url
    assert not list((tmp_path / "generated").glob("*.tmp"))
