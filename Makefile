# Licheng (歷程): the commands a developer and CI use. `make help` lists them.
# Debian's python3.11 where it can make a venv: Debian builds it with profile-guided and
# link-time optimisation, linked statically; pyenv's default build has neither and spends about
# 10% more CPU on an upload (docs/deploy.md). Otherwise the python3.11 on PATH.
PYTHON ?= $(shell /usr/bin/python3.11 -c 'import ensurepip, venv' 2>/dev/null \
	&& echo /usr/bin/python3.11 || echo python3.11)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8000
BENCH  ?=
# mypy: the domain layers (STYLE habit 10) and the dev tooling, all typed.
MYPY_PATHS := $(wildcard licheng/*/domain licheng/*/domain.py) \
	licheng/devtools/pgcluster.py licheng/devtools/testrun.py licheng/devtools/bench/__main__.py \
	licheng/ops/snapshot.py licheng/devtools/prod.py licheng/devtools/security.py

.PHONY: help venv test demo prod lint security bench messages

help:
	@echo "make demo [PORT=8000]   migrate, load demo data, serve on 127.0.0.1:PORT"
	@echo "make test               whole suite on SQLite (+ browser), then on PostgreSQL 15"
	@echo "make prod [PORT=8000 WORKERS=2]  PostgreSQL + S3 stand-in + gunicorn + task worker"
	@echo "make lint               ruff check, ruff format --check, mypy, make security"
	@echo "make security           bandit on the code, pip-audit on the pinned dependencies"
	@echo "make bench [BENCH=name] run benchmarks, rewrite BENCHMARKS.md"
	@echo "make messages           makemessages -l en, compilemessages"

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever pyproject.toml changes (new or bumped pins).
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

test: venv
	$(PY) -m licheng.devtools.testrun

# Links in the demo's e-mails (var/mail/) must point at the port it serves on.
demo: export LICHENG_SITE_URL ?= http://127.0.0.1:$(PORT)
demo: venv
	@mkdir -p var/static  # SQLite, mail, files live in var/ (git-ignored); whitenoise wants static/
	$(PY) manage.py migrate --no-input
	@# The .mo files are committed; recompile only where gettext is installed.
	@if command -v msgfmt >/dev/null && [ -d licheng/locale ]; then \
		$(PY) manage.py compilemessages --ignore '.venv' --ignore 'var' -v 0; fi
	$(PY) manage.py load_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/  (mail goes to var/mail/)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

prod: export LICHENG_SITE_URL ?= http://127.0.0.1:$(PORT)
prod: venv
	$(PY) -m licheng.devtools.prod --port $(PORT) --workers $(or $(WORKERS),2)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $(MYPY_PATHS)
	$(MAKE) --no-print-directory security

security: venv
	$(PY) -m licheng.devtools.security

bench: venv
	$(PY) -m licheng.devtools.bench $(BENCH)

messages: venv
	$(PY) manage.py makemessages -l en --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages --ignore '.venv' --ignore 'var'
