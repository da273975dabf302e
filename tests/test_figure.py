"""The docs picture is drawn from the engine: each unit's colour follows the timeline."""

from __future__ import annotations

from matplotlib.colors import to_hex

from dashboard.views import figure
from dashboard.views.mapview import BLUE, ORANGE


def _colours(fig) -> dict[str, str]:
    return {patch.get_gid(): to_hex(patch.get_facecolor()).upper()
            for ax in fig.axes for patch in ax.patches if patch.get_gid()}


def test_units_are_coloured_by_the_controller_on_each_date(timeline):
    colours = _colours(figure.draw_stages(timeline))
    assert colours["cu-shusha@2020-09-26"] == ORANGE
    assert colours["cu-shusha@2020-12-02"] == BLUE
    assert colours["cu-artsakh@2020-12-02"] == ORANGE
    assert colours["cu-artsakh@2023-10-15"] == BLUE


def test_main_writes_a_png(tmp_path):
    out = tmp_path / "stages.png"
    assert figure.main([str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 50_000
