# The front door of the migration toolkit. Every target is declared `.PHONY: name  ## help`,
# and `make help` lists those lines. User text (MSG, REV) reaches Python through the
# environment, never through shell quoting.

.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB := $(BIN)/python -m mcpgateway.migrate

# User variables; empty means the command's default. Keep the text exactly as typed:
# without $(value ...), make would expand a `$(x)` inside MSG while exporting it.
override MSG := $(value MSG)
override REV := $(value REV)
override FILE := $(value FILE)
override DIALECT := $(value DIALECT)
override LIVE := $(value LIVE)
override PLUGIN := $(value PLUGIN)
override NAME := $(value NAME)
override BACKUP := $(value BACKUP)
override YES := $(value YES)
override ALL := $(value ALL)
override BACKEND := $(value BACKEND)
override BASELINE := $(value BASELINE)
override SIZES := $(value SIZES)
override REPEAT := $(value REPEAT)
override FORCE := $(value FORCE)
override EMPTY := $(value EMPTY)
export MSG REV FILE DIALECT LIVE PLUGIN NAME BACKUP YES ALL BACKEND BASELINE SIZES REPEAT FORCE EMPTY

# The virtualenv is a file target: it is built on first use and rebuilt when pyproject or the
# pinned versions change. constraints.txt holds exactly the versions CI tested.
$(BIN)/.installed: pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[dev]'
	@touch $@

.PHONY: help  ## list the targets (the default)
help:
	@grep -E '^\.PHONY: [a-z-]+ +## ' $(MAKEFILE_LIST) | \
		sed -E 's/^\.PHONY: ([a-z-]+) +## (.*)/\1\t\2/' | \
		awk -F '\t' '{ printf "  make %-12s %s\n", $$1, $$2 }'

.PHONY: install  ## create .venv and install the package with its dev tools, at the pinned versions
install: $(BIN)/.installed

.PHONY: upgrade-deps  ## re-pin constraints.txt to the newest versions that install (then run make test)
upgrade-deps:
	@rm -rf .venv-upgrade
	@$(PYTHON) -m venv .venv-upgrade
	@.venv-upgrade/bin/python -m pip install --quiet --upgrade pip
	@.venv-upgrade/bin/python -m pip install --quiet --editable '.[dev]'
	@{ sed -n '1,2p' constraints.txt; .venv-upgrade/bin/python -m pip freeze --exclude-editable | \
		grep -v '^mcpgateway'; } > constraints.txt.new
	@mv constraints.txt.new constraints.txt
	@rm -rf .venv-upgrade
	@git diff --stat -- constraints.txt 2>/dev/null || true
	@echo "constraints.txt re-pinned; run make install and make test before committing it"

.PHONY: db-up  ## upgrade the core and enabled plugins to head; PLUGIN=name for one; BACKUP=1 backs up first
db-up: $(BIN)/.installed
	@$(DB) up --rev="$$REV" --plugin="$$PLUGIN" $${BACKUP:+--backup}

.PHONY: db-down  ## step back one revision; REV=-N|base|<rev>, PLUGIN=name to stay in a plugin
db-down: $(BIN)/.installed
	@$(DB) down --rev="$$REV" --plugin="$$PLUGIN"

.PHONY: db-new  ## autogenerate a revision: MSG="what changed" (required), PLUGIN=name for a plugin; EMPTY=1 for one you write by hand
db-new: $(BIN)/.installed
	@$(DB) new --message="$$MSG" --plugin="$$PLUGIN" $${EMPTY:+--empty}

.PHONY: db-current  ## show the revision the database is at
db-current: $(BIN)/.installed
	@$(DB) current

.PHONY: db-history  ## list every revision, newest first, verbosely
db-history: $(BIN)/.installed
	@$(DB) history

.PHONY: db-status  ## current, head and pending revisions; exits 1 when the database is behind
db-status: $(BIN)/.installed
	@$(DB) status

.PHONY: db-check  ## fail if the models differ from the migrations, alembic/schema/ is stale, or history forked; LIVE=1: vs DATABASE_URL
db-check: $(BIN)/.installed
	@$(DB) check $${LIVE:+--live}

.PHONY: db-lint  ## lint revisions for locks and data loss: unapplied ones (or newer than the baseline); ALL=1, REV=, BASELINE=1 records one
db-lint: $(BIN)/.installed
	@$(DB) lint --rev="$$REV" $${ALL:+--all} $${BASELINE:+--baseline}

