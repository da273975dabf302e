"""The published edition: a static, versioned, embeddable folder built from the engine.

``python -m dashboard publish DIR`` writes ``DIR/v/<data version>/`` (page, shared map
script, Leaflet, geometry, per-date styles, text version, details with sources) and points
``DIR/index.html`` at the newest version. Older versions stay, so a cited link keeps its
map. A run builds everything in a staging folder inside ``DIR`` and only then moves it
into place with renames: a failed run leaves the site as it was. No Python runs at read
time; any static file server or CDN serves the folder, with no internet needed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import xstatic.pkg.leaflet as xstatic_leaflet

from dashboard import export
from dashboard.engine import Timeline
from dashboard.export import PRESENCE_WORDS, SIDE_WORDS
from dashboard.model import TIMELINE_END, TIMELINE_START, AreaKind, Controller
from dashboard.views import mapview
from dashboard.views.assets import WEB_DIR
from dashboard.views.moments import key_moments
from dashboard.views.urlstate import DEFAULT_DATE, DEFAULT_LAYERS

SITE_FILES = ("page.js", "site.css", "embed.js", "kbmap.js", "kbmap.css")


class PublishError(RuntimeError):
    """The site could not be written; the folder is left as it was."""


def _json(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _entry_dates(timeline: Timeline) -> list[dt.date]:
    return [TIMELINE_START, *(d for d in timeline.change_dates
                              if TIMELINE_START < d <= TIMELINE_END)]


def picture_dates(timeline: Timeline) -> dict[dt.date, str | None]:
    """Every change date on the slider and every key moment, with the moment's title."""
    dates: dict[dt.date, str | None] = dict.fromkeys(_entry_dates(timeline))
    for label, date in key_moments(timeline.dataset):
        dates[date] = label
    return dates


def timeline_doc(timeline: Timeline, pictures: bool = True) -> dict[str, Any]:
    """What the page needs at once: dates, km² per change date, key moments, defaults."""
    entries = []
    for date in _entry_dates(timeline):
        state = timeline.state_at(date)
        snap = state.snapshot
        entries.append({
            "date": date.isoformat(),
            "armenian": round(snap.control_km2[Controller.ARMENIAN]),
            "azerbaijani": round(snap.control_km2[Controller.AZERBAIJANI]),
            "disputed": round(snap.disputed_km2),
            "inside_armenia": round(snap.inside_armenia_km2),
            "event": [state.latest_event.date.isoformat(), state.latest_event.title]
            if state.latest_event else None,
        })
    return {
        "version": timeline.dataset.version,
        "start": TIMELINE_START.isoformat(), "end": TIMELINE_END.isoformat(),
        "default_date": DEFAULT_DATE.isoformat(),
        "layers": mapview.LAYERS, "default_layers": sorted(DEFAULT_LAYERS),
        "namings": mapview.NAMINGS,
        "moments": [[label, date.isoformat()] for label, date in key_moments(timeline.dataset)],
        "entries": entries,
        "styles": mapview.STYLES, "patterns": mapview.PATTERNS,
        "legend": [list(item) for item in mapview.LEGEND], "model_note": mapview.MODEL_NOTE,
        "later": mapview.LATER,
        "label_zoom": mapview.LABEL_ZOOM,
        "bounds": [list(mapview.MAP_BOUNDS[0]), list(mapview.MAP_BOUNDS[1])],
        "pictures": sorted(d.isoformat() for d in picture_dates(timeline)) if pictures else [],
    }


def status_rows(timeline: Timeline, state, direct=None) -> list[list[str]]:
    """Who holds what, each route's status and each presence on a date, as table rows."""
    data, snap, date = timeline.dataset, state.snapshot, state.date
    direct = _direct_targets(timeline) if direct is None else direct
    rows = []
    for area in data.areas.values():
        if area.kind in (AreaKind.CONTROL_UNIT, AreaKind.BORDER_AREA):
            side = snap.area_controller.get(area.id)
            if side is None:
                continue
            words = SIDE_WORDS[side.value]
            claimed = snap.area_claimed_by.get(area.id)
            if claimed is not None:
                words += f"; part claimed by {SIDE_WORDS[claimed.value]} (disputed)"
            rows.append(["Area", area.name, words])
    for route in data.routes.values():
        status = snap.route_status.get(route.id)
        if status is not None and (route.valid_from is None or date >= route.valid_from):
            also = [a.value for a in snap.route_also.get(route.id, ())]
            rows.append(["Route", route.name,
                         " and ".join(s.replace("_", " ") for s in (status.value, *also))])
    for table, presences in ((data.areas, snap.area_presence), (data.places, snap.place_presence)):
        for ident, found in presences.items():
            named = [p for p in found if ident in direct.get(p, ())]
            if named:
                rows.append(["Presence", table[ident].name,
                             ", ".join(sorted(PRESENCE_WORDS[p.value] for p in named))])
    return rows


