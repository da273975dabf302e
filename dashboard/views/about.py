"""The About / methodology panel: what the layers mean, sources, licences, corrections."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import streamlit as st

from dashboard.engine import Timeline
from dashboard.views.text import md_text

METHOD = """
**What the map shows.** The contested area (the former Nagorno-Karabakh Autonomous Oblast
and the area the Armenian side held from 1994 to 2020) is split into fixed *control units*,
pieces that changed hands together. Every date's map is a colouring of the same pieces,
so the km² per side are exact sums and every coloured piece traces to the events that
changed it. Who holds a unit, whether peacekeepers are present and each route's status
are *derived from the events*: nothing is typed in per date.

**Colours** come from the Okabe–Ito palette (readable with common colour-vision
deficiencies): orange for the Armenian side (the de facto authorities of
Nagorno-Karabakh, or Artsakh, and Armenian forces), blue for Azerbaijan, hatching for a
claim the other side denied, purple dashes for the Russian peacekeepers' zone while
deployed, yellow outlines for what changed at the latest change date.

**The front at settlement resolution is a model.** Each unit is cut into cells around the
settlements that claims name: a cell is the land closer to its settlement than to any
other, at most 5 km from it; a cell changes hands by the rule in events/README.md ("From
claims to control"), the rest of a unit only with the unit. Areas inside Armenia are
schematic: where and how large officials said, not their outline. What the front can tell:
which settlements each side announced, denied or acknowledged, and when. What it cannot:
where the lines ran between villages, or any day on which no settlement was named (during
the 2020 war the modelled front moves on {moved} of the {days} days; on the others the statements
named heights and directions only, and the map does not interpolate).

**Dates.** Where sources disagree, an event keeps every alternative date with its sources
and says which date the map uses and why. Month-precision events are placed on the
first of the month.

**Names.** Places carry their Armenian-usage and Azerbaijani-usage names
(Stepanakert/Khankendi, Shushi/Shusha, Berdzor/Lachin …); choose which the labels use
in the sidebar. Claims are attributed to whoever made them.

**Accuracy.** Base geometry is Natural Earth 1:10m (v4.1.0), good to about 1–2 km for
internal boundaries. Lines that no public dataset has (the 10 November 2020 line, the
corridor strips, the small units of Dec 2020 and Mar 2022) were drawn through cited
settlement coordinates; each feature's accuracy note (shown when you click it) says how
it was made and how far off it may be. Use the map at zoom 7–10, not for navigation.

**The date.** The map follows the slider at once, also while you drag it, and shows its
date in its lower-left corner. The heading, the figures and the details panel follow
when the server has answered, usually a fraction of a second later.

**Works offline.** Leaflet and the geometry are served by the app itself; the web
basemap is an optional extra layer.

**Licences.** Base geometry: Natural Earth, public domain ("Made with Natural Earth").
Coordinates checked against GeoNames (CC BY 4.0, geonames.org). Event summaries are the
project's own words; each links to its sources, whose texts belong to their publishers.

**Corrections.** Every event and geometry lives in a plain text file under `events/` or
`geodata/` (see their READMEs). To report a mistake, open an issue naming the event or
place id, what is wrong and a source; or send a pull request editing the YAML, then run
`python -m dashboard validate`.
"""

#: The 2020 war, from the first day's fighting to the 10 November statement.
WAR = (dt.date(2020, 9, 27), dt.date(2020, 11, 10))


def method_text(timeline: Timeline) -> str:
    """The methodology, with the counts that come from the data."""
    start, end = WAR
    return METHOD.format(moved=len(timeline.front_moves(start, end)),
                         days=(end - start).days + 1)


def render(timeline: Timeline) -> None:
    data = timeline.dataset
    with st.expander("About this map: methodology, sources, licences, corrections"):
        st.markdown(method_text(timeline))
        publishers = Counter(s.publisher for s in data.sources.values())
        top = ", ".join(f"{md_text(p)} ({n})" for p, n in publishers.most_common(12))
        st.markdown(f"**Dataset** `{data.version}`: {md_text(data.counts())}. "
                    f"Most cited publishers: {top}.")
