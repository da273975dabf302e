"""The prepared bundle's disk cache: read back only for the same bytes, never trusted blindly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.load import DataError
from dashboard.views import bundle as bundle_module
from dashboard.views import diskcache
from dashboard.views.assets import STATIC_DIR, STATIC_URL


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KARABAKH_CACHE_DIR", str(folder))
    return folder


def _no_fresh_prepare(monkeypatch):
    def refuse(data_dir):
        raise AssertionError("prepared afresh, not read from the cache")
    monkeypatch.setattr(bundle_module, "prepare_afresh", refuse)


def test_a_second_start_reads_the_same_bundle_from_disk(data_copy, cache, monkeypatch):
    first = bundle_module.prepare(data_copy)
    assert len(list(cache.glob("bundle-*.pickle"))) == 1
    _no_fresh_prepare(monkeypatch)
    second = bundle_module.prepare(data_copy)
    assert second.timeline.dataset.version == first.timeline.dataset.version
    assert (second.geometry_url, second.states_url) == (first.geometry_url, first.states_url)
    for date in (dt.date(2020, 10, 10), dt.date(2023, 9, 20)):
        assert second.timeline.state_at(date).snapshot == first.timeline.state_at(date).snapshot
    with pytest.raises(TypeError):  # the engine's read-only mappings stay read-only
        second.timeline.state_at(dt.date(2020, 10, 10)).snapshot.control_km2["armenian"] = 0


def test_an_edited_data_file_is_prepared_afresh(data_copy, cache):
    first = bundle_module.prepare(data_copy)
    source = data_copy / "events" / "sources" / "2020.yaml"
    source.write_text(source.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    second = bundle_module.prepare(data_copy)
    assert second.timeline.dataset.version != first.timeline.dataset.version
    assert len(list(cache.glob("bundle-*.pickle"))) == 2


def test_a_broken_dataset_still_fails_loudly_and_is_not_stored(data_copy, cache):
    (data_copy / "events" / "sources" / "2020.yaml").write_text("- id: [unclosed\n")
    with pytest.raises(DataError):
        bundle_module.prepare(data_copy)
    assert not list(cache.glob("bundle-*.pickle"))


def test_a_corrupt_entry_is_ignored_and_replaced(data_copy, cache):
    bundle_module.prepare(data_copy)
    (entry,) = cache.glob("bundle-*.pickle")
    entry.write_bytes(b"not a pickle")
    again = bundle_module.prepare(data_copy)
    assert again.timeline.dataset.places
    key = entry.name.removeprefix("bundle-").removesuffix(".pickle")
    assert diskcache.read(key, cache).timeline.dataset.version == (
        again.timeline.dataset.version)  # the entry was written again, readable


def test_an_entry_whose_map_files_are_gone_is_not_used(data_copy, cache, monkeypatch):
    first = bundle_module.prepare(data_copy)
    key = diskcache.cache_key(bundle_module.data_files(data_copy), data_copy)
    geometry = STATIC_DIR / first.geometry_url.removeprefix(STATIC_URL + "/")
    body = geometry.read_bytes()
    geometry.unlink()
    try:
        assert diskcache.read(key) is None
        assert bundle_module.prepare(data_copy).geometry_url == first.geometry_url
        assert geometry.read_bytes() == body  # published again
    finally:
        if not geometry.exists():
            geometry.write_bytes(body)


def test_only_the_newest_entries_are_kept(cache):
    for n in range(diskcache.KEEP + 3):
        diskcache.write(f"k{n}", {"n": n})
    kept = sorted(p.name for p in cache.glob("bundle-*.pickle"))
    assert len(kept) == diskcache.KEEP
    assert "bundle-k0.pickle" not in kept and f"bundle-k{diskcache.KEEP + 2}.pickle" in kept
    assert not list(cache.glob("*.tmp"))
