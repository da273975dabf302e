# The README's commands. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501

.DEFAULT_GOAL := help
.PHONY: help run test lint validate geodata figures screenshot bench bench-quick load site clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | column -t -s "$$(printf '\t')"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)  ## set up and open the dashboard at http://localhost:8501
	PORT=$(PORT) $(PY) scripts/run.py

test: $(STAMP)  ## set up (incl. Debian's chromium when root) and run lint + the whole test suite
	bash scripts/ensure-chromium
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(STAMP)  ## ruff
	$(PY) -m ruff check .

validate: $(STAMP)  ## check every data file and the sanity figures
	$(PY) -m dashboard validate

geodata: $(STAMP)  ## rebuild the derived GeoJSON from Natural Earth (needs apt-get download)
	$(PY) -m dashboard.geobuild build

figures: $(STAMP)  ## redraw docs/control-stages.png from the data
	$(PY) -m dashboard.views.figure docs/control-stages.png

screenshot: $(STAMP)  ## redraw the README's pictures (docs/*.png) in headless chromium
	PYTHONPATH=. $(PY) scripts/screenshot.py docs/dashboard.png
	PYTHONPATH=. $(PY) scripts/screenshot.py docs/explorer-laptop.png "?date=2020-10-10&place=place:hadrut" 1440x900
	PYTHONPATH=. $(PY) scripts/screenshot.py docs/explorer-phone.png "?date=2022-09-20" 390x844

site: $(STAMP)  ## publish the static reader's edition into site/ (serve it with any static server)
	$(PY) -m dashboard publish site

bench: $(STAMP)  ## run the benchmarks (< 10 min); writes bench/results.json and bench/RESULTS.md
	bash scripts/ensure-chromium
	PYTHONPATH=. $(PY) bench/run.py

bench-quick: $(STAMP)  ## a few steps of every benchmark (smoke test), into test-artifacts/bench
	bash scripts/ensure-chromium
	PYTHONPATH=. $(PY) bench/run.py --quick --out test-artifacts/bench

load: $(STAMP)  ## 20 browser sessions scrubbing and clicking for 3 minutes; writes bench/load.json
	bash scripts/ensure-chromium
	PYTHONPATH=. $(PY) bench/load.py

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts
