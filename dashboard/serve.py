"""Serve the dashboard: ``python -m dashboard.serve [streamlit run options]``.

Starts Streamlit on ``dashboard/app.py`` and, as soon as it accepts browsers, imports the
page's modules and prepares the dataset in a background thread. A first visitor's browser
spends one to two seconds loading Streamlit's front end; the warm-up uses that time, so the
first page run finds most of the imports done and the dataset cached. Warming only once
Streamlit serves (not while it starts, in the same interpreter) makes the server healthy
about 0.8 s sooner, and the first map about 0.5 s sooner (`bench/startup.py`, medians of 6).
``make run``, the tests and the benchmarks all start the app this way.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from dashboard.config import REPO_ROOT

APP = REPO_ROOT / "dashboard" / "app.py"


def _wait_until_serving() -> None:
    """Until Streamlit's runtime accepts browsers, so that the warm-up's imports do not
    hold the interpreter while Streamlit itself starts."""
    from streamlit.runtime import Runtime, RuntimeState

    while not (Runtime.exists() and Runtime.instance().state is not RuntimeState.INITIAL):
        time.sleep(0.02)


def _warm() -> None:
    _wait_until_serving()
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
