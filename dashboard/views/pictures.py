"""PNG pictures of the map on a date, for print and social: title, date, legend, source line,
credit and data version on the image. Drawn with matplotlib from the engine's state (the
same cells, units, border areas and routes as the interactive map), no browser needed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend
from matplotlib.collections import PatchCollection  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from dashboard.engine import Timeline  # noqa: E402
from dashboard.model import AreaKind, Controller, Presence, RouteKind  # noqa: E402
from dashboard.views.figure import _patch, frame_axes, label_places  # noqa: E402
from dashboard.views.mapview import BLUE, DARK, GREY, ORANGE, PURPLE, SIDE_COLOURS, VERMILLION  # noqa: E402

EXTENT = (44.9, 47.6, 38.8, 41.2)  # the published map's first view
CREDIT = ("Karabakh 2020–2024 map · front cells are modelled from settlement reports, not "
          "observed · border areas schematic")
SOURCES = ("Sources: news agencies, official statements, encyclopaedias; GeoNames (CC BY 4.0); "
           "geometry: Natural Earth (public domain) and cited points")
LABELLED = ("stepanakert", "shusha", "lachin", "kalbajar", "aghdam", "fuzuli", "jabrayil",
            "zangilan", "kubatly", "martakert", "hadrut", "goris", "kapan", "jermuk", "ijevan")


def draw_picture(timeline: Timeline, date: dt.date, title: str | None = None):
    data, snap = timeline.dataset, timeline.state_at(date).snapshot
    fig, ax = plt.subplots(figsize=(7.2, 8.0), dpi=100)
    groups: dict[tuple, list] = {}

    def add(geom, face, edge="none", lw=0.0, hatch=None, ls="-", alpha=0.85):
        groups.setdefault((face, edge, lw, hatch, ls, alpha), []).append(_patch(geom))

    for area in data.areas.values():
        if area.kind is AreaKind.COUNTRY:
            add(area.geometry, "#f2f2f2", GREY, 0.5, alpha=1)
    for area in data.areas.values():
        side = snap.area_controller.get(area.id)
        if area.kind is AreaKind.FRONT_CELL and side is not None:
            claimed = snap.area_claimed_by.get(area.id)
            add(area.geometry, SIDE_COLOURS[side.value], SIDE_COLOURS[claimed.value] if claimed
                else "none", 0.8 if claimed else 0, hatch="////" if claimed else None)
        elif area.kind is AreaKind.BORDER_AREA and side is not None:
            add(area.geometry, SIDE_COLOURS[side.value], DARK, 0.8, ls="--")
        elif area.kind is AreaKind.CONTROL_UNIT:
            add(area.geometry, "none", "#ffffff", 0.5, alpha=1)
        elif area.kind in (AreaKind.PEACEKEEPING_ZONE, AreaKind.CORRIDOR_STRIP) and (
                Presence.RUSSIAN_PEACEKEEPERS in snap.area_presence.get(area.id, ())):
            add(area.geometry, "none", PURPLE, 1.4, ls="--", alpha=1)
    for (face, edge, lw, hatch, ls, alpha), patches in groups.items():
        ax.add_collection(PatchCollection(patches, facecolor=face, edgecolor=edge, linewidth=lw,
                                          hatch=hatch, linestyle=ls, alpha=alpha))
    for route in data.routes.values():
        status = snap.route_status.get(route.id)
        if route.kind is RouteKind.LINE or status is None or (
                route.valid_from and date < route.valid_from):
            continue
        colour = {"open": "#009E73", "blockaded": VERMILLION, "closed": "#000000",
                  "azerbaijani_control": BLUE}.get(status.value, DARK)
        for line in getattr(route.geometry, "geoms", [route.geometry]):
            xs, ys = line.xy
            ax.plot(xs, ys, color=colour, lw=1.6, ls="-" if status.value == "open" else "--")
    label_places(ax, data, LABELLED, ms=2.5, fontsize=6)
    km2 = snap.control_km2
    ax.set_title((title + "\n" if title else "") + f"{date:%d %B %Y} · Armenian side "
                 f"{km2[Controller.ARMENIAN]:,.0f} km² · Azerbaijan "
                 f"{km2[Controller.AZERBAIJANI]:,.0f} km²"
                 + (f" · inside Armenia {snap.inside_armenia_km2:,.0f} km²"
                    if snap.inside_armenia_km2 else ""), fontsize=9)
    frame_axes(ax, EXTENT)
    ax.legend(handles=[
        Patch(facecolor=ORANGE, label="Armenian side (assessed)"),
        Patch(facecolor=BLUE, label="Azerbaijan (assessed)"),
        Patch(facecolor=ORANGE, edgecolor=BLUE, hatch="////", label="claimed, denied"),
        Patch(facecolor=BLUE, edgecolor=DARK, linestyle="--", label="border area (schematic)"),
        Patch(facecolor="none", edgecolor=PURPLE, linestyle="--", label="peacekeepers"),
    ], loc="lower left", fontsize=6.5, framealpha=0.9)
    fig.text(0.01, 0.025, SOURCES, fontsize=5.5)
    fig.text(0.01, 0.008, f"{CREDIT} · data version {data.version}", fontsize=5.5)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def write_pictures(timeline: Timeline, folder: Path, dates: dict[dt.date, str | None]) -> None:
    """One PNG per date, ``<folder>/<YYYY-MM-DD>.png``; ``dates`` maps a date to its title."""
    folder.mkdir(parents=True, exist_ok=True)
    for date, title in sorted(dates.items()):
        fig = draw_picture(timeline, date, title)
        fig.savefig(folder / f"{date.isoformat()}.png", metadata={"Software": None})
        plt.close(fig)
