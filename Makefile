# SaferHub: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Links in emails (invitations, confirmations, password resets) point at the served port.
SITE_URL ?= http://127.0.0.1:$(PORT)
export SITE_URL

.PHONY: install run test lint format worker messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py compile_translations

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo --accounts-json demo-accounts.json
	@echo "Serving on http://127.0.0.1:$(PORT) (the worker delivers email to this console)"
	DEBUG=1 $(PY) manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: install
	DEBUG=1 $(PY) manage.py run_worker

test: install
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Refresh the message catalogues after changing strings (needs GNU gettext).
messages: install
	DEBUG=1 $(PY) manage.py makemessages --all --ignore ".venv/*" --ignore "staticfiles/*" --no-obsolete
	DEBUG=1 $(PY) manage.py compile_translations

clean:
	rm -rf $(VENV) staticfiles db.sqlite3*

# Speed of the catalogue pages with 1,000 and 10,000 tools (SQLite; PostgreSQL too when
# DATABASE_URL points at one). Writes bench/results.json; `make bench BENCH_ARGS="--tools 200"` is quick.
.PHONY: bench
bench: install
	DEBUG=0 SECRET_KEY=$${SECRET_KEY:-bench} $(PY) bench/run.py $(BENCH_ARGS)

# The production layout (deploy/) started here and put under pressure: two gunicorn app servers
# behind nginx with PostgreSQL, Redis, the worker and an SMTP sink, all private, on ports 8201-8280.
# Sessions, single-use codes, rate limits and uploads across servers; an app server killed under
# load; then PostgreSQL restarted, Redis stopped, the mail server down, the worker killed mid-send.
# Prints PASS/FAIL per check and stops everything it started. About 5 minutes.
.PHONY: cluster-test fault-test
cluster-test: install
	$(PY) deploy/cluster_test.py $(CLUSTER_ARGS)

# Only the faults (the stack is still started first).
fault-test: install
	$(PY) deploy/cluster_test.py --sections faults $(CLUSTER_ARGS)

# The catalogue under gunicorn (DEBUG off) on PostgreSQL (a private database bench_server,
# created and dropped) and Redis DB 8 (flushed), with 40 signed-in officers at 1,000 and 10,000
# tools: think-time and saturation phases, /health/ alone, the first search after a publish.
# Appends "mode": "server" rows to bench/results.json. Quick: BENCH_ARGS="--tools 200 --duration 12".
.PHONY: bench-server load
bench-server: install
	DEBUG=0 $(PY) bench/server.py $(BENCH_ARGS)

# locust, headless, 60 s against gunicorn started the same way: officers, providers editing draft
# answers, coordinators reviewing; exits non-zero on any error. LOAD_ARGS="--duration 20" is quick.
load: install
	DEBUG=0 $(PY) bench/server.py --load $(LOAD_ARGS)
