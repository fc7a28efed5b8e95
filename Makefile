# Engage developer entry points. `make test` is what CI runs (via .ci/run).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.ONESHELL:

PYTEST_ARGS ?=
PORT ?= 8000
START := $(shell date +%s)
VENV_LOG := .venv/install.log
IS_312 := -c 'import sys; sys.exit(sys.version_info < (3, 12))'

.PHONY: help venv run test bench sysdeps services-up services-down clean

help:
	@echo "make venv           create .venv with the dependencies (also done by run/test)"
	echo "make run            migrate, seed the demo data and serve on http://127.0.0.1:8000 (PORT=8123 for another)"
	echo "make test           everything CI checks (PYTEST_ARGS='-k foo' to narrow pytest)"
	echo "make bench          every benchmark in bench/ at full size (BENCH_QUICK=1: small sizes, a smoke run)"
	echo "make services-up    start PostgreSQL + Redis for development (services-down stops them)"
	echo "make clean          remove .venv, staticfiles and db.sqlite3"

venv: .venv/.installed

.venv/.installed: pyproject.toml
	@echo "== venv =="
	py=
	# pyenv shims exist even for versions they can't run, so try each one; then pyenv's own.
	pyenvs=$$(ls -d "$$(pyenv root 2>/dev/null || echo ~/.pyenv)"/versions/3.*/bin/python3 2>/dev/null | sort -rV || true)
	for p in $(or $(PYTHON),python3.13 python3.12 python3 $$pyenvs); do
	  if "$$p" $(IS_312) >/dev/null 2>&1; then py=$$p; break; fi
	done
	if [ -z "$$py" ]; then
	  echo "Engage needs Python >= 3.12; install it or set PYTHON=/path/to/python3.12" >&2; exit 1
	fi
	started=$$SECONDS
	.venv/bin/python $(IS_312) 2>/dev/null || { rm -rf .venv; "$$py" -m venv .venv; }
	{ .venv/bin/pip install -q uv &&
	  .venv/bin/uv pip install --python .venv/bin/python -r pyproject.toml --all-extras; } >$(VENV_LOG) 2>&1 ||
	{ echo "== uv failed; falling back to pip ==" && .venv/bin/pip install -e '.[dev]'; } >>$(VENV_LOG) 2>&1 ||
	{ tail -n 30 $(VENV_LOG) >&2; echo "venv: install failed, see $(VENV_LOG)" >&2; exit 1; }
	touch $@
	echo "venv: $$(.venv/bin/python -V), dependencies installed in $$((SECONDS - started))s (log: $(VENV_LOG))"

run: .venv/.installed
	@export DEBUG="$${DEBUG:-1}"
	.venv/bin/python manage.py migrate --noinput
	.venv/bin/python manage.py seed_demo
	exec .venv/bin/python manage.py runserver 127.0.0.1:$(PORT)

