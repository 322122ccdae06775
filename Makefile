# Yikao — two commands do all set-up: `make run` and `make test`.
VENV    := .venv
PY      := $(VENV)/bin/python
PIP     := $(VENV)/bin/pip
PYTHON  ?= python3

.PHONY: run paysim test test-fast test-faults test-scaleout lint format setup browser clean bench bench-smoke bench-cluster

$(VENV)/.runtime: requirements.txt requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt -c requirements.lock
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt -c requirements.lock
	touch $@

## Set up (idempotent) and serve http://127.0.0.1:8000 with gunicorn + WhiteNoise.
run: setup
	@echo "Yikao: http://127.0.0.1:8000"
	$(VENV)/bin/gunicorn yikao.wsgi -c gunicorn.conf.py

## The online payment platform's stand-in (scripts/paysim.py, docs/payments.md) on
## http://127.0.0.1:8900, for trying 网上缴费: run it beside `make run`. Our dev key pair is
## made first (kept in var/payments/); the platform's is kept in var/paysim/, where the app
## reads its public key.
paysim: $(VENV)/.runtime
	$(PY) -c "from yikao.payments.gateway import ensure_key_pair as e; e('var/payments/merchant_private.pem', 'var/payments/merchant_public.pem')"
	$(PY) scripts/paysim.py --port 8900 --keys var/paysim --merchant-public-key var/payments/merchant_public.pem

setup: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py setup_demo

## The whole suite, browser tests included: two workers (one per core), then the
## real-thread rushes alone, so that their lock timings are not starved by the other worker.
test: $(VENV)/.dev browser
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -n 2 -m "not scaleout and not concurrency"
	$(VENV)/bin/pytest -m "concurrency and not scaleout"

## Two app servers sharing PostgreSQL and Redis (bench/cluster.py).
test-scaleout: $(VENV)/.dev
	$(VENV)/bin/pytest -m scaleout tests/scaleout

test-fast: $(VENV)/.dev
	$(VENV)/bin/pytest -m "not e2e"

## Fault injection: kill -9 of the app server, PostgreSQL restart (restarts the local cluster).
test-faults: $(VENV)/.dev
	$(PY) manage.py collectstatic --noinput --verbosity 0
	YIKAO_FAULTS=1 $(VENV)/bin/pytest -m faults tests/faults

## The opening-hour rush (bench/README.md). Needs PostgreSQL and Redis; not run in CI.
bench: $(VENV)/.dev
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r bench/requirements.txt -c requirements.lock
	$(PY) bench/run.py --candidates 1000000 --seconds 60

bench-smoke: $(VENV)/.dev
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r bench/requirements.txt -c requirements.lock
	$(PY) bench/run.py --smoke

bench-cluster: $(VENV)/.dev
	$(PY) bench/cluster.py

## Debian's chromium and CJK fonts for the browser tests and PDFs (only when missing).
browser:
	@./scripts/ensure-system-packages

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf var/static test-results
