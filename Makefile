# Breakup advisor: every step a target; `make help` lists them.
# Each target sets up what it needs (venv, packages, spaCy pipeline, model) on a fresh machine.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
# the libraries' start-up warnings filtered (server/quiet.py): `rasa`, and `python -m` for the pipeline
QUIET  := $(PY) -m server.quiet
RASA   := $(QUIET) rasa
UV     := $(VENV)/bin/uv
MODEL  := models/advisor.tar.gz
UV_VERSION := 0.9.30

export RASA_TELEMETRY_ENABLED := false

INSTALL_STAMP := $(VENV)/.installed
TRAIN_INPUTS  := config.yml $(wildcard domain/*.yml) $(shell find data -name '*.yml' 2>/dev/null) nlp/intent_classifier.py

.PHONY: help install pipeline train validate actions shell run test test-unit test-fast lint format test-conversations test-nlu bench clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

$(INSTALL_STAMP): requirements.txt constraints.txt scripts/find_python310.sh
	@if [ ! -x $(PY) ]; then \
	  py=$$(scripts/find_python310.sh); \
	  echo "Creating $(VENV) with $$py"; \
	  "$$py" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) pip install --quiet --python $(PY) -r requirements.txt -c constraints.txt
	@touch $@

install: $(INSTALL_STAMP) ## create .venv (Python 3.10) and install the pinned packages

pipeline: $(INSTALL_STAMP) ## build the spaCy pipeline (nlp/pipeline) when its patterns changed
	@$(QUIET) -m nlp.build_pipeline --if-stale

# What the running advisor reads: rebuilt for `make run`, `make shell` and `make run-server` when a
# pattern changed (a pattern is read at run time; the model needs no retraining for it).
PIPELINE_STAMP := nlp/pipeline/PATTERNS_SHA256
$(PIPELINE_STAMP): $(wildcard nlp/patterns/*.yml) nlp/names.yml nlp/build_pipeline.py | $(INSTALL_STAMP)
	@$(QUIET) -m nlp.build_pipeline --if-stale
	@touch $@

$(MODEL): $(TRAIN_INPUTS) $(INSTALL_STAMP)
	@$(MAKE) --no-print-directory pipeline
	$(RASA) train --domain domain --fixed-model-name advisor --out models --quiet
	@touch $@

train: $(MODEL) ## train the model when config, domain or data changed

validate: pipeline ## check domain, rules, stories and NLU data for conflicts
	$(PY) scripts/validate_data.py

actions: install ## serve the custom actions on :5055 (reloads edited advice content by itself)
	$(PY) -m ops.action_server --port 5055

shell: train $(PIPELINE_STAMP) ## chat in the terminal (starts the action server in the background)
	@scripts/with_action_server.sh $(RASA) shell --model $(MODEL) --quiet

# What users use: the web page with the advisor (action server, Rasa with the web widget's Socket.IO,
# REST and Telegram when TELEGRAM_* is set, and the page on WEB_PORT), until Ctrl-C (scripts/web_demo.sh).
run: train web $(PIPELINE_STAMP) ## set up everything and start the advisor: the web page on :8080 (and Telegram when TELEGRAM_* is set); prints the URL
	@scripts/web_demo.sh

# Every `rasa run` goes through ops/launch.py: Rasa's HTTP API is on only when
# ADVISOR_API_TOKEN or ADVISOR_JWT_SECRET is set, never without auth.
.PHONY: run-server retention
run-server: train $(PIPELINE_STAMP) ## the Rasa server on :5005 (REST, web widget, Telegram) with the action server; API only with ADVISOR_API_TOKEN/ADVISOR_JWT_SECRET
	@scripts/with_action_server.sh $(PY) -m ops.launch --model $(MODEL) --endpoints endpoints.yml \
	  --credentials credentials.yml --port $${RASA_PORT:-5005}

DAYS ?= 90
retention: install ## delete conversations idle for more than DAYS days (default 90; DRY_RUN=1 counts only), for cron
	$(PY) -m ops.retention --days $(DAYS) --endpoints endpoints.yml $(if $(DRY_RUN),--dry-run,)

# The website chat widget (web/): rasa-webchat from npm, pinned by web/package-lock.json, copied
# into web/vendor/ (git-ignored) without its Google Fonts @import, so the page loads nothing from
# a CDN. Debian's chromium runs the browser test (tests/test_web_widget.py).
WEB_BUNDLE     := web/vendor/rasa-webchat.js
WEB_NPM_STAMP  := web/node_modules/.package-lock.json
WEB_FONT_IMPORT := @import url(https://fonts.googleapis.com/css?family=Inter:400,500,700&display=swap);
.PHONY: web web-demo chromium nginx scale-out scale-out-stop

$(WEB_NPM_STAMP): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "The chat page needs Node.js and npm, to install its widget" \
	  "(Debian: apt-get install nodejs npm). The terminal chat needs neither: make shell" >&2; exit 1; }
	cd web && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

$(WEB_BUNDLE): $(WEB_NPM_STAMP) | $(INSTALL_STAMP)
	@mkdir -p web/vendor
	@WEB_FONT_IMPORT='$(WEB_FONT_IMPORT)' $(PY) -c 'import os,sys; s=open(sys.argv[1], encoding="utf-8").read(); s=s.replace(os.environ["WEB_FONT_IMPORT"], ""); assert "fonts.googleapis" not in s, "the widget still loads Google Fonts"; open(sys.argv[2], "w", encoding="utf-8").write(s)' \
	  web/node_modules/rasa-webchat/lib/index.js $@.tmp
	@cp web/node_modules/rasa-webchat/LICENSE web/vendor/rasa-webchat.LICENSE
	@mv $@.tmp $@
	@echo "web: $@ (rasa-webchat $$(node -p 'require("./web/node_modules/rasa-webchat/package.json").version'))"

web: $(WEB_BUNDLE) ## install the chat widget (npm ci in web/) and copy its bundle to web/vendor/

chromium: ## install Debian's chromium for the browser test, when it is missing (needs root)
	@[ -x /usr/bin/chromium ] || { \
	  echo "Installing Debian's chromium for the browser test"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } \
	  || { echo "Could not install chromium (apt-get needs root): install Debian's chromium package" >&2; exit 1; }; }

nginx: ## install Debian's nginx-light for the scale-out profile, when nginx is missing (needs root)
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { \
	  echo "Installing Debian's nginx-light for the scale-out profile"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  { apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null; } \
	  || { echo "Could not install nginx (apt-get needs root): install Debian's nginx-light package" >&2; exit 1; }; }

# The scale-out profile (docs/deploy.md): PostgreSQL, Redis, the action server, ADVISOR_INSTANCES
# Rasa instances (2) and nginx in front; configured by ADVISOR_* environment variables.
scale-out: train nginx ## start the scale-out profile (PostgreSQL, Redis, 2 Rasa instances, nginx); prints the URL
	@$(PY) -m ops.scale_out start

scale-out-stop: ## stop the processes `make scale-out` started (leaves PostgreSQL and Redis running)
	@$(PY) -m ops.scale_out stop

web-demo: run ## the same as `make run`

# Two pytest-xdist workers, a test file to each (`--dist loadfile`: a module's server stack stays
# in one worker; tests/conftest.py sends the files that use one shared stack to the same worker, so
# it starts once): most of the time is server start-ups and waits, which two cores overlap. Files
# that share a database or port would clash, so each uses its own (tests/postgres.py, free ports).
UNIT_WORKERS ?= 2
test-unit: pipeline train web chromium nginx ## pytest: content, actions, patterns, consistency, end-to-end bad input
	$(PY) -m pytest -n $(UNIT_WORKERS) --dist loadfile --durations=25

test-conversations: train ## conversation tests (tests/conversations) with rasa test
	$(RASA) test core --model $(MODEL) --stories tests/conversations \
	  --fail-on-prediction-errors --out results/conversations --quiet

test-nlu: train ## held-out NLU test set; per-intent report and a minimum score
	$(RASA) test nlu --model $(MODEL) --domain domain --nlu tests/nlu --out results/nlu --quiet
	$(PY) scripts/nlu_report.py results/nlu/intent_report.json

# The inner loop: no servers, no root, no apt or npm (the tests that start servers or processes
# are marked `e2e` by tests/conftest.py). `make test` runs them all. Two pytest-xdist workers: a
# third of the time goes to importing Rasa and TensorFlow, which one process cannot share out.
FAST_WORKERS ?= 2
test-fast: pipeline train ## the quick tests (under 90 s on 2 cores): no servers, browser or database
	$(PY) -m pytest -m "not e2e" -q -n $(FAST_WORKERS)

lint: install ## ruff (configured in pyproject.toml): lint, and the code's layout (`make format` writes it)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## write the code's layout with ruff format (what `make lint` checks)
	$(VENV)/bin/ruff format .


# End to end over REST, on one server stack: the dialogues of tests/dialogues/ (transcripts in
# results/transcripts/) and the realistic set's test part, whose targets are enforced
# (results/realistic/test.md). Against a running advisor: scripts/transcripts.py --url URL --token T.
.PHONY: transcripts test-realistic
transcripts: train ## play tests/dialogues/ and the realistic test set against the advisor; transcripts in results/transcripts/
	$(PY) scripts/transcripts.py --realistic test

PART ?= test
test-realistic: train ## the realistic set's first messages (PART=test, enforced; PART=dev) against the advisor
	$(PY) scripts/realistic_eval.py --part $(PART)

# The three checks of the model and its data each import Rasa and run on one core: side by side
# (make -j3; each one's output printed whole when it ends), after the training they share. Then
# pytest, with the transcripts beside it (their one server stack fills the cores pytest's waits
# leave idle), their output kept in results/transcripts.log and printed once pytest is done. A
# failed step fails `make test`, once the steps beside it have ended, and is named on the last line.
MODEL_CHECKS := validate test-conversations test-nlu
test: lint ## set up, then run every test
	@$(MAKE) --no-print-directory train pipeline web chromium nginx
	@$(MAKE) --no-print-directory -j3 -k --output-sync=target $(MODEL_CHECKS) \
	  || { echo "make test: FAILED in one of: $(MODEL_CHECKS) (its error is above)" >&2; exit 1; }
	@mkdir -p results; \
	  $(MAKE) --no-print-directory transcripts > results/transcripts.log 2>&1 & side=$$!; \
	  unit=0; $(MAKE) --no-print-directory test-unit || unit=$$?; \
	  transcripts=0; wait $$side || transcripts=$$?; \
	  echo; echo "==== make transcripts (ran beside test-unit; results/transcripts.log) ===="; \
	  cat results/transcripts.log; \
	  failed="$$([ $$unit = 0 ] || echo -n 'test-unit ')$$([ $$transcripts = 0 ] || echo -n transcripts)"; \
	  if [ -n "$$failed" ]; then echo "make test: FAILED: $$failed (its output is above)" >&2; exit 1; fi; \
	  echo "make test: every step passed"

# Not part of `make test`: several minutes (it trains both assistants). QUICK=1: fewer turns, and
# the models trained by an earlier run in bench/work/ are reused. REUSE=1: all the turns, models reused.
bench: install ## benchmark against stock `rasa init` and a bare echo; table in bench/results/ and docs/bench.md
	$(PY) bench/run.py $(if $(QUICK),--quick) $(if $(REUSE),--reuse-models)

clean: ## remove trained models, the built pipeline and test results (keeps .venv)
	rm -rf models/*.tar.gz models/.trained nlp/pipeline web/vendor results .pytest_cache