# Debian packages the tests need; installs only the missing ones.
sysdeps:
	@echo "== sysdeps =="
	has_pkg() { dpkg-query -W -f='$${Status}' "$$1" 2>/dev/null | grep -q ' installed$$'; }
	missing=()
	command -v redis-server >/dev/null || missing+=(redis-server)
	[ -x /usr/bin/chromium ] || missing+=(chromium)
	has_pkg libharfbuzz-subset0 || missing+=(libharfbuzz-subset0)
	command -v qpdf >/dev/null || missing+=(qpdf)
	command -v pdftoppm >/dev/null || missing+=(poppler-utils)
	has_pkg fonts-inter || missing+=(fonts-inter)
	compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
	if [ $${#missing[@]} -eq 0 ]; then echo "sysdeps: all present"; exit 0; fi
	sudo=
	if [ "$$(id -u)" -ne 0 ]; then
	  command -v sudo >/dev/null || { echo "sysdeps: missing, install as root: $${missing[*]}" >&2; exit 1; }
	  sudo=sudo
	fi
	log=$${TMPDIR:-/tmp}/engage-apt.log
	echo "sysdeps: installing $${missing[*]} (log: $$log)"
	apt="$$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600"
	{ $$apt update -qq && $$apt install -y -qq --no-upgrade --no-install-recommends "$${missing[@]}"; } \
	  >"$$log" 2>&1 || { tail -n 30 "$$log" >&2; echo "sysdeps: apt-get failed" >&2; exit 1; }

test: sysdeps .venv/.installed
	@svc=$$(mktemp -d /tmp/engage-services.XXXXXX)
	trap 'rc=$$?; tests/services.sh down "$$svc"
	  echo "== $$( ((rc)) && echo FAILED || echo passed ) in $$(( $$(date +%s) - $(START) ))s =="
	  exit $$rc' EXIT
	trap 'exit 130' INT TERM
	echo "== services =="
	tests/services.sh up "$$svc" >/dev/null
	set -a; . "$$svc/env"; set +a
	export SECRET_KEY=test-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz DEBUG=0
	prod=(env DEBUG=0 ALLOWED_HOSTS=engage.example.com EMAIL_HOST=smtp.example.com
	  SECRET_KEY="$$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(45))')")
	echo "== ruff =="; .venv/bin/ruff check .
	echo "== ruff format =="; .venv/bin/ruff format --check .
	echo "== lint-imports =="; .venv/bin/lint-imports
	echo "== check =="; .venv/bin/python manage.py check --fail-level WARNING
	echo "== check --deploy =="; "$${prod[@]}" .venv/bin/python manage.py check --deploy --fail-level WARNING
	echo "== makemigrations --check =="; .venv/bin/python manage.py makemigrations --check --dry-run
	# The services dir is removed on exit, so the collected files go with it.
	echo "== collectstatic =="
	"$${prod[@]}" STATIC_ROOT="$$svc/static" .venv/bin/python manage.py collectstatic --noinput -v0
	echo "== pytest =="; DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python -m pytest $(PYTEST_ARGS)

# Every script in bench/ (locustfile.py is load.py's), one after the other, then the full
# concurrency suite, on services of their own; each prints its figures. BENCH_QUICK=1 gives small sizes (a BENCH_* knob set in
# the environment wins); a script that fails is named at the end and fails the target.
bench: sysdeps .venv/.installed
	@svc=$$(mktemp -d /tmp/engage-services.XXXXXX)
	failed=()
	trap 'rc=$$?; tests/services.sh down "$$svc"
	  ((rc)) || [ $${#failed[@]} -eq 0 ] || { echo "== failed: $${failed[*]} =="; rc=1; }
	  echo "== bench $$( ((rc)) && echo FAILED || echo done ) in $$(( $$(date +%s) - $(START) ))s =="
	  exit $$rc' EXIT
	trap 'exit 130' INT TERM
	echo "== services =="
	tests/services.sh up "$$svc" >/dev/null
	set -a; . "$$svc/env"; set +a
	export SECRET_KEY=bench-only-0123456789abcdefghijklmnopqrstuvwxyz DEBUG=0
	.venv/bin/python manage.py migrate --noinput -v0
	if [ -n "$(BENCH_QUICK)" ]; then
	  export BENCH_ROUNDS=$${BENCH_ROUNDS:-2} BENCH_SIZES=$${BENCH_SIZES:-20000}
	  export BENCH_EVENTS=$${BENCH_EVENTS:-20000} BENCH_CUSTOMERS=$${BENCH_CUSTOMERS:-1000}
	  export BENCH_DELIVERIES=$${BENCH_DELIVERIES:-2000} BENCH_USERS=$${BENCH_USERS:-5}
	  export BENCH_SECONDS=$${BENCH_SECONDS:-5}
	fi
	echo "machine: $$(nproc) cores, $$(free -h | awk '/^Mem:/ {print $$2}') memory; load $$(cut -d' ' -f1-3 /proc/loadavg)"
	for script in bench/*.py; do
	  [ "$$script" = bench/locustfile.py ] && continue
	  echo "== $$script ($$(date -u +%H:%M:%S) UTC, load $$(cut -d' ' -f1 /proc/loadavg)) =="
	  .venv/bin/python "$$script" || failed+=("$$script")
	done
	edits=$$( [ -n "$(BENCH_QUICK)" ] && echo 10 || echo 100 )
	echo "== concurrency suite: 20 editors × $$edits edits ($$(date -u +%H:%M:%S) UTC) =="
	CONCURRENCY_EDITS=$$edits DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python -m pytest -q -s \
	  -p no:cacheprovider tests/canvases/test_concurrency.py || failed+=(test_concurrency.py)

services-up:
	@if [ -f .services.env ]; then echo "already up (.services.env exists): make services-down first" >&2; exit 1; fi
	svc=$$(mktemp -d /tmp/engage-services.XXXXXX)
	tests/services.sh up "$$svc" >/dev/null || { tests/services.sh down "$$svc"; exit 1; }
	{ echo "# services dir: $$svc"; cat "$$svc/env"; } >.services.env
	cat .services.env
	echo "To use them in your shell:  set -a; . ./.services.env; set +a     (stop: make services-down)"

services-down:
	@[ -f .services.env ] || { echo "nothing to stop (no .services.env)"; exit 0; }
	tests/services.sh down "$$(sed -n 's/^# services dir: //p' .services.env)"
	rm -f .services.env
	echo "services stopped"

clean:
	rm -rf .venv staticfiles db.sqlite3