def summary_sentence(timeline: Timeline, state) -> str:
    snap = state.snapshot
    km2 = snap.control_km2
    text = (f"On {state.date:%d %B %Y}, the Armenian side held {km2[Controller.ARMENIAN]:,.0f} "
            f"km² and Azerbaijan {km2[Controller.AZERBAIJANI]:,.0f} km² of the contested area")
    if snap.disputed_km2:
        text += f" ({snap.disputed_km2:,.0f} km² under a disputed claim)"
    if snap.inside_armenia_km2:
        text += (f"; Azerbaijani forces held about {snap.inside_armenia_km2:,.0f} km² inside "
                 "Armenia by Armenian officials' figures")
    latest = state.latest_event
    return text + "." + (f" Latest event: {latest.title} ({latest.date:%d %b %Y})."
                         if latest else "")


def text_doc(timeline: Timeline) -> dict[str, Any]:
    """The text version of each change date: who holds what, routes and presences."""
    direct = _direct_targets(timeline)
    out = []
    for date in _entry_dates(timeline):
        state = timeline.state_at(date)
        changed = sorted(uid for uid in state.snapshot.changed
                         if not uid.startswith("area:cell-"))
        out.append({"date": date.isoformat(), "rows": status_rows(timeline, state, direct),
                    "changed": [_name(timeline, uid) for uid in changed][:40]})
    return {"entries": out}


def _direct_targets(timeline: Timeline) -> dict[Any, set[str]]:
    """Presence → the areas and places its changes name (not those merely inside them)."""
    found: dict[Any, set[str]] = {}
    for event in timeline.events:
        for change in event.changes:
            if getattr(change, "presence", None) is not None:
                found.setdefault(change.presence, set()).add(change.area or change.place)
    return found


def _name(timeline: Timeline, uid: str) -> str:
    kind, _, ident = uid.partition(":")
    table = {"place": timeline.dataset.places, "area": timeline.dataset.areas,
             "route": timeline.dataset.routes}[kind]
    return table[ident].name


def details_doc(timeline: Timeline) -> dict[str, Any]:
    """Every clickable feature: names, geometry note, its events and claims with sources."""
    data = timeline.dataset
    events = {e.id: export.event_record(timeline, e) for e in timeline.events}
    features = {}
    for kind, table in (("place", data.places), ("area", data.areas), ("route", data.routes)):
        for ident, record in table.items():
            uid = f"{kind}:{ident}"
            features[uid] = {
                "name": record.name, "names": record.names.model_dump(),
                "kind": record.kind.value, "accuracy": record.accuracy, "note": record.note,
                "events": [e.id for e in timeline.events_for(kind, ident)],
                # A cell's claims are its settlement's: listed once, under the place.
                "claims": [export.claim_record(timeline, c)
                           for c in timeline.claims_for(kind, ident)] if kind == "place" else [],
                "settlement": getattr(record, "settlement", None),
            }
    return {"features": features, "events": events}


def site_files(timeline: Timeline, pictures: bool = True) -> dict[str, str]:
    """Every text file of one version, by relative path (Leaflet and PNGs are apart)."""
    files = {f"data/{name}.json": _json(doc) for name, doc in (
        ("geometry", mapview.base_features(timeline)),
        ("states", mapview.style_table(timeline)),
        ("timeline", timeline_doc(timeline, pictures)),
        ("text", text_doc(timeline)),
        ("details", details_doc(timeline)),
    )}
    for name in SITE_FILES:
        files[name] = (WEB_DIR / name).read_text(encoding="utf-8")
    files["index.html"] = (WEB_DIR / "index.html").read_text(encoding="utf-8").replace(
        "{{VERSION}}", timeline.dataset.version)
    return files


def _write_version(folder: Path, timeline: Timeline, pictures: bool = True) -> None:
    for rel, text in site_files(timeline, pictures).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    leaflet = folder / "leaflet"
    shutil.copytree(Path(xstatic_leaflet.BASE_DIR), leaflet)
    if pictures:
        from dashboard.views.pictures import write_pictures  # matplotlib only when asked
        write_pictures(timeline, folder / "png", picture_dates(timeline))


def _root_index(version: str, versions: list[str]) -> str:
    """The top-level page: sends a reader to the newest version, keeping the link's query."""
    target = f"v/{version}/"
    return (WEB_DIR / "root.html").read_text(encoding="utf-8").replace(
        "{{TARGET}}", target).replace("{{VERSIONS}}", ", ".join(versions))


def publish(timeline: Timeline, out: Path, pictures: bool = True) -> Path:
    """Write (or rewrite) this data version under ``out/v/`` and point ``out`` at it;
    ``pictures``: also a PNG for every change date and key moment (about 40 s)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    version = timeline.dataset.version
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        _write_version(staging / version, timeline, pictures)
        (out / "v").mkdir(exist_ok=True)
        final = out / "v" / version
        old = None
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=".old-", dir=out))
            os.replace(final, old / version)
        os.replace(staging / version, final)
        versions = sorted(p.name for p in (out / "v").iterdir() if p.is_dir())
        _atomic_write(out / "versions.json", _json({"newest": version, "versions": versions}))
        _atomic_write(out / "index.html", _root_index(version, versions))
        _atomic_write(out / "embed.js", (WEB_DIR / "embed.js").read_text(encoding="utf-8"))
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return final
    except OSError as exc:
        raise PublishError(f"could not write the site under {out}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
