# qicha — two commands: `make run` starts the platform with demo data, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export QICHA_PORT ?= 8000

.PHONY: run test lint deps assets system-deps migrate demo serve clean dist

$(VENV)/.installed-%: requirements/%.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --require-hashes -r requirements/$*.lock
	$(PIP) install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null || $(PIP) install --quiet --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

deps: $(VENV)/.installed-dev

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error

src/qicha/static/vendor/.built: frontend/node_modules/.package-lock.json frontend/build.mjs
	cd frontend && node build.mjs
	@touch $@

assets: src/qicha/static/vendor/.built

run: deps assets
	QICHA_DEMO=1 $(PY) -m qicha migrate --no-input -v 0
	QICHA_DEMO=1 $(PY) -m qicha collectstatic --no-input -v 0
	QICHA_DEMO=1 $(PY) -m qicha load_demo
	@echo ""
	@echo "打开浏览器访问： http://127.0.0.1:$(QICHA_PORT)/"
	QICHA_DEMO=1 $(PY) -m qicha serve

# Debian's chromium (Playwright drives it through executable_path), CJK fonts for screenshots, and LibreOffice
# (headless Writer) and poppler-utils to render the generated Word summaries to PDF and read them back in the slow tests;
# nginx-light (`nginx -t` on deploy/nginx), systemd (`systemd-analyze verify` on deploy/systemd) and redis-server
# (the health check's Redis and worker parts, the production queue) for tests/test_deploy_config.py and test_health.py;
# a headless JDK for PySpark (data comparison's Spark engine and its equivalence tests).
system-deps:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null \
	    || ! test -x /usr/sbin/nginx || ! command -v redis-server >/dev/null || ! command -v systemd-analyze >/dev/null \
	    || ! command -v java >/dev/null; then \
	  echo "安装测试所需的 chromium、fonts-noto-cjk、LibreOffice（无界面版）、nginx-light、redis-server、systemd 与 JDK…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    chromium fonts-noto-cjk libreoffice-writer-nogui poppler-utils nginx-light redis-server systemd \
	    openjdk-17-jre-headless >/dev/null; \
	fi

# The suite runs in parallel (pytest-xdist), one worker per core, each with its own test database (in memory on
# SQLite; pytest-django suffixes a PostgreSQL one per worker). The 20 slowest tests are listed at the end.
# `make test PYTEST_WORKERS=0` runs it serially.
PYTEST_WORKERS ?= auto
# The browser tests run afterwards, one at a time: beside a busy worker on 2 cores, Chromium lost typed form fields.
E2E_ARGS ?=
test: deps assets system-deps
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/lint-imports
	$(PY) -m qicha makemigrations --check --dry-run -v 0
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --durations=20 -m "not e2e" $(PYTEST_ARGS)
	$(VENV)/bin/pytest -p no:xdist --durations=5 -m e2e $(E2E_ARGS)

lint: deps
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

# The offline release (docs/operations.md §1): dist/qicha-<version>.tar.gz holds the wheel (templates, static files,
# the vendored front end already built, data files), a wheelhouse of every locked runtime dependency for this Python
# and platform, deploy/ (nginx, systemd, the environment-file template) and the operations manual. Needs the registry
# once (downloads are kept in build/wheelhouse); installing needs none: pip install --no-index --find-links wheelhouse qicha
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
DIST_NAME := qicha-$(VERSION)
dist: deps assets
	rm -rf build/lib build/bdist.* build/$(DIST_NAME) dist/$(DIST_NAME).tar.gz
	mkdir -p build/wheelhouse build/$(DIST_NAME)/wheelhouse dist
	$(PIP) download --quiet --disable-pip-version-check --require-hashes --only-binary=:all: --no-deps \
	  -r requirements/base.lock -d build/wheelhouse
	$(PIP) wheel --quiet --disable-pip-version-check --no-deps . -w build/$(DIST_NAME)/wheelhouse
	rm -rf build/lib build/bdist.*
	cp build/wheelhouse/*.whl build/$(DIST_NAME)/wheelhouse/
	cp -r deploy build/$(DIST_NAME)/deploy
	mkdir -p build/$(DIST_NAME)/docs build/$(DIST_NAME)/requirements
	cp docs/operations.md docs/security.md build/$(DIST_NAME)/docs/
	cp requirements/base.lock build/$(DIST_NAME)/requirements/
	cp README.md build/$(DIST_NAME)/
	tar -czf dist/$(DIST_NAME).tar.gz -C build $(DIST_NAME)
	@echo "离线安装包：dist/$(DIST_NAME).tar.gz（$$(du -h dist/$(DIST_NAME).tar.gz | cut -f1)）"

clean:
	rm -rf $(VENV) frontend/node_modules src/qicha/static/vendor build dist
