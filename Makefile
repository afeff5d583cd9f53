# SONI-Dashboard — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
SUDO   := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: run test lint bench browser clean screenshots

run: $(VENV)/.runtime browser ## start the dashboard on the built-in sample data
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

test: $(VENV)/.dev browser ## install what the tests need and run the whole suite
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

bench: $(VENV)/.dev browser ## benchmark suite (prints a table; about 10 minutes)
	$(PY) bench/run.py

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

# Debian's chromium: kaleido uses it for chart images, the end-to-end test drives it.
browser:
	@if command -v chromium >/dev/null 2>&1 || [ -n "$$BROWSER_PATH" ]; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "Installiere Debians chromium (für Diagramm-Export und Browser-Test) …"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core fonts-liberation >/dev/null \
	  || echo "Warnung: chromium konnte nicht installiert werden; Bild-Export und Browser-Test fehlen."; \
	else echo "Hinweis: kein chromium gefunden; PNG/SVG-Export und Browser-Test sind nicht verfügbar."; fi

screenshots: $(VENV)/.dev browser ## refresh the README screenshots (real browser)
	$(PY) tests/test_browser.py --screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
