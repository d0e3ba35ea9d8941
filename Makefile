# NOXH — the only entry point. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3.11
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := python3 -m uv
endif
RUN := $(UV) run --frozen --no-sync
PYTEST := $(RUN) pytest
SERVICES := registry-api funding-api inspection-api

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: install
install: ## Create the environment (uv, Python packages, frontend) from the lock files
	@python3 -m uv --version >/dev/null 2>&1 || command -v uv >/dev/null 2>&1 || python3 -m pip install -q "uv==$(UV_VERSION)"
	@$(UV) sync --frozen --all-packages -q
	@if [ -f frontend/package-lock.json ]; then cd frontend && npm ci --no-audit --no-fund --loglevel=error; fi

.PHONY: run
run: install ## Start everything (PostgreSQL, issuer, services, gateway, SPA) on http://127.0.0.1:8000
	@if [ -f frontend/package.json ]; then cd frontend && npm run --silent build; fi
	@$(RUN) noxh run

.PHONY: stop
stop: ## Stop every process `make run` started, the embedded PostgreSQL included
	@$(RUN) noxh stop

.PHONY: reset-data
reset-data: ## Stop, then delete the embedded database and generated dev secrets (.data/)
	@$(RUN) noxh reset-data

.PHONY: token
token: ## Print a token for scripts: make token ROLE=inspector [AUD=registry-api]
	@$(RUN) noxh token --role "$(ROLE)" $(if $(AUD),--audience "$(AUD)",)

.PHONY: fmt
fmt: ## Format and fix what ruff can
	@$(RUN) ruff format .
	@$(RUN) ruff check --fix .

.PHONY: lint
lint: ## ruff (format check and lint) and the import rules
	$(RUN) ruff format --check .
	$(RUN) ruff check .
	$(RUN) lint-imports

.PHONY: typecheck
typecheck: ## mypy --strict over libs, services and tools
	$(RUN) mypy libs/servicekit/src libs/devstack/src services/registry-api/src services/funding-api/src services/inspection-api/src tools/dev-issuer/src

.PHONY: openapi
openapi: ## Regenerate each service's committed openapi.json and the SPA's API types from them
	$(RUN) python scripts/openapi.py write
	@if [ -f frontend/package.json ]; then cd frontend && npm run --silent gen:api; fi

.PHONY: openapi-check
openapi-check: ## Fail when a committed openapi.json is stale or breaks its released document
	$(RUN) python scripts/openapi.py check
	$(RUN) python scripts/openapi_compat.py check

.PHONY: openapi-release
openapi-release: openapi-check ## Release step: the current openapi.json files become the released ones
	$(RUN) python scripts/openapi_compat.py release

.PHONY: migration
migration: ## New migration: make migration SERVICE=registry-api m="create household"
	cd services/$(SERVICE) && $(RUN) alembic revision --autogenerate -m "$(m)"

.PHONY: test-python
test-python: ## Every Python package's tests and the system test (real PostgreSQL, real gateway)
	@set -e; trap '$(RUN) noxh pg stop --test >/dev/null 2>&1 || true' EXIT; \
	for dir in libs/servicekit/tests libs/devstack/tests tools/dev-issuer/tests $(addsuffix /tests,$(addprefix services/,$(SERVICES))) tests; do \
	  if [ -d "$$dir" ] && [ -n "$$(find "$$dir" -name 'test_*.py' -print -quit)" ]; then \
	    echo "== $$dir"; $(PYTEST) -q "$$dir"; \
	  fi; \
	done

.PHONY: fuzz
fuzz: ## Long Schemathesis run, every operation of the three services in-process (FUZZ_EXAMPLES=100 each), and the stateful run over the OpenAPI links (500 scenarios each)
	@set -e; trap '$(RUN) noxh pg stop --test >/dev/null 2>&1 || true' EXIT; \
	REL_FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),100) REL_FUZZ_LONG=1 $(PYTEST) -q --timeout=7200 -k "fuzz or stateful" tests/reliability

.PHONY: faults
faults: ## Long fault run under a write load (kill -9, PostgreSQL restart, black hole, full disk; FAULTS_ROUNDS=3)
	FAULTS_LONG=1 FAULTS_REPORT=$(or $(FAULTS_REPORT),$(CURDIR)/.data/faults-report.json) $(PYTEST) -q tests/faults

.PHONY: test-frontend
test-frontend: ## The SPA's type check, unit tests and browser tests (headless Chromium)
	@if [ -f frontend/package.json ]; then cd frontend && npm run --silent check && npm run --silent test; else echo "no frontend yet"; fi

.PHONY: bench
bench: ## Benchmarks at province scale (1M households; bench/README.md): tables and bench/results/*.json
	$(RUN) python -m bench.run $(BENCH_ARGS)

.PHONY: bench-smoke
bench-smoke: ## The benchmark harness end to end on a tiny province (asserts nothing about speed)
	$(RUN) python -m bench.run --smoke

.PHONY: test-python-and-bench-smoke
test-python-and-bench-smoke: ## test-python, with bench-smoke beside it on the other core (its own PostgreSQL); its log after
	@log=$$(mktemp); \
	( $(MAKE) --no-print-directory bench-smoke >"$$log" 2>&1; echo $$? >"$$log.rc" ) & \
	smoke=$$!; status=0; $(MAKE) --no-print-directory test-python || status=$$?; wait $$smoke; \
	echo "== bench-smoke (ran beside the Python tests)"; cat "$$log"; rc=$$(cat "$$log.rc"); \
	rm -f "$$log" "$$log.rc"; test "$$status" -eq 0 && test "$$rc" -eq 0

.PHONY: test
test: install lint typecheck openapi-check test-python-and-bench-smoke test-frontend ## Everything CI runs
	@echo "make test: all checks passed"
