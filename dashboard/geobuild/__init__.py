"""Build the committed area and route layers from Natural Earth and the authored YAML files.

Run ``python -m dashboard.geobuild build``. The raw source is Natural Earth 1:10m v4.1.0
as shipped in Debian's ``qgis-common`` package; everything drawn by the project lives in
``geodata/authored/*.yaml`` with a cited source for every vertex.
"""

from __future__ import annotations

#: Checksum of usr/share/qgis/resources/data/world_map.gpkg in qgis-common 3.22.16+dfsg-1.
GPKG_SHA256 = "ff5cceefc4b27abea094fa82459d8aef9417023236c326a666978b62ffe85db2"
GPKG_MEMBER = "./usr/share/qgis/resources/data/world_map.gpkg"
DEBIAN_PACKAGE = "qgis-common"

#: Equal-area projection used for every area check and every metric buffer.
LAEA = "+proj=laea +lat_0=39.8 +lon_0=46.5 +datum=WGS84 +units=m +no_defs"

# Sanity ranges (km², LAEA above). Last changed 2026-11-25 with the first build: NE 1:10m
# v4.1.0 gives NKAO 4,282 and prewar-held 11,926 (shared/notes/DATA.md); the Armenian-held
# area after 1 Dec 2020 is commonly given as ~3,000-3,200 km².
NKAO_KM2 = (4_100, 4_500)
PREWAR_HELD_KM2 = (11_000, 12_500)
POST_2020_HELD_KM2 = (2_800, 3_700)
#: Units that together are the area the Armenian side held after 1 Dec 2020.
POST_2020_HELD_UNITS = ("cu-artsakh", "cu-corridor-2020", "cu-hin-tagher", "cu-parukh")
