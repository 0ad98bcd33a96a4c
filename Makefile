# lerendewijk: two commands on a fresh machine.
#   make demo  - install everything and write the example report
#   make test  - install the dev tools and run the tests
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check
LDW    := $(VENV)/bin/lerendewijk
DEMO_WS := werkruimte/voorbeeld
DEMO_REPORTS := reports/voorbeeld

.PHONY: demo test install dev browser lint clean bench bench-groot

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# torch first, pinned to the CPU build that lies on disk, so nothing pulls a CUDA build
$(VENV)/.torch: | $(PY)
	$(PIP) install --quiet torch==2.13.0
	touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.torch
	$(PIP) install --quiet -e .
	@echo "deduce-opzoektabellen opbouwen (eenmalig, ongeveer een minuut)..."
	$(PY) -c "from lerendewijk.privacy import warm_up; warm_up()"
	touch $@

$(VENV)/.dev: $(VENV)/.installed
	$(PIP) install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev

# Headless Chromium for the report tests (Debian packages); skipped when it is already there
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "chromium ontbreekt: sudo apt-get install chromium chromium-driver"; fi; \
	fi

demo: install
	@rm -rf $(DEMO_WS)
	$(LDW) init $(DEMO_WS) --wijk "De Vlietkamp (fictief)"
	$(LDW) cycle corpora/voorbeeld/ronde-1 --workspace $(DEMO_WS) --programma corpora/voorbeeld/programma.yaml --rapporten $(DEMO_REPORTS) --stil
	$(LDW) cycle corpora/voorbeeld/ronde-2 --workspace $(DEMO_WS) --programma corpora/voorbeeld/programma.yaml --rapporten $(DEMO_REPORTS) --stil
	$(LDW) compare --workspace $(DEMO_WS) 1 2 -o $(DEMO_REPORTS)/vergelijking-ronde-1-2.html
	$(LDW) leergeschiedenis --workspace $(DEMO_WS) -o $(DEMO_REPORTS)
	@echo
	@echo "Het voorbeeldverslag staat in: $(CURDIR)/$(DEMO_REPORTS)/ronde-2/index.html (en ronde-1),"
	@echo "met de vergelijking van de rondes en de leergeschiedenis ernaast."

test: dev browser
	$(PY) -m pytest -q

# scale benchmark (issue 8): rewrites the 'Schaal' section of benchmarks/RESULTS.md (about 10 minutes)
bench: install
	$(PY) benchmarks/bench_scale.py

bench-groot: install
	$(PY) benchmarks/bench_scale.py --groot

lint: dev
	$(VENV)/bin/ruff check lerendewijk tests
	$(VENV)/bin/ruff format --check lerendewijk tests

clean:
	rm -rf $(VENV) werkruimte reports/voorbeeld
