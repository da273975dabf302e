"""Typed records for every data file: places, areas, routes, events and sources.

These models are the schema. Loading (``dashboard.load``) turns files into these
records and reports every problem as ``path:record-id:field: message``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationInfo,
    field_validator,
    model_validator,
)
from shapely.geometry.base import BaseGeometry

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$", max_length=80)]
ShortText = Annotated[str, Field(min_length=1, max_length=300)]
LongText = Annotated[str, Field(min_length=1, max_length=2000)]

#: The period the dashboard's slider covers. Background events may lie before it.
TIMELINE_START = dt.date(2020, 9, 1)
TIMELINE_END = dt.date(2024, 12, 31)
#: Earliest date any record may carry (the first war's background events).
EARLIEST_DATE = dt.date(1900, 1, 1)


class Controller(StrEnum):
    """Who holds an area. ``armenian``: the Armenian side (the de facto authorities of
    Nagorno-Karabakh, Artsakh in their own usage, and Armenian forces)."""

    ARMENIAN = "armenian"
    AZERBAIJANI = "azerbaijani"


class Presence(StrEnum):
    """A force or mission whose presence the timeline switches on and off."""

    RUSSIAN_PEACEKEEPERS = "russian_peacekeepers"
    RUSSIAN_TURKISH_MONITORING = "russian_turkish_monitoring"
    EU_MONITORING_MISSION = "eu_monitoring_mission"
    AZERBAIJANI_CHECKPOINT = "azerbaijani_checkpoint"
    RUSSIAN_BORDER_GUARDS = "russian_border_guards"


class RouteStatus(StrEnum):
    """A route's state on a date; see events/README.md for what each one means."""

    OPEN = "open"
    RESTRICTED = "restricted"
    REROUTED = "rerouted"
    BLOCKADED = "blockaded"
    CHECKPOINT = "checkpoint"
    CLOSED = "closed"
    AZERBAIJANI_CONTROL = "azerbaijani_control"
    PLANNED = "planned"
    UNDER_CONSTRUCTION = "under_construction"
    INACTIVE = "inactive"


class PlaceKind(StrEnum):
    CAPITAL = "capital"
    CITY = "city"
    TOWN = "town"
    VILLAGE = "village"
    BRIDGE = "bridge"
    CHECKPOINT = "checkpoint"
    SITE = "site"


class AreaKind(StrEnum):
    COUNTRY = "country"
    FORMER_OBLAST = "former-oblast"
    DISTRICT = "district"
    PREWAR_HELD = "prewar-held"
    CONTROL_UNIT = "control-unit"
    PEACEKEEPING_ZONE = "peacekeeping-zone"
    CORRIDOR_STRIP = "corridor-strip"
    #: A modelled piece of a control unit around one settlement (see geodata/README.md).
    FRONT_CELL = "front-cell"
    #: A schematic area on the Armenia-Azerbaijan border whose holder changed (2021-2024).
    BORDER_AREA = "border-area"


class RouteKind(StrEnum):
    ROAD = "road"
    CORRIDOR = "corridor"
    PLANNED_LINK = "planned-link"
    RAILWAY = "railway"
    LINE = "line"  # a reference line such as the 1994 line of contact


class EventKind(StrEnum):
    BACKGROUND = "background"
    MILITARY = "military"
    CONTROL_CHANGE = "control-change"
    CEASEFIRE = "ceasefire"
    AGREEMENT = "agreement"
    PEACEKEEPING = "peacekeeping"
    CORRIDOR = "corridor"
    HUMANITARIAN = "humanitarian"
    POLITICAL = "political"
    DIPLOMATIC = "diplomatic"
    LEGAL = "legal"
    BORDER = "border"


class Confidence(StrEnum):
    HIGH = "high"  # two or more independent contemporaneous sources agree
    MEDIUM = "medium"  # one good source, or sources differ in detail
    LOW = "low"  # single or partisan source; confidence_note says why it is kept


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Names(_Record):
    """A place's names: English display, Armenian usage and Azerbaijani usage (Latin script)."""

    en: ShortText
    hy: ShortText | None = None
    az: ShortText | None = None


class Source(_Record):
    id: Slug
    publisher: ShortText
    title: ShortText
    url: HttpUrl
    published: dt.date | None = None
    accessed: dt.date
    kind: Literal[
        "official", "news", "encyclopaedia", "reference", "court", "ngo", "dataset", "book"
    ]
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")] = "en"
    licence: ShortText | None = None
    note: LongText | None = None


class CoordCheck(_Record):
    """A second, independent coordinate for a place, to show the first was checked."""

    source: Slug
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class _Feature(_Record):
    id: Slug
    name: ShortText
    names: Names
    sources: list[Slug] = Field(min_length=1)
    accuracy: LongText | None = None
    note: LongText | None = None
    #: First date the feature exists on the ground (a road built in 2022); None: always.
    valid_from: dt.date | None = None
    # Geometry is checked and attached by the loader, not by pydantic.
    geometry: BaseGeometry = Field(exclude=True)
    model_config = ConfigDict(arbitrary_types_allowed=True)


class Renaming(_Record):
    """A name a side gave a place on a date (Madagiz → Sugovushan on 3 Oct 2020)."""

    name: ShortText
    side: Literal["hy", "az"]
    date: dt.date
    sources: list[Slug] = Field(min_length=1)


