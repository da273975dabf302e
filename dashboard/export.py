"""Plain-data views of the engine: dicts, GeoJSON, CSV. Shared by the CLI and the app."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from shapely.geometry import mapping

from dashboard.engine import State, Timeline
from dashboard.model import Claim, Event

#: How a presence, a side and a claimant read in the project's words (both editions).
PRESENCE_WORDS = {
    "russian_peacekeepers": "Russian peacekeepers",
    "russian_turkish_monitoring": "Russian–Turkish monitoring centre",
    "eu_monitoring_mission": "EU monitors",
    "azerbaijani_checkpoint": "Azerbaijani checkpoint",
    "russian_border_guards": "Russian border guards",
}
SIDE_WORDS = {"armenian": "the Armenian side", "azerbaijani": "Azerbaijan", None: "no holder"}
#: How a claim's ``claimant`` or a denial's ``by`` reads in the project's words.
CLAIMANT_WORDS = {
    "az-president": "Azerbaijan's president",
    "az-mod": "Azerbaijan's defence ministry",
    "am-mod": "Armenia's defence ministry",
    "am-government": "Armenia's government",
    "artsakh-officials": "officials of the de facto authorities of Nagorno-Karabakh (Artsakh)",
    "ru-mod": "Russia's defence ministry",
    "journalists": "journalists reporting from the place",
    "other": "another source (see the summary)",
}


def claimant_words(slug: str | None) -> str:
    return CLAIMANT_WORDS.get(slug or "other", (slug or "other").replace("-", " "))


def _presence(values) -> list[str]:
    return sorted(p.value for p in values)


def _value(enum_or_none) -> str | None:
    return None if enum_or_none is None else enum_or_none.value


def place_record(timeline: Timeline, state: State, place_id: str) -> dict[str, Any]:
    place = timeline.dataset.places[place_id]
    snap = state.snapshot
    return {
        "id": place.id,
        "name": place.name,
        "names": place.names.model_dump(),
        "kind": place.kind.value,
        "lat": place.lat,
        "lon": place.lon,
        "controller": _value(snap.place_controller.get(place_id)),
        "claimed_by": _value(snap.place_claimed_by.get(place_id)),
        "presence": _presence(snap.place_presence.get(place_id, ())),
    }


def area_record(timeline: Timeline, state: State, area_id: str) -> dict[str, Any]:
    area = timeline.dataset.areas[area_id]
    snap = state.snapshot
    return {
        "id": area.id,
        "name": area.name,
        "names": area.names.model_dump(),
        "kind": area.kind.value,
        "controller": _value(snap.area_controller.get(area_id)),
        "claimed_by": _value(snap.area_claimed_by.get(area_id)),
        "area_km2": (round(timeline.area_km2[area_id], 1) if area.to_scale else None),
        "presence": _presence(snap.area_presence.get(area_id, ())),
    }


def route_record(timeline: Timeline, state: State, route_id: str) -> dict[str, Any]:
    route = timeline.dataset.routes[route_id]
    return {
        "id": route.id,
        "name": route.name,
        "names": route.names.model_dump(),
        "kind": route.kind.value,
        "status": _value(state.snapshot.route_status.get(route_id)),
        "also": [a.value for a in state.snapshot.route_also.get(route_id, ())],
    }


def control_km2(state: State) -> dict[str, float]:
    return {side.value: round(km2, 1) for side, km2 in state.snapshot.control_km2.items()}


def state_record(timeline: Timeline, state: State) -> dict[str, Any]:
    """The state on a date as JSON-ready data (the CLI's ``state --format json``)."""
    data = timeline.dataset
    return {
        "date": state.date.isoformat(),
        "change_date": state.snapshot.date.isoformat() if state.snapshot.event_ids else None,
        "data_version": data.version,
        "control_km2": control_km2(state),
        "disputed_km2": round(state.snapshot.disputed_km2, 1),
        "contested_km2": round(timeline.contested_km2, 1),
        "inside_armenia_km2": round(state.snapshot.inside_armenia_km2, 1),
        "places": [place_record(timeline, state, p) for p in data.places],
        "areas": [area_record(timeline, state, a) for a in data.areas],
        "routes": [route_record(timeline, state, r) for r in data.routes],
        "changed": sorted(state.snapshot.changed),
        "latest_event": event_record(timeline, state.latest_event) if state.latest_event else None,
        "events": [event_record(timeline, e) for e in state.events_on_date],
        "claims": [claim_record(timeline, c) for c in timeline.claims if c.date == state.date],
    }


def state_geojson(timeline: Timeline, state: State) -> dict[str, Any]:
    """Everything the map draws on a date, as one FeatureCollection with state properties."""
    data = timeline.dataset
    features = []
    for layer, records, make in (
        ("area", data.areas, area_record),
        ("route", data.routes, route_record),
        ("place", data.places, place_record),
    ):
        for item_id, item in records.items():
            props = make(timeline, state, item_id)
            props.update(layer=layer, sources=list(item.sources), accuracy=item.accuracy)
            features.append({
                "type": "Feature",
                "id": f"{layer}:{item_id}",
                "properties": props,
                "geometry": mapping(item.geometry),
            })
    return {
        "type": "FeatureCollection",
        "properties": {"date": state.date.isoformat(), "data_version": data.version},
        "features": features,
    }


def event_record(timeline: Timeline, event: Event) -> dict[str, Any]:
    data = timeline.dataset
    main = data.places.get(event.places[0]) if event.places else None
    return {
        "id": event.id,
        "date": event.date.isoformat(),
        "date_precision": event.date_precision.value,
        "end_date": event.end_date.isoformat() if event.end_date else None,
        "kind": event.kind.value,
        "title": event.title,
        "summary": event.summary,
        "places": list(event.places),
        "areas": list(event.areas),
        "routes": list(event.routes),
        "lat": main.lat if main else None,
        "lon": main.lon if main else None,
        "actors": list(event.actors),
        "changes": [c.model_dump(exclude_none=True, mode="json") for c in event.changes],
        "confidence": event.confidence.value,
        "confidence_note": event.confidence_note,
        "alternative_dates": [
            {"date": a.date.isoformat(), "note": a.note, "sources": list(a.sources)}
            for a in event.alternative_dates
        ],
        "date_note": event.date_note,
        "background": event.background,
        "sources": _source_list(timeline, event.sources),
    }


def _source_list(timeline: Timeline, ids) -> list[dict[str, Any]]:
    data = timeline.dataset
    return [
        {
            "id": s.id,
            "title": s.title,
            "publisher": s.publisher,
            "url": str(s.url),
            "published": s.published.isoformat() if s.published else None,
        }
        for s in (data.sources[i] for i in ids)
    ]


def claim_record(timeline: Timeline, claim: Claim) -> dict[str, Any]:
    """A claim with its denials and confirmations, each with its sources."""
    return {
        "id": claim.id,
        "date": claim.date.isoformat(),
        "side": claim.side.value,
        "claimant": claim.claimant,
        "claimant_words": claimant_words(claim.claimant),
        "settlements": list(claim.settlements),
        "summary": claim.summary,
        "disputed": claim.disputed,
        "confirmed_on": claim.confirmed_on.isoformat() if claim.confirmed_on else None,
        "sources": _source_list(timeline, claim.sources),
        "denials": [
            {"date": d.date.isoformat(), "by": d.by, "by_words": claimant_words(d.by),
             "summary": d.summary, "sources": _source_list(timeline, d.sources)}
            for d in claim.denials
        ],
        "confirmations": [
            {"date": c.date.isoformat(), "kind": c.kind.value, "by": c.by,
             "summary": c.summary, "sources": _source_list(timeline, c.sources)}
            for c in claim.confirmations
        ],
    }


def filter_events(
    events: Iterable[Event],
    since: dt.date | None = None,
    until: dt.date | None = None,
    place: str | None = None,
    kind: str | None = None,
) -> list[Event]:
    return [
        e for e in events
        if (since is None or e.date >= since)
        and (until is None or e.date <= until)
        and (place is None or place in e.places)
        and (kind is None or e.kind.value == kind)
    ]


EVENT_CSV_COLUMNS = (
    "id", "date", "date_precision", "end_date", "kind", "title", "summary", "places",
    "lat", "lon", "confidence", "alternative_dates", "date_note", "source_titles",
    "source_publishers", "source_urls",
)


def _csv_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def events_csv(records: Iterable[dict[str, Any]]) -> str:
    """Event records as CSV; list fields joined with ``; ``; no cell starts a formula."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EVENT_CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for rec in records:
        row = {k: rec.get(k) for k in EVENT_CSV_COLUMNS}
        row["places"] = "; ".join(rec["places"])
        row["alternative_dates"] = "; ".join(
            f"{a['date']} ({', '.join(a['sources'])})" for a in rec["alternative_dates"]
        )
        for column, key in (("source_titles", "title"), ("source_publishers", "publisher"),
                            ("source_urls", "url")):
            row[column] = "; ".join(s[key] for s in rec["sources"])
        writer.writerow({k: _csv_cell(v) for k, v in row.items()})
    return buffer.getvalue()


def compare(timeline: Timeline, first: dt.date, second: dt.date) -> dict[str, Any]:
    """What changed between two dates: settlements, units and border areas that changed
    hands, route statuses, presences switched on or off, and the km² difference."""
    data = timeline.dataset
    a, b = timeline.state_at(first).snapshot, timeline.state_at(second).snapshot
    hands = []
    for kind, table, before, after in (
            ("settlement", data.places, a.place_controller, b.place_controller),
            ("area", data.areas, a.area_controller, b.area_controller)):
        for ident, record in table.items():
            if kind == "area" and record.kind.value not in ("control-unit", "border-area"):
                continue
            if kind == "settlement" and record.district is None:
                continue
            if before.get(ident) != after.get(ident):
                hands.append({"kind": kind, "id": ident, "name": record.name,
                              "from": _value(before.get(ident)), "to": _value(after.get(ident))})
    routes = [{"id": r, "name": data.routes[r].name, "from": _value(a.route_status.get(r)),
               "to": _value(b.route_status.get(r))}
              for r in data.routes if (a.route_status.get(r), a.route_also.get(r)) != (
                  b.route_status.get(r), b.route_also.get(r))]
    presences = []
    for table, before, after in ((data.areas, a.area_presence, b.area_presence),
                                 (data.places, a.place_presence, b.place_presence)):
        for ident in table:
            gone = before.get(ident, frozenset()) - after.get(ident, frozenset())
            came = after.get(ident, frozenset()) - before.get(ident, frozenset())
            for presence, change in [*((p, "ended") for p in gone),
                                     *((p, "began") for p in came)]:
                presences.append({"id": ident, "name": table[ident].name,
                                  "presence": PRESENCE_WORDS[presence.value], "change": change})
    km2 = {side.value: round(b.control_km2[side] - a.control_km2[side], 1)
           for side in a.control_km2}
    km2["inside_armenia"] = round(b.inside_armenia_km2 - a.inside_armenia_km2, 1)
    return {"from": first.isoformat(), "to": second.isoformat(), "changed_hands": hands,
            "routes": routes, "presences": presences, "km2_difference": km2}


def timeline_rows(timeline: Timeline) -> list[dict[str, Any]]:
    """One row per change date: km² per side (disputed km² apart, already inside the
    side that holds them) and the events and claims that caused the change."""
    return [
        {
            "date": snap.date.isoformat(),
            "armenian_km2": round(snap.control_km2["armenian"], 1),
            "azerbaijani_km2": round(snap.control_km2["azerbaijani"], 1),
            "disputed_km2": round(snap.disputed_km2, 1),
            "inside_armenia_km2": round(snap.inside_armenia_km2, 1),
            "event_ids": list(snap.event_ids),
            "claim_ids": list(snap.claim_ids),
        }
        for snap in timeline.snapshots
    ]
