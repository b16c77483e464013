# Borderpost — one file for set-up, demo, tests, checks and benchmarks.
# `make demo` and `make test` work on a fresh Debian machine: as root they
# install the Debian packages they need with apt-get.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.borderpost-installed
APT_PACKAGES := libzbar0 mosquitto mosquitto-clients tmux fonts-ocr-b sqlite3 python3-venv postgresql

.PHONY: setup system-packages demo test check lint typecheck contracts bench lock clean install uninstall

setup: system-packages $(STAMP)

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing Debian packages:$$missing — run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[test]'
	@touch $(STAMP)

demo: setup
	$(BIN)/borderpost demo

test: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: setup
	$(BIN)/mypy

# The import contracts in .importlinter: layers, no Textual/Rich below tui, no cycles in a package.
contracts: setup
	$(BIN)/lint-imports --no-cache

# Everything CI checks: ruff, mypy, the import contracts and the tests. `.ci/run` says
# `make check test`, and make runs each target once per invocation, so the tests run once.
check: lint typecheck contracts test

bench: setup
	$(BIN)/python -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[test,bench]'
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Refresh the pinned versions after changing dependency ranges in pyproject.toml.
# requirements.lock: every extra, the constraints of development installs (pip -c; pip refuses
# hashes there with an editable install). requirements-post.lock / requirements-hq.lock: what
# a post (with evdev) and HQ run, the same versions, with hashes (pip --require-hashes).
COMPILE = $(BIN)/uv pip compile --universal --python-version 3.11 -q
lock:
	$(BIN)/python -m pip install -q uv
	$(COMPILE) --all-extras pyproject.toml -o requirements.lock
	$(COMPILE) --generate-hashes --extra hid -c requirements.lock pyproject.toml -o requirements-post.lock
	$(COMPILE) --generate-hashes --extra hq -c requirements.lock pyproject.toml -o requirements-hq.lock

# Appliance install (root): users, /opt/borderpost venv, /etc/borderpost, systemd units, udev.
# DESTDIR=/some/root stages it elsewhere; `make uninstall PURGE=1` also removes data.
install: system-packages
	DESTDIR=$(DESTDIR) PYTHON=$(PYTHON) sh systemd/install.sh install

uninstall:
	DESTDIR=$(DESTDIR) PURGE=$(PURGE) sh systemd/install.sh uninstall

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
