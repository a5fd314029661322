# The index of every routine task. `make run` and `make test` are the two a newcomer needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA := data
INSTANCE := instance
HOST ?= 127.0.0.1
PORT ?= 5000
DATASETTE_PORT ?= 8001

.PHONY: run test build install validate publish serve datasette backup clean bench

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

install: $(VENV)/.installed

validate: install
	$(PY) -m ingest validate reviews/

build: install
	$(PY) -m ingest build reviews/ $(DATA)/reviews.db --also $(INSTANCE)/reviews
	$(PY) -m ingest publish $(DATA)/reviews.db $(INSTANCE)/tracker.db $(DATA)/safeguarding-reviews.db
	$(PY) -m search_index build $(DATA)/reviews.db $(DATA)/search-index

run: build
	RLR_BASE_URL=http://$(HOST):$(PORT) $(PY) -m open_data $(DATA)/safeguarding-reviews.db --host $(HOST) --port $(DATASETTE_PORT) & \
	DATASETTE_PID=$$!; trap 'kill $$DATASETTE_PID 2>/dev/null' EXIT INT TERM; \
	RLR_DATASETTE_URL=http://$(HOST):$(DATASETTE_PORT) $(VENV)/bin/waitress-serve --host $(HOST) --port $(PORT) --call app:create_app

serve: install
	$(VENV)/bin/waitress-serve --host $(HOST) --port $(PORT) --call app:create_app

datasette: install
	RLR_BASE_URL=$${RLR_BASE_URL:-http://$(HOST):$(PORT)} $(PY) -m open_data $(DATA)/safeguarding-reviews.db --host $(HOST) --port $(DATASETTE_PORT)

backup: install
	$(VENV)/bin/flask --app app backup $(INSTANCE)/backups

test: install
	$(PY) -m pytest

bench: install
	$(PY) benchmarks/ingest_bench.py
	$(PY) benchmarks/search_bench.py

clean:
	rm -rf $(DATA)/reviews.db $(DATA)/safeguarding-reviews.db $(DATA)/search-index
