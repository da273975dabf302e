"""Where the data lives: the repository by default, or the folder named by an env var."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
#: Environment variable that points the CLI and the app at another dataset folder,
#: laid out like the repository (``DIR/geodata/``, ``DIR/events/``).
DATA_DIR_ENV = "KARABAKH_DATA_DIR"


def default_data_dir() -> Path:
    """The dataset folder: ``$KARABAKH_DATA_DIR`` if set, else the repository."""
    value = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else REPO_ROOT
