"""Serve the dashboard: ``python -m dashboard.serve [streamlit run options]``.

Starts Streamlit on ``dashboard/app.py`` and, in the meantime, imports the page's modules
and prepares the dataset in a background thread. A first visitor's browser spends about a
second loading Streamlit's front end; the server uses that second, so the first page run
finds the imports done and the dataset cached instead of doing both while the visitor
waits. ``make run``, the tests and the benchmarks all start the app this way.
"""

from __future__ import annotations

import logging
import sys
import threading

from dashboard.config import REPO_ROOT

APP = REPO_ROOT / "dashboard" / "app.py"


def _warm() -> None:
    from dashboard.views import page  # folium, shapely, pydantic, the engine: ~2 s

    # Outside a page run Streamlit warns that there is no script context: expected here.
    context_log = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = context_log.level
    context_log.setLevel(logging.ERROR)
    try:
        page.warm()
    finally:
        context_log.setLevel(level)


def main(argv: list[str]) -> int:
    threading.Thread(target=_warm, name="kb-warm", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
