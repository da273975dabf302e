"""`make run`'s script starts a dashboard that answers, without any prompt (stdin closed)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

from dashboard.config import REPO_ROOT
from tests.browser_support import free_port


def test_run_script_serves_the_app_without_a_prompt():
    port = str(free_port())
    env = {**os.environ, "PORT": port, "BROWSER": "true"}  # `true`: open no real browser
    proc = subprocess.Popen([sys.executable, "scripts/run.py"], cwd=REPO_ROOT, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read()
            line = proc.stdout.readline()
            if "The dashboard is at" in line:
                break
        url = f"http://localhost:{port}"
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as reply:  # noqa: S310
            assert reply.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
