"""A copy of the real dataset with hostile text in names, titles, summaries and sources."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from dashboard.config import REPO_ROOT

# Each would run script, load a remote resource or fake a link if rendered as markup.
HOSTILE = {
    "place_name": 'Shushi <img src=x onerror="parent.__xss=1;alert(1)"> / Shusha',
    "place_hy": "<script>parent.__xss=2</script>",
    "place_az": '"><svg onload="parent.__xss=3">',
    "area_name": "</script><script>parent.__xss=4</script>",
    "event_title": '<script>parent.__xss=5</script> Shusha taken <b>bold</b>',
    "event_summary": ("[click me](javascript:parent.__xss=6) ![pixel](https://evil.example/p.png)"
                      " <a href='javascript:alert(7)'>a link</a> **not bold** &amp; {{7*7}}"),
    "source_title": "<img src=x onerror=alert(8)>",
    "source_url": 'https://example.org/a"onmouseover="alert(9)',
}
EVENT_ID = "2020-11-08-shusha-taken"


def make_hostile_dataset(root: Path) -> Path:
    for folder in ("geodata", "events"):
        shutil.copytree(REPO_ROOT / folder, root / folder,
                        ignore=shutil.ignore_patterns("*.md", "authored", "MANIFEST.json"))
    places = root / "geodata" / "places.geojson"
    doc = json.loads(places.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        props = feature["properties"]
        if props["id"] == "shusha":
            props["name"] = HOSTILE["place_name"]
            props["names"].update(hy=HOSTILE["place_hy"], az=HOSTILE["place_az"])
    places.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    areas = root / "geodata" / "areas-control.geojson"
    doc = json.loads(areas.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        if feature["properties"]["id"] == "cu-shusha":
            feature["properties"]["name"] = HOSTILE["area_name"]
    areas.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    timeline = root / "events" / "timeline" / "2020.yaml"
    events = yaml.safe_load(timeline.read_text(encoding="utf-8"))
    event = next(e for e in events if e["id"] == EVENT_ID)
    event.update(title=HOSTILE["event_title"], summary=HOSTILE["event_summary"])
    timeline.write_text(yaml.safe_dump(events, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    source_id = event["sources"][0]
    for path in (root / "events" / "sources").glob("*.yaml"):
        sources = yaml.safe_load(path.read_text(encoding="utf-8"))
        for source in sources:
            if source["id"] == source_id:
                source.update(title=HOSTILE["source_title"], url=HOSTILE["source_url"])
                path.write_text(yaml.safe_dump(sources, allow_unicode=True, sort_keys=False),
                                encoding="utf-8")
    return root
