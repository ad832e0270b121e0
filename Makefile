# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi

.PHONY: run test test-js test-sqlite test-postgres bench reliability lint format install clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# axe-core (accessibility checks run inside the browser tests), pinned in package-lock.json.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP)

## Serve the app on SQLite with demo data at http://127.0.0.1:8000, the background worker beside it
run: $(STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/flask wards sync
	$(BIN)/flask demo load
	VENV_BIN=$(BIN) scripts/serve.sh

## Run the whole suite: the web front's unit tests, then SQLite, then a throwaway PostgreSQL cluster
test: $(STAMP)
	$(MAKE) test-js
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

# The web front's pure helpers (tests/js/*.test.mjs), with Node's own runner: nothing to install.
test-js:
	node --test tests/js/

test-sqlite: $(STAMP) $(NODE_STAMP)
	APP_ENV=test $(BIN)/pytest

test-postgres: $(STAMP) $(NODE_STAMP)
	APP_ENV=test scripts/with-postgres.sh $(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m bench

## Fault scenarios on a throwaway PostgreSQL (a worker killed, PostgreSQL restarted, a poll closed
## under ballot load, a webhook receiver down): prints lost/duplicated; not part of `make test`
reliability: $(STAMP)
	APP_ENV=development scripts/with-postgres.sh $(BIN)/python -m bench.reliability

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/artifacts node_modules
