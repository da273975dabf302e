"""The Streamlit page's wiring through AppTest (no browser): widgets → state → derived text."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.config import REPO_ROOT
from dashboard.views.mapview import DRAWN_VALUE
from dashboard.views.moments import KEY_MOMENTS

APP = str(REPO_ROOT / "dashboard" / "app.py")
TIMEOUT = 60


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [e.value for e in at.error]
    return "\n".join(str(p) for p in parts)


def _metric(at: AppTest, label: str) -> str:
    """The km² the compact header gives after ``label`` (``Held by … **N km²**``)."""
    import re
    text = next(m.value for m in at.markdown if label in m.value)
    return re.search(re.escape(label) + r" \*\*([\d,]+ km²)\*\*", text).group(1)


def _new_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def _map_message(at: AppTest) -> dict:
    """The view the page sent to its map (st_folium's feature group script ends with it)."""
    import json
    import re
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    return json.loads(re.search(r"\}\)\((\{.*\})\);", args["feature_group"]).group(1))


@pytest.fixture
def app(monkeypatch):
    """The page as a browser gets it once its map has drawn: the map's report is in the
    session (in a browser the map sends it; here nothing would)."""
    monkeypatch.delenv("KARABAKH_DATA_DIR", raising=False)
    at = _new_app()
    at.session_state["map"] = dict(DRAWN_VALUE)
    return at


def test_first_run_sends_the_map_first_then_the_rest(monkeypatch, dataset):
    """A new session's first run: title, header and map (asked to report its draw); the
    slider, buttons, options and place box come on the run the map's report starts."""
    monkeypatch.delenv("KARABAKH_DATA_DIR", raising=False)
    at = _new_app()
    at.query_params["date"] = "2020-10-10"
    at.run()
    assert not at.exception
    assert "10 October 2020" in _texts(at)
    assert not at.slider and not at.button and not at.selectbox and not at.radio
    assert "Data version" in _texts(at)  # the sidebar is there from the start
    caption = next(c.value for c in at.sidebar.caption if "Data version" in c.value)
    assert caption.count(dataset.version) == 1  # named once
    message = _map_message(at)
    assert message["report_drawn"] is True and message["date"] == "2020-10-10"
    at.session_state["map"] = dict(DRAWN_VALUE)  # what the map sends back
    at.run()
    assert at.slider(key="date").value == dt.date(2020, 10, 10)
    assert at.selectbox(key="finder") and any("Next change" in b.label for b in at.button)
    assert at.radio(key="naming").value == "both"
    assert "report_drawn" not in _map_message(at)


def test_the_page_completes_even_if_the_map_never_reports(monkeypatch):
    monkeypatch.delenv("KARABAKH_DATA_DIR", raising=False)
    at = _new_app()
    at.run()
    assert not at.slider
    at.session_state["complete_by"] = 0.0  # the fallback's time has come
    at.run()
    assert at.slider(key="date") and at.selectbox(key="finder")


def test_default_view_opens_on_the_ceasefire(app):
    app.run()
    assert not app.exception
    assert app.slider(key="date").value == dt.date(2020, 11, 10)
    assert "10 November 2020" in _texts(app)


def test_slider_changes_date_and_metrics(app):
    app.run()
    before = _metric(app, "Held by the Armenian side")
    app.slider(key="date").set_value(dt.date(2023, 10, 15)).run()
    assert "15 October 2023" in _texts(app)
    assert _metric(app, "Held by the Armenian side") == "0 km²"
    assert before != "0 km²"
    assert app.query_params["date"] == ["2023-10-15"] or app.query_params["date"] == "2023-10-15"


def test_next_and_previous_change_buttons(app):
    app.run()
    start = app.slider(key="date").value
    next_button = next(b for b in app.button if "Next change" in b.label)
    next_button.click().run()
    after_next = app.slider(key="date").value
    assert after_next > start
    prev_button = next(b for b in app.button if "Previous change" in b.label)
    prev_button.click().run()
    assert app.slider(key="date").value < after_next


def test_jump_to_a_key_moment(app):
    app.run()
    label = next(label for label, _ in KEY_MOMENTS if label.startswith("Blockade"))
    app.selectbox(key="moment").select(label).run()
    assert app.slider(key="date").value == dt.date(2022, 12, 12)


def test_simulated_map_click_opens_the_place(app):
    app.run()
    app.session_state["map"] = {"last_object_clicked": {"lat": 39.76, "lng": 46.75},
                                "last_object_clicked_tooltip": "Shushi / Shusha[[place:shusha]]"}
    app.run()
    text = _texts(app)
    assert "Shusha" in text and "Azerbaijani usage" in text
    assert "held by Azerbaijan" in text  # on 10 Nov 2020
    assert app.query_params["place"] in ("shusha", ["shusha"])


def test_event_date_button_moves_the_slider(app):
    app.query_params["place"] = "shusha"
    app.run()
    button = next(b for b in app.button if b.key == "goto-2020-11-08-shusha-taken")
    button.click().run()
    assert app.slider(key="date").value == dt.date(2020, 11, 8)


@pytest.mark.parametrize(("param", "value"), [
    ("date", "2020-13-45"), ("date", "<img src=x onerror=alert(1)>"), ("place", "atlantis"),
    ("names", "klingon"), ("layers", "lasers"), ("basemap", "maybe"), ("utm_source", "x"),
])
def test_bad_query_parameters_fall_back_with_a_notice(app, param, value):
    app.query_params[param] = value
    app.run()
    assert not app.exception
    assert app.warning, "expected a visible notice"
    assert app.slider(key="date").value == dt.date(2020, 11, 10) or param != "date"


def test_a_shared_link_reopens_the_view(app):
    app.query_params.update({"date": "2022-12-20", "place": "route:lachin-corridor",
                             "names": "az"})
    app.run()
    assert not app.warning
    assert app.slider(key="date").value == dt.date(2022, 12, 20)
    assert app.radio(key="naming").value == "az"
    assert "Status: **blockaded**" in _texts(app) or "blockaded" in _texts(app)


def test_broken_dataset_shows_an_error_page_without_traceback(app, data_copy, monkeypatch):
    (data_copy / "events/timeline/2020.yaml").write_text("- id: [broken\n", encoding="utf-8")
    monkeypatch.setenv("KARABAKH_DATA_DIR", str(data_copy))
    app.run()
    assert not app.exception
    assert "could not be loaded" in app.title[0].value
    assert "events/timeline/2020.yaml:-:-: malformed YAML" in app.code[0].value


@pytest.mark.parametrize("case", ["malformed YAML", "missing field", "swapped lat/lon",
                                  "unknown place id", "self-intersecting polygon",
                                  "non-UTF-8 bytes", "empty file", "end before start"])
def test_each_kind_of_bad_data_gets_the_same_message_in_the_app(app, data_copy, monkeypatch,
                                                                case):
    from dashboard.load import DataError, load_dataset
    from tests.test_load import CASES, _digest
    CASES[case][0](data_copy)
    with pytest.raises(DataError) as caught:
        load_dataset(data_copy)
    before = _digest(data_copy)
    monkeypatch.setenv("KARABAKH_DATA_DIR", str(data_copy))
    app.run()
    assert not app.exception
    shown = app.code[0].value
    assert all(str(problem) in shown for problem in caught.value.problems)
    assert _digest(data_copy) == before


def test_an_edited_data_file_shows_on_the_next_run_without_restart(app, data_copy,
                                                                   monkeypatch):
    monkeypatch.setenv("KARABAKH_DATA_DIR", str(data_copy))
    app.query_params["date"] = "2020-11-09"
    app.run()
    assert _metric(app, "Held by Azerbaijan") != _metric(app, "Held by the Armenian side")
    held_before = _metric(app, "Held by the Armenian side")
    path = data_copy / "events/claims/inner.yaml"
    text = path.read_text(encoding="utf-8")
    # Move the claim on Shusha after the shown date: the Armenian side holds more.
    edited = text.replace("- id: 2020-11-08-shusha\n  date: 2020-11-08",
                          "- id: 2020-11-08-shusha\n  date: 2020-11-10")
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    app.run()
    assert not app.exception
    assert _metric(app, "Held by the Armenian side") != held_before


def test_charts_tab_draws_every_chart_with_the_shown_date(app):
    app.query_params["date"] = "2022-12-20"
    app.run()
    app.session_state["tab"] = "Charts"
    app.run()
    assert not app.exception
    charts = app.get("vega_lite_chart")
    assert len(charts) == 3  # km² per side, km² inside Armenia, events per month
    assert all("2022-12-20" in str(chart.proto) for chart in charts)


def test_every_presence_has_words_in_the_panel():
    from dashboard.model import Presence
    from dashboard.views.page import PRESENCE_WORDS
    assert set(PRESENCE_WORDS) == {p.value for p in Presence}


def test_play_steps_through_change_dates_and_pause_stops(app):
    app.query_params["date"] = "2020-11-10"
    app.run()
    play = next(b for b in app.button if "Play" in b.label)
    play.click().run()
    assert app.session_state["playing"] is True
    assert any("Pause" in b.label for b in app.button)
    app.session_state["played_at"] = 0.0  # as if the play interval had passed
    app.run()
    assert app.slider(key="date").value == dt.date(2020, 11, 20)  # the next change date
    next(b for b in app.button if "Pause" in b.label).click().run()
    assert app.session_state["playing"] is False


def test_text_version_and_comparison_follow_the_slider(app):
    app.query_params["date"] = "2023-10-01"
    app.run()
    app.session_state["tab"] = "Text version"
    app.run()
    assert not app.exception
    assert any("1 October 2023" in m.value for m in app.markdown)
    assert app.table and "Status on this date" in str(app.table[0].value.columns.tolist())
    app.session_state["compare_date"] = dt.date(2023, 9, 18)
    app.run()
    assert not app.exception
    assert any("changed hands" in m.value and "From 18 Sep 2023" in m.value
               for m in app.markdown)


def test_events_table_filters_by_text(app, timeline):
    app.query_params["date"] = "2020-09-01"
    app.run()
    app.session_state["tab"] = "Events table"
    app.run()
    assert not app.exception
    def counts():  # "<shown> of the <total> events ... (the <n> earlier background ...)"
        text = next(c.value for c in app.caption if "Select a row" in c.value)
        words = text.split()
        return int(words[0]), int(words[3]), int(text.split("(the ")[1].split()[0])

    shown, total, background = counts()
    assert shown == total and total + background == len(timeline.events)
    app.session_state["ev_query"] = "Shusha"
    app.run()
    assert 0 < counts()[0] < total


def test_details_show_the_cards_nearest_the_date_then_all_on_request(app):
    from dashboard.views.page import CARD_WINDOW
    app.query_params["place"] = "stepanakert"
    app.query_params["date"] = "2023-09-20"
    app.run()

    def card_dates():
        return [b.label for b in app.button if (b.key or "").startswith("goto-")]

    first = card_dates()
    assert len(first) == CARD_WINDOW
    assert "20 Sep 2023" in first or "19 Sep 2023" in first  # the offensive, not 1988
    show_all = next(b for b in app.button if b.key == "details-all")
    total = int(show_all.label.split()[-1])
    show_all.click().run()
    assert len(card_dates()) == total > CARD_WINDOW
    assert not any(b.key == "details-all" for b in app.button)


WARM_CHECK = """
import sys
from dashboard.views import page
page.warm()
import streamlit.delta_generator as dg
print(sorted(m for m in ("pandas", "folium.plugins", "streamlit.components.v1",
                         "streamlit.emojis") if m in sys.modules))
print(dg._use_warning_has_been_displayed)
import gc
print(gc.get_freeze_count(), len(gc.get_objects()))
"""


def test_the_warm_up_does_what_a_first_page_run_would_do_first(tmp_path):
    """``dashboard.serve`` runs ``page.warm`` while a first visitor's browser loads: it
    leaves the dataset in the disk cache, the page's slow imports done and Streamlit's
    once-per-process look at the call stack made (so the first run does none of it), and
    what it loaded out of the garbage collector's walks (Streamlit collects after every
    page run: those collections must not walk the dataset and the libraries each time)."""
    done = subprocess.run([sys.executable, "-c", WARM_CHECK], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "KARABAKH_CACHE_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    modules, looked, heap = done.stdout.splitlines()[-3:]
    frozen, walked = map(int, heap.split())
    assert frozen > 10 * walked  # a collection walks under a tenth of what lives
    assert modules == str(["folium.plugins", "pandas", "streamlit.components.v1",
                           "streamlit.emojis"])
    assert looked == "True"
    assert any(tmp_path.rglob("*")), "the prepared dataset is in the disk cache"
