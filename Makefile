# The two commands: `make run` and `make test`. Both do all their own set-up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HUB_USER ?= support@example.org
# re-install whenever pyproject.toml changes
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test check pictures bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	rm -f $(VENV)/.installed-*
	touch $@

# SQLite is migrated by the TUI as it opens; another database named here, by `db upgrade`
run: $(STAMP)
	$(if $(HUB_DATABASE_URL),$(BIN)/hub-tui db upgrade)
	$(BIN)/hub-tui --user $(HUB_USER) --demo-if-empty

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/ruff check hub_tui tests bench
	$(BIN)/ruff format --check hub_tui tests bench
	$(BIN)/mypy hub_tui tests bench
	$(BIN)/lint-imports

# the snapshots of every screen made again (after a change to a screen), and the pictures
# in README.md and docs/ copied from them (tests/pictures.py names them); look before committing
pictures: $(STAMP)
	rm -rf tests/__snapshots__/test_snapshots
	$(BIN)/python -m pytest -q -n 2 tests/test_snapshots.py --snapshot-update
	$(BIN)/python -m tests.pictures
	$(BIN)/python -m pytest -q tests/test_pictures.py

bench: $(STAMP)
	$(BIN)/python bench/search.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/mail.py
	$(BIN)/python bench/tui.py
	$(BIN)/python bench/ssh.py
	$(BIN)/python bench/curves.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
