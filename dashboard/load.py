"""Load and validate a dataset folder into typed records, reporting every problem at once.

A problem reads ``path:record-id:field: message``; loading never modifies a file.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
import yaml
from pydantic import BaseModel, ValidationError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from dashboard.model import (
    TIMELINE_END,
    TIMELINE_START,
    Area,
    AreaKind,
    Claim,
    ControlChange,
    Event,
    Place,
    PresenceChange,
    Route,
    RouteChange,
    Source,
)

#: A single data file larger than this is refused unread (the whole dataset is < 2 MB).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Every coordinate must fall in this box (lon_min, lat_min, lon_max, lat_max): the
#: South Caucasus with margin. A point outside it is most often a swapped lat/lon.
REGION_BBOX = (38.0, 35.0, 53.0, 44.0)

GEOMETRY_TYPES: dict[type[BaseModel], tuple[str, ...]] = {
    Place: ("Point",),
    Area: ("Polygon", "MultiPolygon"),
    Route: ("LineString", "MultiLineString"),
}
#: libyaml's safe loader when PyYAML was built with it (about ten times faster).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Which model each GeoJSON file holds, by the start of its file name.
GEODATA_PREFIXES: dict[str, type[BaseModel]] = {"places": Place, "areas": Area, "routes": Route}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located by file, record and field."""

    path: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.record}:{self.field}: {self.message}"


class DataError(Exception):
    """Raised when a dataset has problems; carries all of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Dataset:
    """Everything the engine needs, validated and cross-referenced."""

    data_dir: Path
    places: dict[str, Place]
    areas: dict[str, Area]
    routes: dict[str, Route]
    events: tuple[Event, ...]  # sorted by (date, id)
    sources: dict[str, Source]
    claims: tuple[Claim, ...]  # sorted by (date, id)
    version: str  # short digest of the bytes this load parsed

    def counts(self) -> str:
        return (
            f"{len(self.places)} places, {len(self.areas)} areas, {len(self.routes)} routes, "
            f"{len(self.events)} events, {len(self.claims)} claims, "
            f"{len(self.sources)} sources"
        )

    def summary(self) -> str:
        return f"{self.counts()} (data version {self.version})"


class _Collector:
    """Accumulates problems so that one pass reports all of them."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.digest = hashlib.sha256()  # of exactly the bytes parsed: the data version

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def add(self, path: Path | str, record: str, field_name: str, message: str) -> None:
        where = self.rel(path) if isinstance(path, Path) else path
        self.problems.append(Problem(where, _token(record), _token(field_name),
                                     " ".join(str(message).split())))


def _token(text: str) -> str:
    """A record id or field name safe to print between colons on one line."""
    cleaned = re.sub(r"[^\w.\-#\[\]]", "?", str(text or ""))[:80]
    return cleaned or "-"


def _read_text(path: Path, out: _Collector) -> str | None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        out.add(path, "-", "-", f"file is {size / 2**20:.1f} MiB; the limit is "
                f"{MAX_FILE_BYTES // 2**20} MiB")
        return None
    raw = path.read_bytes()
    out.digest.update(out.rel(path).encode() + b"\0" + raw)
    if not raw.strip():
        out.add(path, "-", "-", "file is empty")
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        out.add(path, "-", "-", f"not UTF-8 text (bad byte at offset {exc.start})")
        return None


def _pydantic_problems(exc: ValidationError, path: Path, record: str, out: _Collector) -> None:
    for err in exc.errors():
        loc = ".".join(str(part) for part in err["loc"]) or "-"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown field"
        elif err["type"] == "missing":
            message = "required field is missing"
        out.add(path, record, loc, message)


def _record_id(raw: Any, index: int) -> str:
    """The record's id if it looks like one, else its position (``#3``)."""
    value = raw.get("id") if isinstance(raw, dict) else None
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z0-9][\w.-]{0,79}", value.strip()):
        return value.strip()
    return f"#{index + 1}"


