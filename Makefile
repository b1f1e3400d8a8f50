# Breakup advisor: every step a target; `make help` lists them.
# Each target sets up what it needs (venv, packages, spaCy pipeline, model) on a fresh machine.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
RASA   := $(VENV)/bin/rasa
UV     := $(VENV)/bin/uv
MODEL  := models/advisor.tar.gz
UV_VERSION := 0.9.30

export TF_CPP_MIN_LOG_LEVEL := 3
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONWARNINGS := ignore::DeprecationWarning

INSTALL_STAMP := $(VENV)/.installed
TRAIN_INPUTS  := config.yml $(wildcard domain/*.yml) $(shell find data -name '*.yml' 2>/dev/null)

.PHONY: help install pipeline train validate actions shell run test test-unit test-conversations test-nlu clean

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
	@$(PY) -m nlp.build_pipeline --if-stale

$(MODEL): $(TRAIN_INPUTS) $(INSTALL_STAMP)
	@$(MAKE) --no-print-directory pipeline
	$(RASA) train --domain domain --fixed-model-name advisor --out models --quiet
	@touch $@

train: $(MODEL) ## train the model when config, domain or data changed

validate: pipeline ## check domain, rules, stories and NLU data for conflicts
	$(PY) scripts/validate_data.py

actions: install ## serve the custom actions on :5055 (reloads edited advice content by itself)
	$(RASA) run actions --actions actions

shell: train ## chat in the terminal (starts the action server in the background)
	@scripts/with_action_server.sh $(RASA) shell --model $(MODEL) --quiet

run: shell ## set up everything and start the advisor (a terminal chat for now)

test-unit: pipeline train ## pytest: content, actions, patterns, consistency, end-to-end bad input
	$(PY) -m pytest

test-conversations: train ## conversation tests (tests/conversations) with rasa test
	$(RASA) test core --model $(MODEL) --stories tests/conversations \
	  --fail-on-prediction-errors --out results/conversations --quiet

test-nlu: train ## held-out NLU test set; per-intent report and a minimum score
	$(RASA) test nlu --model $(MODEL) --domain domain --nlu tests/nlu/test_nlu.yml --out results/nlu --quiet
	$(PY) scripts/nlu_report.py results/nlu/intent_report.json

test: validate test-conversations test-nlu test-unit ## set up, then run every test

clean: ## remove trained models, the built pipeline and test results (keeps .venv)
	rm -rf models/*.tar.gz models/.trained nlp/pipeline results .pytest_cache
