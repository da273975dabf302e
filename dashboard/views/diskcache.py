"""The prepared bundle on disk, so that a new server starts without loading the data again.

Loading, checking and indexing the dataset and publishing its map files takes about 1.3 s
of CPU on two cores, and a new server does it while its first visitor's browser loads;
reading the result back from disk takes a small fraction of that. An entry is keyed by the
bytes of every data file, of the code that prepares them and of the library versions, so
any edit makes a new entry; nothing is ever read from an entry made from other bytes.

The cache lives in ``$KARABAKH_CACHE_DIR`` (default: ``$XDG_CACHE_HOME/karabakh-map`` or
``~/.cache/karabakh-map``), a private folder only this app writes. It is an optimisation
only: an unreadable, corrupt or stale entry is ignored and the bundle prepared afresh.
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import os
import pickle
import platform
import tempfile
from pathlib import Path
from types import MappingProxyType

import pydantic
import shapely

from dashboard.views.assets import STATIC_DIR, STATIC_URL

CODE_DIR = Path(__file__).resolve().parent.parent
#: Entries kept (the newest): one per dataset version a server was started on.
KEEP = 4


def cache_dir() -> Path:
    explicit = os.environ.get("KARABAKH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "karabakh-map"


def cache_key(data_files: list[Path], data_dir: Path) -> str:
    """A digest of the data files' names and bytes, the code's, and the library versions."""
    digest = hashlib.sha256()
    versions = (platform.python_version(), shapely.__version__, pydantic.VERSION,
                str(pickle.HIGHEST_PROTOCOL))
    digest.update(" ".join(versions).encode())
    code = sorted([*CODE_DIR.rglob("*.py"), *(CODE_DIR / "web").iterdir()])
    for root, paths in ((data_dir, data_files), (CODE_DIR, code)):
        for path in paths:
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:32]


def _mappingproxy(mapping: dict) -> MappingProxyType:
    return MappingProxyType(mapping)


# The engine's snapshots hold read-only mappings, which pickle cannot store by default.
copyreg.pickle(MappingProxyType, lambda proxy: (_mappingproxy, (dict(proxy),)))


def _published(url: str) -> bool:
    """Whether a file the bundle points the browser at is still on disk."""
    return (STATIC_DIR / url.removeprefix(STATIC_URL + "/")).is_file()


def read(key: str, folder: Path | None = None):
    """The bundle stored under ``key``, or None (missing, unreadable, or its map files gone)."""
    path = (folder or cache_dir()) / f"bundle-{key}.pickle"
    try:
        with open(path, "rb") as handle:
            bundle = pickle.load(handle)  # noqa: S301 - written by this app, private folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            TypeError, ValueError):
        return None
    urls = (getattr(bundle, "geometry_url", ""), getattr(bundle, "states_url", ""))
    return bundle if all(url and _published(url) for url in urls) else None


def write(key: str, bundle, folder: Path | None = None) -> None:
    """Store ``bundle`` under ``key`` (atomically); keep the ``KEEP`` newest entries."""
    folder = folder or cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(bundle, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"bundle-{key}.pickle")  # readers never see half a file
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        Path(tmp).unlink(missing_ok=True)
        return
    with contextlib.suppress(OSError):
        entries = sorted(folder.glob("bundle-*.pickle"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-KEEP]:
            old.unlink(missing_ok=True)
