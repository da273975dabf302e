"""`make run`: start the dashboard, wait until it answers, then open it in the browser.

Streamlit runs headless (its first-run e-mail prompt would block a fresh machine); the
browser is opened here instead, when there is one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
import webbrowser

PORT = os.environ.get("PORT", "8501")
URL = f"http://localhost:{PORT}"


def main() -> int:
    server = subprocess.Popen([sys.executable, "-m", "dashboard.serve",
                               "--server.port", PORT, "--server.headless", "true"])
    try:
        for _ in range(600):  # up to a minute
            if server.poll() is not None:
                return server.returncode
            try:
                with urllib.request.urlopen(f"{URL}/_stcore/health", timeout=1):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.1)
        print(f"\n  The dashboard is at {URL}  (Ctrl-C stops it)\n", flush=True)
        webbrowser.open(URL)  # does nothing where there is no browser
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        return server.wait()


if __name__ == "__main__":
    sys.exit(main())