def _check_coordinates(geom: BaseGeometry) -> str | None:
    coords = shapely.get_coordinates(geom)
    if len(coords) == 0:
        return "geometry has no coordinates"
    if not all(math.isfinite(v) for v in coords.flat):
        return "geometry has a non-finite coordinate"
    lon_min, lat_min, lon_max, lat_max = REGION_BBOX
    xs, ys = coords[:, 0], coords[:, 1]
    if xs.min() < lon_min or xs.max() > lon_max or ys.min() < lat_min or ys.max() > lat_max:
        return (
            f"coordinates outside the project's region (lon {lon_min}–{lon_max}, "
            f"lat {lat_min}–{lat_max}); GeoJSON order is [lon, lat]: swapped?"
        )
    return None


def _load_geojson(path: Path, model: type[BaseModel], out: _Collector) -> Iterator[Any]:
    text = _read_text(path, out)
    if text is None:
        return
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        out.add(path, "-", "-", f"malformed JSON at line {exc.lineno} column {exc.colno}: "
                f"{exc.msg}")
        return
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        out.add(path, "-", "type", "expected a GeoJSON FeatureCollection")
        return
    features = doc.get("features")
    if not isinstance(features, list):
        out.add(path, "-", "features", "expected a list of features")
        return
    allowed = GEOMETRY_TYPES[model]
    for index, feature in enumerate(features):
        props = feature.get("properties") if isinstance(feature, dict) else None
        record = _record_id(props, index)
        if not isinstance(props, dict):
            out.add(path, record, "properties", "expected an object")
            continue
        raw_geom = feature.get("geometry")
        if not isinstance(raw_geom, dict) or raw_geom.get("type") not in allowed:
            got = raw_geom.get("type") if isinstance(raw_geom, dict) else raw_geom
            out.add(path, record, "geometry", f"expected {' or '.join(allowed)}, got {got!r}")
            continue
        try:
            geom = shape(raw_geom)
        except Exception as exc:  # shapely raises several types for malformed input
            out.add(path, record, "geometry", f"malformed geometry: {exc}")
            continue
        problem = _check_coordinates(geom)
        if problem is None and not geom.is_valid:
            problem = f"invalid geometry: {shapely.is_valid_reason(geom)}"
        if problem is None and geom.is_empty:
            problem = "empty geometry"
        if problem:
            out.add(path, record, "geometry", problem)
            continue
        try:
            yield model.model_validate({**props, "geometry": geom})
        except ValidationError as exc:
            _pydantic_problems(exc, path, record, out)


def _load_yaml_records(path: Path, model: type[BaseModel], out: _Collector) -> Iterator[Any]:
    text = _read_text(path, out)
    if text is None:
        return
    try:
        doc = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        out.add(path, "-", "-", f"malformed YAML{where}: {problem}")
        return
    if not isinstance(doc, list):
        out.add(path, "-", "-", "expected a YAML list of records")
        return
    for index, raw in enumerate(doc):
        record = _record_id(raw, index)
        if not isinstance(raw, dict):
            out.add(path, record, "-", "expected a mapping of fields")
            continue
        try:
            yield model.model_validate(raw)
        except ValidationError as exc:
            _pydantic_problems(exc, path, record, out)


def _unique(
    records: Iterable[tuple[Path, Any]], kind: str, out: _Collector
) -> dict[str, Any]:
    by_id: dict[str, Any] = {}
    first_path: dict[str, Path] = {}
    for path, record in records:
        if record.id in by_id:
            out.add(path, record.id, "id",
                    f"duplicate {kind} id (first defined in {out.rel(first_path[record.id])})")
            continue
        by_id[record.id] = record
        first_path[record.id] = path
    return by_id


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.glob(pattern) if p.is_file())