.PHONY: db-sql  ## print the upgrade SQL offline: [REV=start:end] [FILE=out.sql, FORCE=1 to replace] [DIALECT=postgresql|mysql|sqlite]
db-sql: $(BIN)/.installed
	@$(DB) sql --rev="$$REV" --file="$$FILE" --dialect="$$DIALECT" $${FORCE:+--force}

.PHONY: db-heads  ## list the head revisions
db-heads: $(BIN)/.installed
	@$(DB) heads

.PHONY: db-show  ## show one revision: REV=<revision>|head (required)
db-show: $(BIN)/.installed
	@$(DB) show --rev="$$REV"

.PHONY: db-stamp  ## record REV=<revision> without migrating; replaces a recorded revision no file has (asks; YES=1 does not)
db-stamp: $(BIN)/.installed
	@$(DB) stamp --rev="$$REV" $${YES:+--yes}

.PHONY: db-merge  ## write a merge revision for forked heads: MSG="..." (required)
db-merge: $(BIN)/.installed
	@$(DB) merge --message="$$MSG"

.PHONY: db-info  ## diagnostics: settings and their sources, masked URL, driver, scripts, revisions
db-info: $(BIN)/.installed
	@$(DB) info

.PHONY: db-schema  ## write alembic/schema/<backend>.sql: the core's schema at head, replayed and dumped on each backend (BACKEND=name for one)
db-schema: $(BIN)/.installed
	@$(DB) schema --backend="$$BACKEND"

.PHONY: db-backup  ## write a timestamped backup under backups/ (pg_dump, mariadb-dump, SQLite backup API)
db-backup: $(BIN)/.installed
	@$(DB) backup

.PHONY: db-restore  ## replace the database with FILE=backups/...; asks first, YES=1 does not
db-restore: $(BIN)/.installed
	@$(DB) restore --file="$$FILE" $${YES:+--yes}

.PHONY: db-verify  ## list applied revisions whose files were edited after they ran; exits 1 if any
db-verify: $(BIN)/.installed
	@$(DB) verify

.PHONY: db-accept  ## accept an edited applied revision: REV=<revision>, or ALL=1
db-accept: $(BIN)/.installed
	@$(DB) accept --rev="$$REV" $${ALL:+--all}

.PHONY: db-bootstrap  ## what the app runs at start: migrate only if behind (MCPGATEWAY_SKIP_MIGRATIONS=true: never)
db-bootstrap: $(BIN)/.installed
	@$(DB) bootstrap

.PHONY: plugin-new  ## scaffold an in-tree plugin, generate and apply its first revision: NAME=...
plugin-new: $(BIN)/.installed
	@$(DB) plugin-new --name="$$NAME"

# pytest-xdist runs the suite in TEST_JOBS worker processes (one per core by default).
TEST_JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: test  ## db-check, db-lint ALL=1, then the test suite on SQLite, PostgreSQL and MariaDB (TEST_JOBS workers)
test: $(BIN)/.installed
	@$(DB) check
	@$(DB) lint --all
	@$(BIN)/pytest -n $(TEST_JOBS)

.PHONY: db-test  ## only the migration tests (pytest-alembic, stairway, fidelity); BACKEND=sqlite|postgresql|mariadb for one
db-test: $(BIN)/.installed
	@TEST_BACKENDS="$$BACKEND" $(BIN)/pytest -n $(TEST_JOBS) tests/test_migrations.py tests/test_fidelity.py

.PHONY: bench  ## time the toolkit vs plain Alembic vs the database itself: [SIZES=100,500] [BACKEND=...] [REPEAT=3] [FILE=bench/results.json]
bench: $(BIN)/.installed
	@$(DB) bench --sizes="$$SIZES" --backend="$$BACKEND" --repeat="$$REPEAT" --file="$$FILE"

.PHONY: lint  ## ruff check and ruff format --check over the whole tree; mypy --strict on mcpgateway/ and alembic/env.py
lint: $(BIN)/.installed
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@$(BIN)/mypy

.PHONY: fmt  ## format and auto-fix the whole tree with ruff
fmt: $(BIN)/.installed
	@$(BIN)/ruff check --fix .
	@$(BIN)/ruff format .
