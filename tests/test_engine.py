"""The timeline engine on the real dataset: table-driven dates, then properties at any date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.model import TIMELINE_END, TIMELINE_START, Presence
from dashboard.sanity import check_sanity

D = dt.date.fromisoformat

# (date, control unit, expected controller): each row is a claim about a sourced event.
# During the war a unit follows its cells (settlement claims); by the 10 Nov 2020 statement
# every unit south of its line is Azerbaijani-held.
UNIT_CONTROL = [
    ("2020-09-26", "cu-jabrayil", "armenian"),
    ("2020-10-03", "cu-jabrayil", "armenian"),
    ("2020-11-10", "cu-jabrayil", "azerbaijani"),
    ("2020-10-08", "cu-hadrut", "armenian"),
    ("2020-11-10", "cu-hadrut", "azerbaijani"),
    ("2020-09-26", "cu-fuzuli", "armenian"),
    ("2020-11-10", "cu-fuzuli", "azerbaijani"),
    ("2020-11-10", "cu-zangilan", "azerbaijani"),
    ("2020-11-10", "cu-kubatly", "azerbaijani"),
    ("2020-11-07", "cu-shusha", "armenian"),
    ("2020-11-10", "cu-shusha", "azerbaijani"),
    ("2020-11-19", "cu-aghdam", "armenian"),
    ("2020-11-20", "cu-aghdam", "azerbaijani"),
    ("2020-11-24", "cu-kalbajar", "armenian"),
    ("2020-11-25", "cu-kalbajar", "azerbaijani"),
    ("2020-11-30", "cu-lachin", "armenian"),
    ("2020-12-01", "cu-lachin", "azerbaijani"),
    ("2020-12-01", "cu-hin-tagher", "armenian"),
    ("2020-12-31", "cu-hin-tagher", "azerbaijani"),
    ("2022-03-01", "cu-parukh", "armenian"),
    ("2022-04-01", "cu-parukh", "azerbaijani"),
    ("2022-08-01", "cu-corridor-2020", "armenian"),
    ("2022-09-01", "cu-corridor-2020", "azerbaijani"),
    ("2023-09-18", "cu-artsakh", "armenian"),
    ("2023-10-01", "cu-artsakh", "azerbaijani"),
    ("2024-12-31", "cu-nkao-az-1994", "azerbaijani"),
]

# (date, place, expected controller of the cell drawn around it)
PLACE_CONTROL = [
    ("2020-11-07", "shusha", "armenian"),
    ("2020-11-08", "shusha", "armenian"),  # claimed on 8 Nov, denied; acknowledged 9 Nov
    ("2020-11-09", "shusha", "azerbaijani"),
    ("2020-11-08", "stepanakert", "armenian"),
    ("2023-09-18", "stepanakert", "armenian"),
    ("2023-09-18", "martakert", "armenian"),
    ("2023-10-01", "stepanakert", "azerbaijani"),
    ("2023-10-01", "martakert", "azerbaijani"),
    ("2020-10-03", "jabrayil", "armenian"),
    ("2020-11-10", "jabrayil", "azerbaijani"),
    ("2022-08-01", "lachin", "armenian"),
]

# (date, place, peacekeepers present?)
PEACEKEEPERS = [
    ("2020-11-09", "stepanakert", False),
    ("2020-11-10", "stepanakert", True),
    ("2023-10-15", "stepanakert", True),
    ("2024-06-11", "stepanakert", True),
    ("2024-06-12", "stepanakert", False),
    ("2022-08-01", "lachin", True),
    ("2022-09-15", "lachin", False),
]

# (date, status, concurrent statuses): the blockade never reads as eased by the checkpoint.
CORRIDOR = [
    ("2020-11-09", None, ()),
    ("2020-11-10", "open", ()),
    ("2022-09-15", "rerouted", ()),
    ("2022-12-12", "blockaded", ()),
    ("2023-04-23", "blockaded", ("checkpoint",)),
    ("2023-05-01", "blockaded", ("checkpoint",)),  # the protesters left; the blockade did not
    ("2023-06-20", "closed", ("checkpoint",)),
    ("2023-10-15", "azerbaijani_control", ()),
    ("2024-12-31", "azerbaijani_control", ()),
]


@pytest.mark.parametrize(("date", "unit", "expected"), UNIT_CONTROL)
def test_unit_controller(timeline, date, unit, expected):
    assert timeline.state_at(D(date)).snapshot.area_controller[unit] == expected


@pytest.mark.parametrize(("date", "place", "expected"), PLACE_CONTROL)
def test_place_controller(timeline, date, place, expected):
    assert timeline.state_at(D(date)).snapshot.place_controller[place] == expected


@pytest.mark.parametrize(("date", "place", "present"), PEACEKEEPERS)
def test_peacekeepers_presence(timeline, date, place, present):
    presence = timeline.state_at(D(date)).snapshot.place_presence[place]
    assert (Presence.RUSSIAN_PEACEKEEPERS in presence) is present


@pytest.mark.parametrize(("date", "status", "also"), CORRIDOR)
def test_lachin_corridor_status(timeline, date, status, also):
    snap = timeline.state_at(D(date)).snapshot
    assert snap.route_status["lachin-corridor"] == status
    assert tuple(a.value for a in snap.route_also["lachin-corridor"]) == also


def test_corridor_reads_blockaded_from_the_blockade_until_it_closed(timeline):
    for snap in timeline.snapshots:
        if D("2022-12-12") <= snap.date < D("2023-06-15"):
            assert snap.route_status["lachin-corridor"].value == "blockaded", snap.date
    seen = []
    for snap in timeline.snapshots:
        status = snap.route_status.get("lachin-corridor")
        if status is not None and (not seen or seen[-1] != status):
            seen.append(status.value)
    order = ["open", "rerouted", "blockaded", "closed", "azerbaijani_control"]
    assert [s for s in seen if s in order] == order


def test_sanity_figures_hold(timeline):
    assert check_sanity(timeline) == []


def test_nothing_held_by_the_armenian_side_from_october_2023(timeline):
    for date in (D("2023-10-01"), D("2024-01-01"), TIMELINE_END):
        assert timeline.state_at(date).snapshot.control_km2["armenian"] == 0


def test_changed_names_what_the_change_date_changed(timeline):
    snap = timeline.state_at(D("2020-11-08")).snapshot
    assert snap.date == D("2020-11-08")
    assert "area:cu-shusha" in snap.changed and "place:shusha" in snap.changed
    assert "area:cu-artsakh" not in snap.changed


def test_lookup_needs_no_geometry_work(timeline, monkeypatch):
    import dashboard.geo

    def boom(*_):
        raise AssertionError("state_at must not measure geometry")
    monkeypatch.setattr(dashboard.geo, "area_km2", boom)
    assert timeline.state_at(D("2022-12-20")).snapshot.control_km2["armenian"] > 0


dates = st.dates(min_value=TIMELINE_START, max_value=TIMELINE_END)


@settings(max_examples=200, deadline=None)
@given(date=dates)
def test_sides_add_up_to_the_contested_area(timeline, date):
    km2 = timeline.state_at(date).snapshot.control_km2
    assert km2["armenian"] + km2["azerbaijani"] == pytest.approx(timeline.contested_km2)


@settings(max_examples=200, deadline=None)
@given(a=dates, b=dates)
def test_state_changes_only_on_change_dates(timeline, a, b):
    a, b = sorted((a, b))
    between = [d for d in timeline.change_dates if a < d <= b]
    same = timeline.state_at(a).snapshot is timeline.state_at(b).snapshot
    assert same == (not between)


@settings(max_examples=100, deadline=None)
@given(a=dates, b=dates)
def test_events_accumulate(timeline, a, b):
    a, b = sorted((a, b))
    assert timeline.state_at(a).events_so_far <= timeline.state_at(b).events_so_far
    assert all(e.date <= a for e in timeline.events_until(a))
