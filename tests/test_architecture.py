"""Arrows point one way: data → engine → views. Only the page imports streamlit."""

from __future__ import annotations

import ast

from dashboard.config import REPO_ROOT

PACKAGE = REPO_ROOT / "dashboard"
STREAMLIT_ALLOWED = {"app.py", "serve.py", "views/page.py", "views/about.py"}
LOWER_LAYERS = {"model.py", "load.py", "engine.py", "geo.py", "sanity.py", "export.py",
                "config.py"}


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_only_the_page_imports_streamlit():
    for path in PACKAGE.rglob("*.py"):
        rel = str(path.relative_to(PACKAGE))
        uses = any(name.split(".")[0] in ("streamlit", "streamlit_folium")
                   for name in _imports(path))
        assert not uses or rel in STREAMLIT_ALLOWED, rel


def test_data_and_engine_do_not_import_views():
    for rel in LOWER_LAYERS:
        names = list(_imports(PACKAGE / rel))
        assert not [n for n in names if n.startswith(("dashboard.views", "dashboard.cli"))], rel
