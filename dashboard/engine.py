"""The timeline engine: the state of the map at any date, derived from events and claims.

Pure functions and frozen data, no streamlit. Every change date's snapshot is computed
once, up front; :meth:`Timeline.state_at` is then a binary search (microseconds).

Control is held by the *front cells* (modelled areas around settlements, nested in the
control units). An event's control change on a unit sets every cell of the unit; a claim
sets the cells of the settlements it names, by the rule in events/README.md ("From claims
to control"): an undenied claim counts from its date; a denied claim only marks its cells
as *claimed* until a confirmation (or a unit-wide change) settles them. A unit's
controller is the side holding the larger part of its cells' area.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from shapely import STRtree

from dashboard.geo import area_km2
from dashboard.load import Dataset
from dashboard.model import (
    AreaKind,
    Claim,
    ControlChange,
    Controller,
    Event,
    Presence,
    PresenceChange,
    RouteChange,
    RouteStatus,
)

NO_PRESENCE: frozenset[Presence] = frozenset()
#: The contested area lies inside Azerbaijan's internationally recognised borders. Places
#: elsewhere (Goris, Kornidzor, Kapan …) take no controller or presence from the areas:
#: Natural Earth's 1–2 km boundary error would otherwise pull border towns inside.
CONTESTED_COUNTRY = "AZE"


@dataclass(frozen=True)
class Snapshot:
    """The map between two change dates; ``changed`` names what differs from the previous one.

    Targets are written ``area:<id>``, ``place:<id>`` or ``route:<id>``.
    """

    date: dt.date
    event_ids: tuple[str, ...]
    changed: frozenset[str]
    area_controller: Mapping[str, Controller | None]
    area_presence: Mapping[str, frozenset[Presence]]
    place_controller: Mapping[str, Controller | None]
    place_presence: Mapping[str, frozenset[Presence]]
    route_status: Mapping[str, RouteStatus | None]
    #: Statuses that hold beside ``route_status`` (a checkpoint during a blockade).
    route_also: Mapping[str, tuple[RouteStatus, ...]]
    control_km2: Mapping[Controller, float]
    #: The side whose denied, unconfirmed claim stands over a cell (for a unit: over any
    #: of its cells; for a place: over its cell), else None.
    area_claimed_by: Mapping[str, Controller | None]
    place_claimed_by: Mapping[str, Controller | None]
    #: km² of cells under a standing disputed claim (part of ``control_km2``, not added).
    disputed_km2: float
    #: km² of the border areas inside Armenia (Soviet-era line) held by Azerbaijani forces:
    #: schematic areas sized to attributed figures, apart from the contested area.
    inside_armenia_km2: float
    claim_ids: tuple[str, ...]


@dataclass(frozen=True)
class State:
    """What the map shows on one date."""

    date: dt.date
    snapshot: Snapshot  # the latest snapshot on or before ``date``
    events_on_date: tuple[Event, ...]
    latest_event: Event | None
    events_so_far: int


class Timeline:
    """Precomputed snapshots of a dataset at every change date."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.events: tuple[Event, ...] = dataset.events
        self._event_dates = [e.date for e in self.events]
        self.area_km2: dict[str, float] = {
            area_id: area_km2(area.geometry) for area_id, area in dataset.areas.items()
        }
        self.control_units = tuple(
            a for a, area in dataset.areas.items() if area.kind is AreaKind.CONTROL_UNIT
        )
        self.border_areas = tuple(
            a for a, area in dataset.areas.items() if area.kind is AreaKind.BORDER_AREA
        )
        self.cells: dict[str, tuple[str, ...]] = {u: () for u in self.control_units}
        for a, area in dataset.areas.items():
            if area.kind is AreaKind.FRONT_CELL:
                self.cells[area.unit] = (*self.cells.get(area.unit, ()), a)
        self.cell_of_settlement = {area.settlement: a for a, area in dataset.areas.items()
                                   if area.kind is AreaKind.FRONT_CELL and area.settlement}
        #: The contested area as its cells measure it (= the units' within rounding).
        self.contested_km2 = sum(self.area_km2[c] for cs in self.cells.values() for c in cs)
        self.place_unit, self._place_areas, self._area_areas = _containment(dataset)
        cell_unit = {c: u for u, cs in self.cells.items() for c in cs}
        #: Each place's cell: its own for a front settlement, else the cell it lies in.
        self.place_cell: dict[str, str | None] = {
            p: self.cell_of_settlement.get(p)
            or next((a for a in self._place_areas[p] if a in cell_unit), None)
            for p in dataset.places
        }
        for p, cell in self.place_cell.items():
            if cell is not None:  # a settlement snapped to the nearest unit counts there
                self.place_unit[p] = cell_unit[cell]
        self.claims: tuple[Claim, ...] = dataset.claims
        self._events_by_target = _index_events(self.events)
        self._claims_by_place = _index_claims(self.claims)
        self.snapshots: tuple[Snapshot, ...] = tuple(self._build_snapshots())
        self.change_dates: tuple[dt.date, ...] = tuple(s.date for s in self.snapshots)

    # -- lookups -------------------------------------------------------------------
    def state_at(self, date: dt.date) -> State:
        """The state on ``date`` (any date; before the first change, an empty map)."""
        i = bisect.bisect_right(self.change_dates, date) - 1
        snapshot = self.snapshots[i] if i >= 0 else self._empty_snapshot(date)
        lo = bisect.bisect_left(self._event_dates, date)
        hi = bisect.bisect_right(self._event_dates, date)
        return State(
            date=date,
            snapshot=snapshot,
            events_on_date=self.events[lo:hi],
            latest_event=self.events[hi - 1] if hi else None,
            events_so_far=hi,
        )

    def events_until(self, date: dt.date) -> tuple[Event, ...]:
        return self.events[: bisect.bisect_right(self._event_dates, date)]

    def events_for(self, kind: str, target_id: str) -> tuple[Event, ...]:
        """Every event naming a place, area or route (``kind`` in place/area/route)."""
        return self._events_by_target.get(f"{kind}:{target_id}", ())

    def claims_for(self, kind: str, target_id: str) -> tuple[Claim, ...]:
        """Every claim naming a settlement (a place, or the cell drawn around it)."""
        if kind == "area":
            settlement = self.dataset.areas[target_id].settlement if (
                target_id in self.dataset.areas) else None
            return self._claims_by_place.get(settlement, ()) if settlement else ()
        return self._claims_by_place.get(target_id, ()) if kind == "place" else ()

    def front_moves(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The dates from ``start`` to ``end`` on which a front cell changed (its holder, or
        a claim standing over it)."""
        cells = {f"area:{c}" for unit_cells in self.cells.values() for c in unit_cells}
        return [s.date for s in self.snapshots
                if start <= s.date <= end and not cells.isdisjoint(s.changed)]

    def previous_change(self, date: dt.date) -> dt.date | None:
        i = bisect.bisect_left(self.change_dates, date) - 1
        return self.change_dates[i] if i >= 0 else None

    def next_change(self, date: dt.date) -> dt.date | None:
        i = bisect.bisect_right(self.change_dates, date)
        return self.change_dates[i] if i < len(self.change_dates) else None

    # -- construction ----------------------------------------------------------------
    def _empty_snapshot(self, date: dt.date) -> Snapshot:
        return self._snapshot(date, (), (), frozenset(), {}, {}, {}, {})

    def _actions(self):
        """(date, order, kind, id, what) for every event change, claim and confirmation.

        On one date, events' changes come first (order 0), then claims (1), then
        confirmations (2), so a claim made on the day of a handover still shows.
        """
        for event in self.events:
            if event.changes:
                yield event.date, 0, "event", event.id, event.changes
        for claim in self.claims:
            cells = tuple(self.cell_of_settlement[s] for s in claim.settlements
                          if s in self.cell_of_settlement)
            yield claim.date, 1, "claim", claim.id, (claim, cells, claim.disputed)
            if claim.disputed and claim.confirmed_on is not None:
                yield claim.confirmed_on, 2, "claim", claim.id, (claim, cells, False)

    def _build_snapshots(self):
        controllers: dict[str, Controller] = {}  # cell or border area id → side
        claimed: dict[str, Controller] = {}  # cell id → side of a standing disputed claim
        presences: dict[str, set[Presence]] = {}
        statuses: dict[str, tuple[RouteStatus, tuple[RouteStatus, ...]]] = {}
        previous = self._empty_snapshot(dt.date.min)
        by_date: dict[dt.date, list] = {}
        for action in self._actions():
            by_date.setdefault(action[0], []).append(action)
        for date, actions in sorted(by_date.items()):
            event_ids, claim_ids = [], []
            for _, _, kind, ident, what in sorted(actions, key=lambda a: (a[1], a[3])):
                if kind == "event":
                    event_ids.append(ident)
                    for change in what:
                        _apply(change, controllers, claimed, presences, statuses, self.cells)
                else:
                    claim_ids.append(ident)
                    claim, cells, disputed = what
                    for cell in cells:
                        if disputed:
                            if controllers.get(cell) != claim.side:
                                claimed[cell] = claim.side
                        else:
                            controllers[cell] = claim.side
                            claimed.pop(cell, None)
            frozen = {k: frozenset(v) for k, v in presences.items() if v}
            snapshot = self._snapshot(date, tuple(dict.fromkeys(event_ids)),
                                      tuple(dict.fromkeys(claim_ids)), frozenset(),
                                      controllers, claimed, frozen, statuses)
            changed = _diff(previous, snapshot)
            snapshot = Snapshot(**{**snapshot.__dict__, "changed": changed})
            yield snapshot
            previous = snapshot

    def _snapshot(self, date, event_ids, claim_ids, changed, cell_controller, cell_claimed,
                  direct_presence, statuses):
        data = self.dataset
        area_presence = {}
        for area_id in data.areas:
            found = set(direct_presence.get(f"area:{area_id}", NO_PRESENCE))
            for container in self._area_areas[area_id]:
                found |= direct_presence.get(f"area:{container}", NO_PRESENCE)
            area_presence[area_id] = frozenset(found)
        place_presence = {}
        for place_id in data.places:
            found = set(direct_presence.get(f"place:{place_id}", NO_PRESENCE))
            for container in self._place_areas[place_id]:
                found |= direct_presence.get(f"area:{container}", NO_PRESENCE)
            place_presence[place_id] = frozenset(found)
        km2 = dict.fromkeys(Controller, 0.0)
        area_controller: dict[str, Controller | None] = dict.fromkeys(data.areas)
        area_claimed: dict[str, Controller | None] = dict.fromkeys(data.areas)
        disputed = 0.0
        for unit, cells in self.cells.items():
            held = dict.fromkeys(Controller, 0.0)
            for cell in cells:
                side = cell_controller.get(cell)
                area_controller[cell] = side
                area_claimed[cell] = cell_claimed.get(cell)
                if side is not None:
                    held[side] += self.area_km2[cell]
                    km2[side] += self.area_km2[cell]
                if cell in cell_claimed:
                    disputed += self.area_km2[cell]
                    area_claimed[unit] = cell_claimed[cell]
            if any(held.values()):
                area_controller[unit] = max(Controller, key=lambda c: (held[c], c.value))
        inside_armenia = 0.0
        for area_id in self.border_areas:
            side = area_controller[area_id] = cell_controller.get(area_id)
            area = data.areas[area_id]
            if side is Controller.AZERBAIJANI and area.country == "ARM" and area.to_scale:
                inside_armenia += self.area_km2[area_id]
        return Snapshot(
            date=date,
            event_ids=event_ids,
            claim_ids=claim_ids,
            changed=changed,
            area_controller=MappingProxyType(area_controller),
            area_claimed_by=MappingProxyType(area_claimed),
            area_presence=MappingProxyType(area_presence),
            place_controller=MappingProxyType(
                {p: cell_controller.get(c) if c else None for p, c in self.place_cell.items()}
            ),
            place_claimed_by=MappingProxyType(
                {p: cell_claimed.get(c) if c else None for p, c in self.place_cell.items()}
            ),
            place_presence=MappingProxyType(place_presence),
            route_status=MappingProxyType(
                {r: statuses[r][0] if r in statuses else None for r in data.routes}),
            route_also=MappingProxyType({r: statuses.get(r, (None, ()))[1] for r in data.routes}),
            control_km2=MappingProxyType(km2),
            disputed_km2=disputed,
            inside_armenia_km2=inside_armenia,
        )


def _index_events(events: tuple[Event, ...]) -> dict[str, tuple[Event, ...]]:
    """``kind:id`` → the events that name it or change it, in date order (built once)."""
    index: dict[str, list[Event]] = {}
    for event in events:
        targets = {f"place:{p}" for p in event.places} | {f"area:{a}" for a in event.areas}
        targets |= {f"route:{r}" for r in event.routes}
        for change in event.changes:
            for kind in ("place", "area", "route"):
                if getattr(change, kind, None):
                    targets.add(f"{kind}:{getattr(change, kind)}")
        for target in targets:
            index.setdefault(target, []).append(event)
    return {target: tuple(found) for target, found in index.items()}


def _index_claims(claims: tuple[Claim, ...]) -> dict[str, tuple[Claim, ...]]:
    """Settlement id → the claims that name it, in date order (built once)."""
    index: dict[str, list[Claim]] = {}
    for claim in claims:
        for settlement in dict.fromkeys(claim.settlements):
            index.setdefault(settlement, []).append(claim)
    return {s: tuple(found) for s, found in index.items()}


def _apply(change, controllers, claimed, presences, statuses, cells) -> None:
    if isinstance(change, ControlChange):
        for cell in cells.get(change.area, (change.area,)):  # a unit: every cell
            controllers[cell] = change.controller
            claimed.pop(cell, None)
    elif isinstance(change, PresenceChange):
        key = f"area:{change.area}" if change.area else f"place:{change.place}"
        bucket = presences.setdefault(key, set())
        (bucket.add if change.active else bucket.discard)(change.presence)
    elif isinstance(change, RouteChange):
        statuses[change.route] = (change.status, tuple(sorted(set(change.also))))


def _diff(before: Snapshot, after: Snapshot) -> frozenset[str]:
    changed = set()
    for prefix, old, new in (
        ("area", before.area_controller, after.area_controller),
        ("area", before.area_claimed_by, after.area_claimed_by),
        ("area", before.area_presence, after.area_presence),
        ("place", before.place_controller, after.place_controller),
        ("place", before.place_claimed_by, after.place_claimed_by),
        ("place", before.place_presence, after.place_presence),
        ("route", before.route_status, after.route_status),
        ("route", before.route_also, after.route_also),
    ):
        changed.update(f"{prefix}:{k}" for k in new if old.get(k) != new[k])
    return frozenset(changed)


def _containment(dataset: Dataset):
    """Which control unit holds each place; which areas contain each place and area."""
    ids = list(dataset.areas)
    tree = STRtree([dataset.areas[a].geometry for a in ids])

    def holders(point) -> tuple[str, ...]:
        """The areas containing ``point``, in dataset order (the tree narrows by bounds)."""
        return tuple(ids[i] for i in sorted(tree.query(point, predicate="within")))

    units = [a for a, area in dataset.areas.items() if area.kind is AreaKind.CONTROL_UNIT]
    place_unit: dict[str, str | None] = {}
    place_areas: dict[str, tuple[str, ...]] = {}
    for place_id, place in dataset.places.items():
        inside = holders(place.geometry) if place.country == CONTESTED_COUNTRY else ()
        place_areas[place_id] = inside
        place_unit[place_id] = next((a for a in units if a in inside), None)
    area_areas: dict[str, tuple[str, ...]] = {}
    for area_id, area in dataset.areas.items():
        area_areas[area_id] = tuple(
            a for a in holders(area.geometry.representative_point()) if a != area_id)
    return place_unit, place_areas, area_areas
