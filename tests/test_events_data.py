"""The shipped events: enough, sourced, neutral in form, and covering the seed article."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from dashboard.model import TIMELINE_END, TIMELINE_START, Confidence, ControlChange, PlaceKind

SEED = "seed-2024-06-12-peacekeepers-exit"
# Each claim of the seed article (../shared/seed) and the event that puts it on the map.
SEED_CLAIMS = {
    "the first war ended with an agreement in 1994": "1994-05-12-ceasefire",
    "2020: the Second Karabakh / 44-day war; ~75 % retaken; Turkey's support; Shusha":
        "2020-11-10-war-outcome-seed",
    "fighting stopped with a Russia-mediated agreement": "2020-11-10-trilateral-ceasefire",
    "a corridor linking Nagorno-Karabakh with Armenia": "2020-11-10-lachin-corridor-established",
    "Azerbaijan may connect its territory with Nakhchivan": "2020-11-10-transport-links-nakhchivan",
    "the peacekeeping mission began in autumn 2020": "2020-11-10-peacekeepers-arrive",
    "the Azerbaijani offensive (dated 1 Jan 2024 in the article)":
        "2023-09-19-azerbaijani-offensive-begins",
    "the dissolution of the state structures":
        "2024-01-01-nagorno-karabakh-republic-dissolution-effective",
    "mid-April 2024: the Kremlin announced the withdrawal":
        "2024-04-17-kremlin-confirms-peacekeeper-withdrawal",
    "12 June 2024: the last soldiers left, as Azerbaijan's MoD announced":
        "2024-06-12-last-russian-peacekeepers-leave",
}
HTML = re.compile(r"<[a-zA-Z/!]|&[a-z]+;|&#")


def test_at_least_120_events(dataset):
    assert len(dataset.events) >= 120


def test_every_event_has_a_source_with_a_web_address(dataset):
    for event in dataset.events:
        urls = [str(dataset.sources[s].url) for s in event.sources]
        assert urls and all(u.startswith(("http://", "https://")) for u in urls), event.id


def test_control_changes_have_two_sources_or_say_why_not(dataset):
    for event in dataset.events:
        if any(isinstance(c, ControlChange) for c in event.changes) and not event.background:
            assert len(set(event.sources)) >= 2 or (
                event.confidence is Confidence.LOW and event.confidence_note), event.id


def test_dates_inside_the_timeline_unless_background(dataset):
    for event in dataset.events:
        if event.background:
            assert event.date < TIMELINE_START, event.id
        else:
            assert TIMELINE_START <= event.date <= TIMELINE_END, event.id


def test_events_sorted_within_each_file():
    import yaml

    from dashboard.config import REPO_ROOT
    for path in sorted((REPO_ROOT / "events" / "timeline").glob("*.yaml")):
        dates = [str(r["date"]) for r in yaml.safe_load(path.read_text(encoding="utf-8"))]
        assert dates == sorted(dates), path.name


def test_no_duplicate_events(dataset):
    keys = Counter((e.date, re.sub(r"\W+", " ", e.title.casefold()).strip())
                   for e in dataset.events)
    assert [k for k, n in keys.items() if n > 1] == []
    summaries = Counter(e.summary for e in dataset.events)
    assert [s[:60] for s, n in summaries.items() if n > 1] == []


def test_titles_and_summaries_carry_no_raw_html(dataset):
    for event in dataset.events:
        for text in (event.title, event.summary, event.date_note or "",
                     event.confidence_note or ""):
            assert not HTML.search(text), event.id


def test_alternative_dates_differ_from_the_date_used(dataset):
    for event in dataset.events:
        for alt in event.alternative_dates:
            assert alt.date != event.date, event.id


@pytest.mark.parametrize("claim", SEED_CLAIMS)
def test_every_seed_claim_is_an_event(dataset, claim):
    ids = {e.id for e in dataset.events}
    assert SEED_CLAIMS[claim] in ids


def test_seed_article_is_cited_and_its_conflated_date_explained(dataset):
    events = {e.id: e for e in dataset.events}
    citing = [e for e in dataset.events
              if SEED in e.sources or any(SEED in a.sources for a in e.alternative_dates)]
    assert len(citing) >= 4
    offensive = events["2023-09-20-ceasefire-artsakh-agrees-to-disarm"]
    assert any(a.date.isoformat() == "2024-01-01" for a in offensive.alternative_dates)


def test_towns_and_villages_of_the_contested_area_carry_both_names(timeline):
    for place in timeline.dataset.places.values():
        in_area = timeline.place_unit.get(place.id) is not None
        if in_area and place.kind in (PlaceKind.CITY, PlaceKind.TOWN, PlaceKind.VILLAGE):
            assert place.names.hy or place.names.az, place.id
        if place.names.hy and place.names.az and place.names.hy != place.names.az:
            hy, az = place.name.split(" / ")  # both usages, Armenian usage first
            assert hy and az, place.id


def test_every_place_coordinate_is_sourced_and_checked_or_says_single_source(dataset):
    for place in dataset.places.values():
        assert place.sources and place.accuracy, place.id
        if place.coord_check is None:
            assert re.search(r"single source|derived|approximate", place.accuracy, re.I), place.id
