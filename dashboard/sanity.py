"""Named invariants the real dataset must keep, checked by tests and by ``validate``.

Each range is wide enough for honest generalisation error and narrow enough to catch a
broken build or a mis-assigned control unit. Change one only with a note on why.
"""

from __future__ import annotations

import datetime as dt

from dashboard.engine import Timeline
from dashboard.load import Problem
from dashboard.model import Controller

# Natural Earth 1:10m v4.1.0 measures 4,282 km²; commonly cited ≈4,400 (DATA.md). 2026-11.
NKAO_KM2 = (4_100, 4_500)
# Natural Earth's 1994 line gives 11,926 km²; commonly cited 11,400–11,900. 2026-11.
PREWAR_HELD_KM2 = (11_000, 12_500)
# After the 1 Dec 2020 handover: commonly ≈3,000–3,200 km² (Lachin corridor aside). 2026-11.
POST_HANDOVER_ARMENIAN_KM2 = (2_800, 3_700)
POST_HANDOVER_DATE = dt.date(2020, 12, 2)
# From October 2023 the Armenian side holds nothing (after the 19–20 Sep 2023 offensive).
NO_ARMENIAN_HELD_FROM = dt.date(2023, 10, 1)
PREWAR_DATE = dt.date(2020, 9, 26)


def _in_range(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def check_sanity(timeline: Timeline) -> list[Problem]:
    """Problems with the dataset's figures; checks only what the dataset defines."""
    problems: list[Problem] = []
    km2 = timeline.area_km2

    def fail(record: str, field: str, message: str) -> None:
        problems.append(Problem("geodata", record, field, message))

    for area_id, bounds in (("nkao", NKAO_KM2), ("prewar-held", PREWAR_HELD_KM2)):
        if area_id in km2 and not _in_range(km2[area_id], bounds):
            fail(area_id, "geometry", f"{km2[area_id]:,.0f} km² is outside {bounds}")
    if not timeline.control_units or "prewar-held" not in km2:
        return problems  # a partial dataset: only the checks above apply
    for date, bounds in (
        (PREWAR_DATE, PREWAR_HELD_KM2),
        (POST_HANDOVER_DATE, POST_HANDOVER_ARMENIAN_KM2),
        (NO_ARMENIAN_HELD_FROM, (0, 0)),
    ):
        held = timeline.state_at(date).snapshot.control_km2[Controller.ARMENIAN]
        if not _in_range(held, bounds):
            fail("control-units", "controller",
                 f"Armenian-held area on {date} is {held:,.0f} km², expected {bounds}")
    unassigned = [u for u in timeline.control_units
                  if timeline.state_at(PREWAR_DATE).snapshot.area_controller.get(u) is None]
    for unit in unassigned:
        fail(unit, "controller", f"no event sets this control unit's controller by {PREWAR_DATE}")
    return problems
