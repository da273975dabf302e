"""A static picture of the control units at a few dates (matplotlib), for the docs.

``python -m dashboard.views.figure docs/control-stages.png`` redraws the committed PNG.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend
from matplotlib.patches import PathPatch  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402
from shapely.geometry import MultiPolygon, Polygon  # noqa: E402

from dashboard.config import default_data_dir  # noqa: E402
from dashboard.engine import Timeline  # noqa: E402
from dashboard.load import load_dataset  # noqa: E402
from dashboard.model import AreaKind, Presence  # noqa: E402
from dashboard.views.mapview import GREY, PURPLE, SIDE_COLOURS  # noqa: E402

STAGE_DATES = (dt.date(2020, 9, 26), dt.date(2020, 12, 2), dt.date(2023, 10, 15))
EXTENT = (45.45, 47.55, 38.95, 40.5)  # lon_min, lon_max, lat_min, lat_max
LABELLED = ("stepanakert", "shusha", "lachin", "kalbajar", "aghdam", "fuzuli", "jabrayil",
            "zangilan", "kubatly", "martakert", "hadrut", "goris")


def _patch(geom, **style) -> PathPatch:
    polygons = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    vertices, codes = [], []
    for poly in polygons:
        assert isinstance(poly, Polygon)
        for ring in (poly.exterior, *poly.interiors):
            coords = list(ring.coords)
            vertices += coords
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [
                MplPath.CLOSEPOLY]
    return PathPatch(MplPath(vertices, codes), **style)


def label_places(ax, data, place_ids, ms: float = 3, fontsize: float = 6.5) -> None:
    """A dot and the display name of each listed place (those the dataset has)."""
    for place_id in place_ids:
        place = data.places.get(place_id)
        if place is not None:
            ax.plot(place.lon, place.lat, "o", ms=ms, color="#222222")
            ax.annotate(place.name, (place.lon, place.lat), xytext=(3, 2),
                        textcoords="offset points", fontsize=fontsize)


def frame_axes(ax, extent) -> None:
    """Clip to ``extent`` (lon_min, lon_max, lat_min, lat_max), true shapes, no ticks."""
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect(1 / 0.77)  # ~cos(39.9°): keeps shapes right at this latitude
    ax.set_xticks([])
    ax.set_yticks([])


def draw_stages(timeline: Timeline, dates=STAGE_DATES):
    """One panel per date; each control unit's patch has gid ``<unit>@<date>``."""
    data = timeline.dataset
    fig, axes = plt.subplots(1, len(dates), figsize=(5.2 * len(dates), 5.6), dpi=110)
    for ax, date in zip(axes, dates, strict=True):
        snap = timeline.state_at(date).snapshot
        for area in data.areas.values():
            if area.kind is AreaKind.COUNTRY:
                ax.add_patch(_patch(area.geometry, facecolor="#f2f2f2", edgecolor=GREY, lw=0.6))
        for area in data.areas.values():
            if area.kind is AreaKind.CONTROL_UNIT:
                side = snap.area_controller.get(area.id)
                patch = _patch(area.geometry, facecolor=SIDE_COLOURS.get(side, GREY),
                               edgecolor="white", lw=0.4, alpha=0.85)
                patch.set_gid(f"{area.id}@{date.isoformat()}")
                ax.add_patch(patch)
            elif area.kind in (AreaKind.PEACEKEEPING_ZONE, AreaKind.CORRIDOR_STRIP) and (
                    Presence.RUSSIAN_PEACEKEEPERS in snap.area_presence.get(area.id, ())):
                ax.add_patch(_patch(area.geometry, facecolor="none", edgecolor=PURPLE, lw=1.6,
                                    ls="--"))
            elif area.kind is AreaKind.FORMER_OBLAST:
                ax.add_patch(_patch(area.geometry, facecolor="none", edgecolor="#333333",
                                    lw=1.1, ls=":"))
        label_places(ax, data, LABELLED)
        km2 = snap.control_km2
        ax.set_title(f"{date:%d %b %Y}\nArmenian side {km2['armenian']:,.0f} km² · "
                     f"Azerbaijan {km2['azerbaijani']:,.0f} km²", fontsize=9)
        frame_axes(ax, EXTENT)
    fig.suptitle("Control units coloured by the timeline engine: orange = Armenian side, "
                 "blue = Azerbaijan, dashed purple = Russian peacekeepers", fontsize=9)
    fig.text(0.01, 0.01, "Geometry: Natural Earth 1:10m (public domain) and authored lines "
             f"(geodata/README.md). Data version {data.version}.", fontsize=6.5)
    fig.tight_layout(rect=(0, 0.03, 1, 0.95))
    return fig


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "docs/control-stages.png")
    fig = draw_stages(Timeline(load_dataset(default_data_dir())))
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, metadata={"Software": None})
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
