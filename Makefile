# Borderpost — one file for set-up, demo, tests, checks and benchmarks.
# `make demo` and `make test` work on a fresh Debian machine: as root they
# install the Debian packages they need with apt-get.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.borderpost-installed
# A post runs with zbar and builds evdev (no wheel on PyPI) from source, and reads ePassport chips
# through pcscd (libccid drives USB readers); HQ runs the broker and PostgreSQL; development and
# tests need all of it and a few tools (vsmartcard-vpcd: the virtual reader the chip tests use;
# chromium: the real browser the HQ web console tests drive through Playwright).
POST_PACKAGES := libzbar0 python3-venv gcc libc6-dev linux-libc-dev python3-dev pcscd libccid
HQ_PACKAGES := python3-venv mosquitto postgresql
APT_PACKAGES := $(POST_PACKAGES) mosquitto mosquitto-clients tmux fonts-ocr-b sqlite3 postgresql \
	vsmartcard-vpcd chromium
ROLE ?= post
WHEELHOUSE ?= wheelhouse
PLATFORMS ?= x86_64 aarch64

.PHONY: setup system-packages uinput vpcd-port demo test check lint typecheck contracts bench lock clean \
	install uninstall wheelhouse

setup: system-packages uinput vpcd-port $(STAMP)

# The HID scanner test needs /dev/uinput: as root, load the module when the kernel has it.
uinput:
	@if [ ! -e /dev/uinput ] && [ "$$(id -u)" = 0 ] && command -v modprobe >/dev/null; then \
	  modprobe uinput 2>/dev/null || echo "no uinput module here: the HID scanner test will say why it skips"; \
	fi

# vpcd (the virtual smart-card reader of the chip tests and demo) listens on 35963, inside
# Linux's range for outgoing ports: as root, keep it out of that range so that no client's
# connection (a broker's, a test's) can hold it when pcscd starts vpcd.
vpcd-port:
	@if [ "$$(id -u)" = 0 ] && [ -w /proc/sys/net/ipv4/ip_local_reserved_ports ]; then \
	  now=$$(cat /proc/sys/net/ipv4/ip_local_reserved_ports); \
	  case ",$$now," in *,35963,*) ;; *) echo "$${now:+$$now,}35963" > /proc/sys/net/ipv4/ip_local_reserved_ports || true;; esac; \
	fi

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
	$(BIN)/python -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[test,hid]'
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

# The import contracts in .importlinter: layers, no Textual/Rich below tui, the console through the
# local API's types only, no cycles in a package.
contracts: setup
	$(BIN)/lint-imports --no-cache

# Everything CI checks: ruff, mypy, the import contracts and the tests. `.ci/run` says
# `make wheelhouse check test`, and make runs each target once per invocation, so the tests run once.
check: lint typecheck contracts test

bench: setup
	$(BIN)/python -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[test,bench]'
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Refresh the pinned versions after changing dependency ranges in pyproject.toml.
# requirements.lock: every extra, the constraints of development installs (pip -c; pip refuses
# hashes there with an editable install). requirements-post.lock / requirements-hq.lock: what
# a post (with evdev) and HQ run, the same versions, with hashes (pip --require-hashes);
# requirements-build.lock: setuptools, to build evdev from source offline.
COMPILE = $(BIN)/uv pip compile --universal --python-version 3.11 -q
lock:
	$(BIN)/python -m pip install -q uv
	$(COMPILE) --all-extras pyproject.toml -o requirements.lock
	$(COMPILE) --generate-hashes --extra hid -c requirements.lock pyproject.toml -o requirements-post.lock
	$(COMPILE) --generate-hashes --extra hq -c requirements.lock pyproject.toml -o requirements-hq.lock
	echo "setuptools>=70.1" | $(COMPILE) --generate-hashes - -o requirements-build.lock

# Offline installs: every wheel a post and HQ need for x86-64 and arm64 (PLATFORMS), checked
# against requirements-{build,post,hq}.lock's hashes, and Borderpost's own wheel. Copy the
# folder with the checkout to a box with no network and `make install` uses it.
wheelhouse: setup
	PYTHON=$(BIN)/python sh systemd/wheelhouse.sh $(WHEELHOUSE) "$(PLATFORMS)"

# Appliance install (root): users, /opt/borderpost venv, /etc/borderpost, systemd units, udev.
# ROLE=post (default: zbar, evdev) or ROLE=hq (the broker, PostgreSQL, psycopg); from
# $(WHEELHOUSE) with no network when it holds a wheelhouse, else from PyPI.
# DESTDIR=/some/root stages it elsewhere; `make uninstall PURGE=1` also removes data.
install:
	@$(MAKE) --no-print-directory system-packages \
	  APT_PACKAGES="$(if $(filter hq,$(ROLE)),$(HQ_PACKAGES),$(POST_PACKAGES))"
	DESTDIR=$(DESTDIR) PYTHON=$(PYTHON) ROLE=$(ROLE) \
	  WHEELHOUSE=$(if $(wildcard $(WHEELHOUSE)/requirements-$(ROLE).lock),$(abspath $(WHEELHOUSE))) \
	  sh systemd/install.sh install

uninstall:
	DESTDIR=$(DESTDIR) PURGE=$(PURGE) sh systemd/install.sh uninstall

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