def load_dataset(data_dir: Path) -> Dataset:
    """Load and validate ``data_dir``; raise :class:`DataError` listing every problem."""
    data_dir = Path(data_dir)
    out = _Collector(data_dir)
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), "-", "-", "data folder does not exist")])
    geodir, eventdir = data_dir / "geodata", data_dir / "events"
    geo_records: dict[type[BaseModel], list[tuple[Path, Any]]] = {m: [] for m in GEOMETRY_TYPES}
    for path in _files(geodir, "*.geojson"):
        model = next((m for p, m in GEODATA_PREFIXES.items() if path.name.startswith(p)), None)
        if model is None:
            out.add(path, "-", "-", "unknown file: geodata files start with places, areas "
                    "or routes")
            continue
        geo_records[model].extend((path, r) for r in _load_geojson(path, model, out))
    source_files = _files(eventdir / "sources", "*.yaml")
    event_files = _files(eventdir / "timeline", "*.yaml")
    claim_files = _files(eventdir / "claims", "*.yaml")
    for folder, found in (("geodata", geo_records[Place]), ("events/sources", source_files),
                          ("events/timeline", event_files)):
        if not found:
            out.add(folder, "-", "-", "no data files found")
    sources = _unique(((p, r) for p in source_files for r in _load_yaml_records(p, Source, out)),
                      "source", out)
    event_list = [(p, r) for p in event_files for r in _load_yaml_records(p, Event, out)]
    places = _unique(geo_records[Place], "place", out)
    areas = _unique(geo_records[Area], "area", out)
    routes = _unique(geo_records[Route], "route", out)
    events = _unique(event_list, "event", out)
    event_paths = {r.id: p for p, r in event_list}
    claim_list = [(p, r) for p in claim_files for r in _load_yaml_records(p, Claim, out)]
    claims = _unique(claim_list, "claim", out)

    _check_references(places, areas, routes, events, event_paths, sources, geo_records, out,
                      claim_list)
    _check_event_order(events, event_paths, areas, routes, out)
    if out.problems:
        raise DataError(out.problems)
    return Dataset(
        data_dir=data_dir,
        places=places,
        areas=areas,
        routes=routes,
        events=tuple(sorted(events.values(), key=lambda e: (e.date, e.id))),
        sources=sources,
        claims=tuple(sorted(claims.values(), key=lambda c: (c.date, c.id))),
        version=out.digest.hexdigest()[:12],
    )


def _check_references(places, areas, routes, events, event_paths, sources, geo_records, out,
                      claim_list=()):
    cited: set[str] = set()

    def need(ids, known, path, record, field_name, what):
        for ref in ids:
            if ref not in known:
                out.add(path, record, field_name, f"unknown {what} id {ref!r}")

    for model in GEOMETRY_TYPES:
        for path, rec in geo_records[model]:
            need(rec.sources, sources, path, rec.id, "sources", "source")
            cited.update(rec.sources)
            check = getattr(rec, "coord_check", None)
            if check is not None:
                need([check.source], sources, path, rec.id, "coord_check.source", "source")
                cited.add(check.source)
            for i, renaming in enumerate(getattr(rec, "renamed", ())):
                need(renaming.sources, sources, path, rec.id, f"renamed.{i}.sources", "source")
                cited.update(renaming.sources)
            if isinstance(rec, Place) and not _names_paired(rec):
                out.add(path, rec.id, "name",
                        f"{rec.name!r} must show both usages, 'Armenian usage / Azerbaijani "
                        f"usage' (names.hy {rec.names.hy!r}, names.az {rec.names.az!r})")
            district = getattr(rec, "district", None)
            if district is not None and f"district-{district}" not in areas:
                out.add(path, rec.id, "district", f"unknown district {district!r} (no area "
                        f"'district-{district}')")
            _check_cell(rec, areas, places, path, out)
            anchor = getattr(rec, "anchor", None)
            if anchor is not None and anchor not in places:
                out.add(path, rec.id, "anchor", f"unknown place id {anchor!r}")
    cells_of = {a.settlement for a in areas.values() if a.settlement}
    for path, claim in claim_list:
        need(claim.sources, sources, path, claim.id, "sources", "source")
        cited.update(claim.sources)
        need(claim.settlements, places, path, claim.id, "settlements", "place")
        for s_id in claim.settlements:
            if s_id in places and s_id not in cells_of:
                out.add(path, claim.id, "settlements",
                        f"place {s_id!r} has no front cell: it lies outside the control units, "
                        "or the cells need rebuilding (python -m dashboard.geobuild cells)")
        if not TIMELINE_START <= claim.date <= TIMELINE_END:
            out.add(path, claim.id, "date",
                    f"outside the timeline {TIMELINE_START} … {TIMELINE_END}")
        for field_name, items in (("denials", claim.denials),
                                  ("confirmations", claim.confirmations)):
            for i, item in enumerate(items):
                need(item.sources, sources, path, claim.id, f"{field_name}.{i}.sources",
                     "source")
                cited.update(item.sources)
    for event in events.values():
        path = event_paths[event.id]
        need(event.sources, sources, path, event.id, "sources", "source")
        cited.update(event.sources)
        need(event.places, places, path, event.id, "places", "place")
        need(event.areas, areas, path, event.id, "areas", "area")
        need(event.routes, routes, path, event.id, "routes", "route")
        for i, alt in enumerate(event.alternative_dates):
            need(alt.sources, sources, path, event.id, f"alternative_dates.{i}.sources", "source")
            cited.update(alt.sources)
        for i, change in enumerate(event.changes):
            where = f"changes.{i}"
            if isinstance(change, ControlChange):
                area = areas.get(change.area)
                if area is None:
                    out.add(path, event.id, f"{where}.area", f"unknown area id {change.area!r}")
                elif area.kind not in (AreaKind.CONTROL_UNIT, AreaKind.BORDER_AREA):
                    out.add(path, event.id, f"{where}.area",
                            f"controller changes apply to control units and border areas; "
                            f"{change.area!r} is a {area.kind.value}")
            elif isinstance(change, PresenceChange):
                if change.area is not None:
                    need([change.area], areas, path, event.id, f"{where}.area", "area")
                else:
                    need([change.place], places, path, event.id, f"{where}.place", "place")
            elif isinstance(change, RouteChange):
                need([change.route], routes, path, event.id, f"{where}.route", "route")
    for source_id in sorted(set(sources) - cited):
        out.add("events/sources", source_id, "id", "source is never cited")


