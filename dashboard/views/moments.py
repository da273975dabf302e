"""The "jump to" list: key moments, each pinned to an event in the data (never a typed date)."""

from __future__ import annotations

import datetime as dt

from dashboard.load import Dataset

#: (label, event id). A test checks every id exists in the shipped dataset; a custom
#: dataset that lacks one simply shows fewer moments.
KEY_MOMENTS: tuple[tuple[str, str], ...] = (
    ("War begins (27 Sep 2020)", "2020-09-27-war-begins"),
    ("Jabrayil taken", "2020-10-04-jabrayil-taken"),
    ("Hadrut taken", "2020-10-15-hadrut-taken"),
    ("Shusha/Shushi taken", "2020-11-08-shusha-taken"),
    ("Ceasefire statement (10 Nov 2020)", "2020-11-10-trilateral-ceasefire"),
    ("Aghdam handed over", "2020-11-20-aghdam-handover"),
    ("Kalbajar handed over", "2020-11-25-kalbajar-handover"),
    ("Lachin district handed over", "2020-12-01-lachin-handover"),
    ("Hin Tagher and Khtsaberd", "2020-12-12-hin-tagher-khtsaberd-taken"),
    ("Parukh/Farukh", "2022-03-24-parukh-karaglukh"),
    ("Lachin town handed over", "2022-08-26-azerbaijani-army-enters-lachin"),
    ("New Lachin road in use", "2022-08-30-traffic-moves-to-new-route"),
    ("Blockade begins", "2022-12-12-lachin-corridor-blockade-begins"),
    ("Hakari bridge checkpoint", "2023-04-23-hakari-bridge-checkpoint"),
    ("Corridor closed", "2023-06-15-hakari-bridge-incident-corridor-closed"),
    ("September 2023 offensive", "2023-09-19-azerbaijani-offensive-begins"),
    ("Exodus begins", "2023-09-24-exodus-begins-corridor-under-azerbaijani-control"),
    ("Dissolution decree", "2023-09-28-dissolution-decree-signed"),
    ("Dissolution takes effect (1 Jan 2024)",
     "2024-01-01-nagorno-karabakh-republic-dissolution-effective"),
    ("Peacekeepers' withdrawal announced", "2024-04-17-kremlin-confirms-peacekeeper-withdrawal"),
    ("Last peacekeepers leave (12 Jun 2024)", "2024-06-12-last-russian-peacekeepers-leave"),
)


def key_moments(dataset: Dataset) -> list[tuple[str, dt.date]]:
    """The key moments the dataset has, in date order."""
    dates = {e.id: e.date for e in dataset.events}
    found = [(label, dates[event_id]) for label, event_id in KEY_MOMENTS if event_id in dates]
    return sorted(found, key=lambda item: item[1])
