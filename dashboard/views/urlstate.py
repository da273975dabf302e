"""The view a link encodes: date, selected feature, naming, layers, basemap.

Parsing never fails: a bad parameter falls back to its default and yields a notice that
the page shows, so a mangled link still opens a working map.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from dashboard.model import TIMELINE_END, TIMELINE_START
from dashboard.views.mapview import LAYERS, NAMINGS

#: The date a plain link opens on: the day the 2020 ceasefire statement took effect.
DEFAULT_DATE = dt.date(2020, 11, 10)
DEFAULT_NAMING = "both"
DEFAULT_LAYERS = frozenset(LAYERS)
#: Longer parameter values are refused without being parsed.
MAX_VALUE_LENGTH = 200
KNOWN_PARAMS = ("date", "place", "names", "layers", "basemap", "v")


@dataclass(frozen=True)
class ViewState:
    date: dt.date = DEFAULT_DATE
    selected: str | None = None  # "place:shusha", "area:cu-shusha" or "route:…"
    naming: str = DEFAULT_NAMING
    layers: frozenset[str] = field(default=DEFAULT_LAYERS)
    basemap: bool = False


def _shown(value: str) -> str:
    """A parameter value made safe and short enough to quote in a notice."""
    text = value if len(value) <= 40 else value[:37] + "…"
    return repr(text)


def parse_date_param(value: str) -> dt.date | None:
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        return None
    if len(value) != 10 or not TIMELINE_START <= date <= TIMELINE_END:
        return None
    return date


def parse_selected(value: str, known: Callable[[str], bool]) -> str | None:
    """``shusha`` (a place) or ``area:…`` / ``route:…`` / ``place:…``; None if unknown."""
    uid = value if ":" in value else f"place:{value}"
    return uid if known(uid) else None


def parse_query(params: Mapping[str, Sequence[str]], known: Callable[[str], bool],
                version: str | None = None) -> tuple[ViewState, list[str]]:
    """The view a link asks for, and a notice for each part that fell back or that was
    made on other data (``v``: the data version the link was made with)."""
    notices: list[str] = []
    values: dict[str, str] = {}
    for name, given in params.items():
        if name not in KNOWN_PARAMS:
            notices.append(f"Ignored the unknown link parameter {_shown(name)}.")
            continue
        given = [v for v in given if v is not None]
        if len(given) > 1:
            notices.append(f"The link gives {name!r} {len(given)} times; used the default.")
            continue
        if given and len(given[0]) > MAX_VALUE_LENGTH:
            notices.append(f"The link's {name!r} is too long; used the default.")
            continue
        if given:
            values[name] = given[0].strip()
    view = ViewState()
    if "date" in values:
        date = parse_date_param(values["date"])
        if date is None:
            notices.append(f"The link's date {_shown(values['date'])} is not a date between "
                           f"{TIMELINE_START} and {TIMELINE_END} (YYYY-MM-DD); showing "
                           f"{DEFAULT_DATE}.")
        else:
            view = replace(view, date=date)
    if values.get("place"):
        selected = parse_selected(values["place"], known)
        if selected is None:
            notices.append(f"The link's place {_shown(values['place'])} is not in the data; "
                           "nothing is selected.")
        else:
            view = replace(view, selected=selected)
    if "names" in values:
        if values["names"] in NAMINGS:
            view = replace(view, naming=values["names"])
        else:
            notices.append(f"The link's names {_shown(values['names'])} is not one of "
                           f"{', '.join(NAMINGS)}; using {DEFAULT_NAMING!r}.")
    if "layers" in values:
        asked = [part for part in values["layers"].split(",") if part]
        unknown = [part for part in asked if part not in LAYERS]
        if unknown or not asked:
            notices.append(f"The link's layers {_shown(values['layers'])} are not a "
                           f"comma-separated list of {', '.join(LAYERS)}; showing all layers.")
        else:
            view = replace(view, layers=frozenset(asked))
    if "v" in values and version is not None and values["v"] != version:
        notices.append(f"This link was made with data version {_shown(values['v'])}; this is "
                       f"version {version!r}. It opens on the current data, where events, claims "
                       "or areas may have been added or corrected since (the repository's "
                       "history of events/ and geodata/ lists every change; the published "
                       "edition keeps each version under v/<version>/).")
    if "basemap" in values:
        if values["basemap"] in ("0", "1"):
            view = replace(view, basemap=values["basemap"] == "1")
        else:
            notices.append(f"The link's basemap {_shown(values['basemap'])} is not 0 or 1; "
                           "the web basemap stays off.")
    return view, notices


def to_query(view: ViewState, version: str | None = None) -> dict[str, str]:
    """The link parameters for a view; defaults are left out to keep links short; ``v``
    pins the data version the view was made with."""
    query = {"date": view.date.isoformat()}
    if view.selected:
        kind, _, ident = view.selected.partition(":")
        query["place"] = ident if kind == "place" else view.selected
    if view.naming != DEFAULT_NAMING:
        query["names"] = view.naming
    if view.layers != DEFAULT_LAYERS:
        query["layers"] = ",".join(layer for layer in LAYERS if layer in view.layers)
    if view.basemap:
        query["basemap"] = "1"
    if version:
        query["v"] = version
    return query