class Place(_Feature):
    kind: PlaceKind
    country: Literal["ARM", "AZE", "IRN", "GEO", "TUR"]
    coord_check: CoordCheck | None = None
    #: De jure Azerbaijani district of a front settlement (``district-<slug>`` exists).
    district: Slug | None = None
    renamed: list[Renaming] = Field(default_factory=list)

    @property
    def lat(self) -> float:
        return self.geometry.y

    @property
    def lon(self) -> float:
        return self.geometry.x


class Area(_Feature):
    kind: AreaKind
    #: For a front cell: the control unit it nests in and the settlement it is drawn around
    #: (None: the unit has no settlement and the cell is the whole unit).
    unit: Slug | None = None
    settlement: Slug | None = None
    #: For a border area: the country it lies in on the Soviet-era boundary, and the place
    #: it is drawn at.
    country: Literal["ARM", "AZE"] | None = None
    anchor: Slug | None = None
    #: False where no figure gives the area's size and it is drawn at a nominal size: its
    #: km² is then no measurement and is reported as unknown.
    to_scale: bool = True

    @model_validator(mode="after")
    def _cells_name_their_unit(self) -> Area:
        if (self.kind is AreaKind.BORDER_AREA) != (self.country is not None):
            raise ValueError("a border area names its country; other areas do not")
        if (self.kind is AreaKind.FRONT_CELL) != (self.unit is not None):
            raise ValueError("a front cell names its control unit (unit); other areas do not")
        if self.settlement is not None and self.kind is not AreaKind.FRONT_CELL:
            raise ValueError("only a front cell names a settlement")
        return self


class Route(_Feature):
    kind: RouteKind


class ControlChange(_Record):
    """Sets who holds a control unit from the event's date on."""

    area: Slug
    controller: Controller


class PresenceChange(_Record):
    """Switches a presence on (active) or off over an area or at a place."""

    area: Slug | None = None
    place: Slug | None = None
    presence: Presence
    active: bool

    @model_validator(mode="after")
    def _one_target(self) -> PresenceChange:
        if (self.area is None) == (self.place is None):
            raise ValueError("a presence change names exactly one of area or place")
        return self


class RouteChange(_Record):
    """Sets a route's status from the event's date on; ``also``: statuses that hold at the
    same time (a blockade while a checkpoint stands), drawn together."""

    route: Slug
    status: RouteStatus
    also: list[RouteStatus] = Field(default_factory=list)


Change = ControlChange | PresenceChange | RouteChange


class AlternativeDate(_Record):
    date: dt.date
    sources: list[Slug] = Field(min_length=1)
    note: LongText


class Event(_Record):
    id: Slug
    date: dt.date
    date_precision: DatePrecision = DatePrecision.DAY
    end_date: dt.date | None = None
    kind: EventKind
    title: ShortText
    summary: LongText
    places: list[Slug] = Field(default_factory=list)
    areas: list[Slug] = Field(default_factory=list)
    routes: list[Slug] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list)
    actors: list[Slug] = Field(default_factory=list)
    confidence: Confidence
    confidence_note: LongText | None = Field(default=None, validate_default=True)
    alternative_dates: list[AlternativeDate] = Field(default_factory=list)
    date_note: LongText | None = Field(default=None, validate_default=True)
    sources: list[Slug] = Field(min_length=1)
    background: bool = False

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("date")
        if value is not None and start is not None and value < start:
            raise ValueError(f"end_date {value} is before date {start}")
        return value

    @field_validator("confidence_note")
    @classmethod
    def _low_needs_note(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("confidence") is Confidence.LOW and not value:
            raise ValueError("a low-confidence event needs a confidence_note saying why")
        return value

    @field_validator("date_note")
    @classmethod
    def _alternatives_need_note(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("alternative_dates") and not value:
            raise ValueError("alternative_dates need a date_note saying which date the map uses")
        return value


class Denial(_Record):
    """The other side rejecting a claim, as a source reports it."""

    date: dt.date
    by: Slug
    summary: LongText
    sources: list[Slug] = Field(min_length=1)


class ConfirmationKind(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"  # the other side accepts the loss
    REPORTING = "reporting"  # independent reporting from the place
    FOOTAGE = "footage"  # footage geolocated by a named outlet or analyst
    STATEMENT_LINE = "statement-line"  # the line of the 10 Nov 2020 statement
    HANDOVER = "handover"  # a handover under the statement


class Confirmation(_Record):
    date: dt.date
    kind: ConfirmationKind
    by: Slug | None = None
    summary: LongText
    sources: list[Slug] = Field(min_length=1)


class Claim(_Record):
    """One announcement that a settlement changed hands: who said so, when, who denied it.

    One record per settlement and announcement (a denial or a confirmation concerns a
    place); ``announcement`` groups the records of one announcement. How claims become
    control is written in events/README.md ("From claims to control") and implemented in
    ``dashboard.engine``.
    """

    id: Slug
    announcement: Slug | None = None
    date: dt.date
    side: Controller
    claimant: Slug
    settlements: list[Slug] = Field(min_length=1)
    summary: LongText
    sources: list[Slug] = Field(min_length=1)
    denials: list[Denial] = Field(default_factory=list)
    confirmations: list[Confirmation] = Field(default_factory=list)

    @property
    def disputed(self) -> bool:
        return bool(self.denials)

    @property
    def confirmed_on(self) -> dt.date | None:
        """The first date a confirmation stands (never before the claim itself)."""
        dates = [max(c.date, self.date) for c in self.confirmations]
        return min(dates) if dates else None
