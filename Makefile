# The index of every routine task. `make run` and `make test` are the two a newcomer needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA := data
INSTANCE := instance
HOST ?= 127.0.0.1
PORT ?= 5000
DATASETTE_PORT ?= 8001

RLR := $(VENV)/bin/rlr
PIP := $(VENV)/bin/pip --quiet --disable-pip-version-check

.PHONY: run test test-fast build install lock validate publish serve datasette backup clean bench

# Exact pins from requirements.lock, then the project itself (editable, no dependencies: the
# lock has them all) for the `rlr` command and the version.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps -e .
	touch $@

install: $(VENV)/.installed

# After adding or changing a dependency in pyproject.toml: regenerate the lock (pins kept where
# they still fit; `make lock UPGRADE=1` moves every pin to the newest allowed), then `make install`.
lock:
	test -x .venv-lock/bin/pip-compile || ($(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install --quiet pip-tools==7.5.1)
	CUSTOM_COMPILE_COMMAND="make lock" .venv-lock/bin/pip-compile --quiet --extra test --strip-extras \
		--no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade) -o requirements.lock pyproject.toml

validate: install
	$(RLR) validate reviews/

build: install
	$(RLR) build reviews/ $(DATA)/reviews.db --also $(INSTANCE)/reviews
	$(RLR) publish $(DATA)/reviews.db $(INSTANCE)/tracker.db $(DATA)/safeguarding-reviews.db
	$(RLR) index $(DATA)/reviews.db $(DATA)/search-index

publish: install
	$(RLR) publish $(DATA)/reviews.db $(INSTANCE)/tracker.db $(DATA)/safeguarding-reviews.db

run: build
	RLR_BASE_URL=http://$(HOST):$(PORT) $(PY) -m open_data $(DATA)/safeguarding-reviews.db --host $(HOST) --port $(DATASETTE_PORT) & \
	DATASETTE_PID=$$!; trap 'kill $$DATASETTE_PID 2>/dev/null' EXIT INT TERM; \
	RLR_DATASETTE_URL=http://$(HOST):$(DATASETTE_PORT) $(VENV)/bin/waitress-serve --host $(HOST) --port $(PORT) --call app:create_app

serve: install
	$(VENV)/bin/waitress-serve --host $(HOST) --port $(PORT) --call app:create_app

datasette: install
	RLR_BASE_URL=$${RLR_BASE_URL:-http://$(HOST):$(PORT)} $(PY) -m open_data $(DATA)/safeguarding-reviews.db --host $(HOST) --port $(DATASETTE_PORT)

backup: install
	$(RLR) backup $(INSTANCE)/backups

test: install
	$(PY) -m pytest

# Everything but the browser, fault-injection and fuzz tests: for a quick check while working.
test-fast: install
	$(PY) -m pytest -m "not browser and not faults and not fuzz"

bench: install
	$(PY) benchmarks/ingest_bench.py
	$(PY) benchmarks/search_bench.py

clean:
	rm -rf .venv-lock $(DATA)/reviews.db $(DATA)/safeguarding-reviews.db $(DATA)/search-index
