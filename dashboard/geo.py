"""Geometry helpers: equal-area measurement for the project's region."""

from __future__ import annotations

from functools import cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

#: Lambert azimuthal equal-area centred on the conflict area (DATA.md's sanity figures
#: were measured in this projection; EPSG:6933 agrees within 1 km²).
EQUAL_AREA_CRS = "+proj=laea +lat_0=39.8 +lon_0=46.5 +datum=WGS84 +units=m +no_defs"


@cache
def _to_equal_area() -> Transformer:
    return Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True)


def to_equal_area(geom: BaseGeometry) -> BaseGeometry:
    """Project a lon/lat geometry into the equal-area CRS (metres)."""
    transformer = _to_equal_area()
    return shapely.transform(
        geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def area_km2(geom: BaseGeometry) -> float:
    """Area of a lon/lat geometry in km², measured in the equal-area projection."""
    return to_equal_area(geom).area / 1e6