def _names_paired(place: Place) -> bool:
    """A place whose two usages differ shows both in its display name (one fixed order:
    Armenian usage / Azerbaijani usage, the languages' English names in alphabetical order)."""
    hy, az = place.names.hy, place.names.az
    return not (hy and az and hy != az) or " / " in place.name


def _check_cell(rec, areas, places, path, out) -> None:
    """A front cell nests in a control unit and is drawn around a known settlement."""
    if not isinstance(rec, Area) or rec.unit is None:
        return
    unit = areas.get(rec.unit)
    if unit is None or unit.kind is not AreaKind.CONTROL_UNIT:
        out.add(path, rec.id, "unit", f"{rec.unit!r} is not a control unit")
    if rec.settlement is not None and rec.settlement not in places:
        out.add(path, rec.id, "settlement", f"unknown place id {rec.settlement!r}")


def _check_event_order(events, event_paths, areas, routes, out):
    """Dates in range and in a possible order: nothing changes before it exists."""
    seen_titles: dict[tuple, str] = {}
    active: dict[tuple[str, str, str], bool] = {}
    for event in sorted(events.values(), key=lambda e: (e.date, e.id)):
        path = event_paths[event.id]
        if event.background and event.date >= TIMELINE_START:
            out.add(path, event.id, "date",
                    f"background events lie before {TIMELINE_START}; got {event.date}")
        if not event.background and not TIMELINE_START <= event.date <= TIMELINE_END:
            out.add(path, event.id, "date",
                    f"outside the timeline {TIMELINE_START} … {TIMELINE_END} "
                    "(mark earlier context as background: true)")
        key = (event.date, event.title.casefold())
        if key in seen_titles:
            out.add(path, event.id, "title",
                    f"duplicate of event {seen_titles[key]!r} (same date and title)")
        seen_titles[key] = event.id
        for i, change in enumerate(event.changes):
            target_id = getattr(change, "area", None) or getattr(change, "route", None)
            target = areas.get(target_id) or routes.get(target_id)
            if target is not None and target.valid_from and event.date < target.valid_from:
                out.add(path, event.id, f"changes.{i}",
                        f"{target_id!r} does not exist until {target.valid_from}")
            if isinstance(change, PresenceChange):
                key3 = ("area" if change.area else "place", change.area or change.place,
                        change.presence.value)
                was = active.get(key3, False)
                if was == change.active:
                    state = "already active" if was else "not active (never began or ended)"
                    out.add(path, event.id, f"changes.{i}.active",
                            f"presence {change.presence.value} at {key3[1]!r} is {state}")
                active[key3] = change.active
