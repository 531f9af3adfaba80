# pbxsec.hardening: the two commands of the README contract are `make demo` and `make test`.
# Both work on a fresh Debian 12 machine as root with only Python 3.11, git and make: they
# create the venv, install the pinned tool chain, make sure a Docker engine answers (installing
# and starting Debian's docker.io when none does) and build the test bed's images locally.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
COLLECTIONS := $(CURDIR)/.cache/collections
COLLECTION_LINK := $(COLLECTIONS)/ansible_collections/pbxsec/hardening
IMAGES := asterisk16 asterisk16-site asterisk22 asterisk22-site asterisk22-realtime asterisk22-wizard attacker freepbx16 freepbx17
SCENARIOS := asterisk16 asterisk22 network freepbx freepbx17 decommission

export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PYTHONPATH := $(COLLECTIONS)
export ANSIBLE_NOCOLOR := 1
export NO_COLOR := 1
export PY_COLORS := 0

.PHONY: help demo test bench docs unit lint sanity integration molecule images engine venv collection clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

demo: venv collection images ## Containerised fleet (Asterisk 16, 22, FreePBX): audit, attack, harden, attack again, re-audit
	tests/bed/demo.sh

test: unit lint sanity integration molecule ## Every test: unit and property tests, lint, sanity, playbook end to end, Molecule
	@echo "make test: all gates passed"

bench: venv collection images ## Benchmarks: audit vs ping, harden (check, real, second run) on N stock PBXs (N=20), engine throughput
	tests/bench/bench_audit.sh
	tests/bench/bench_harden.sh
	python tests/bench/bench_engine.py
	python tests/bench/bench_hostile.py

docs: venv ## Write the role READMEs' options sections, docs/controls.md and the README's control table
	python tests/docs/role_docs.py
	python tests/docs/control_docs.py

unit: venv collection ## Engine and module tests (pytest, hypothesis)
	python -m pytest -n 2 tests/unit

lint: venv ## ansible-lint, production profile
	tests/sanity/run-lint.sh

sanity: venv ## ansible-test sanity
	tests/sanity/run-sanity.sh

integration: venv collection images ## The harden playbook end to end on real Asterisk containers
	python -m pytest -q tests/integration

molecule: venv collection images ## Roles against real Asterisk in containers
	for scenario in $(SCENARIOS); do molecule --base-config .config/molecule/config.yml test --scenario-name "$$scenario"; done

images: engine ## Build (or reuse) the test bed's images
	tests/images/build.sh $(IMAGES)

engine: ## Make sure a Docker engine answers
	tests/bed/ensure-docker.sh

venv: $(VENV)/.installed ## The pinned Python tool chain

$(VENV)/.installed: requirements-dev.txt tests/bed/ensure-venv.sh
	tests/bed/ensure-venv.sh $(VENV) requirements-dev.txt
	touch $@

collection: $(COLLECTION_LINK)

$(COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR) $@

clean: ## Remove the venv, caches and test output (images stay)
	rm -rf $(VENV) .cache tests/output .pytest_cache .hypothesis
