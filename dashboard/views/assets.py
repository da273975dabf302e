"""Files the browser fetches from the app itself, so the map works with no internet.

Streamlit serves ``dashboard/static/`` at ``/app/static/`` (``server.enableStaticServing``).
Leaflet comes from the XStatic-Leaflet package; the map's geometry is written once per
dataset version, so a slider step never re-sends it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

import xstatic.pkg.leaflet as xstatic_leaflet

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
#: The map's own JavaScript and CSS, shared by the explorer and the published edition.
WEB_DIR = Path(__file__).resolve().parent.parent / "web"
STATIC_URL = "/app/static"
LEAFLET_VERSION = xstatic_leaflet.VERSION
LEAFLET_JS = f"{STATIC_URL}/leaflet-{LEAFLET_VERSION}/leaflet.js"
LEAFLET_CSS = f"{STATIC_URL}/leaflet-{LEAFLET_VERSION}/leaflet.css"


def ensure_leaflet(static_dir: Path = STATIC_DIR) -> Path:
    """Copy Leaflet's files out of the installed package (once per version)."""
    target = static_dir / f"leaflet-{LEAFLET_VERSION}"
    if not (target / "leaflet.js").exists():
        static_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=static_dir))
        shutil.copytree(Path(xstatic_leaflet.BASE_DIR), staging / "leaflet")
        try:
            os.replace(staging / "leaflet", target)
        except OSError:  # another process won the race; its copy is identical
            pass
        shutil.rmtree(staging, ignore_errors=True)
    return target


def publish_json(doc: dict, stem: str, static_dir: Path = STATIC_DIR) -> str:
    """Write ``doc`` under a content-addressed name and return the URL that serves it."""
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return _publish(body, stem, ".json", static_dir)


@cache
def publish_web(name: str, static_dir: Path = STATIC_DIR) -> str:
    """Serve a file of ``dashboard/web/`` (``kbmap.js``, ``kbmap.css``) under its hash."""
    path = WEB_DIR / name
    return _publish(path.read_text(encoding="utf-8"), path.stem, path.suffix, static_dir)


def _publish(body: str, stem: str, suffix: str, static_dir: Path) -> str:
    digest = hashlib.sha256(body.encode()).hexdigest()[:16]
    folder = static_dir / "generated"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}-{digest}{suffix}"
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; it is a public static file
        os.replace(tmp, path)  # readers never see a half-written file
    return f"{STATIC_URL}/generated/{path.name}"
