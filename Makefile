# gotl: NLP transfer learning in Go, taught in Jupyter notebooks (GoNB kernel).
#
# Every target is idempotent; run `make` (or `make help`) to list them.

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))

# GoMLX's pure-Go backend needs the SIMD experiment: every build and test uses it.
export GOEXPERIMENT := simd
# Under GOEXPERIMENT=simd, Go 1.26's signal-based (asynchronous) preemption makes math.Exp, and
# every GoMLX op that calls it, up to 100x slower; goroutines are still preempted at calls.
comma := ,
export GODEBUG := $(if $(GODEBUG),$(GODEBUG)$(comma))asyncpreemptoff=1

# The dataset mirror: $TLKIT_DATA when set, otherwise ../shared/data when it exists.
SHARED_DATA := $(abspath $(ROOT)/../shared/data)
ifeq ($(origin TLKIT_DATA),undefined)
  ifneq ($(wildcard $(SHARED_DATA)/.),)
    export TLKIT_DATA := $(SHARED_DATA)
  endif
endif

# Port for `make notebooks`.
PORT ?= 8888
export PORT
# Notebooks to execute (default: every notebooks/*.ipynb), e.g. NOTEBOOKS=notebooks/00-tour.ipynb.
NOTEBOOKS ?=
# Extra flags for `go test`, e.g. GOTESTFLAGS='-run TestX -v'.
GOTESTFLAGS ?=
# How long `make fuzz` runs each fuzz target.
FUZZTIME ?= 30s

.DEFAULT_GOAL := help
.PHONY: help setup notebooks test vet go-test notebooks-quick run-notebooks site fuzz bench

help: ## List the targets.
	@echo "Usage: make TARGET   (GOEXPERIMENT=$(GOEXPERIMENT), GODEBUG=$(GODEBUG), TLKIT_DATA=$(or $(TLKIT_DATA),<unset>))"
	@echo
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "} {printf "  %-16s %s\n", $$1, $$2}'

setup: ## Install Jupyter, the GoNB kernel (+goimports, gopls) and npm assets; skips what is done.
	@$(ROOT)/.ci/setup.sh

notebooks: setup ## Serve the notebooks in Jupyter at http://127.0.0.1:8888/ (PORT=... to change the port).
	@$(ROOT)/.ci/notebooks.sh serve

test: setup vet go-test notebooks-quick ## Setup if needed, then go vet, go test and every notebook in quick mode.

vet: ## Run go vet ./...
	go vet ./...

go-test: ## Run go test ./... (GOTESTFLAGS=... for extra flags), the tests of gotl's patch to third_party/compute, and a few packages again without OpenBLAS.
	go test $(GOTESTFLAGS) ./...
	cd third_party/compute && go test $(GOTESTFLAGS) ./internal/gobackend/ops/ ./internal/gobackend/dot/...
	GOMLX_DOT_BLAS=false go test $(GOTESTFLAGS) -count=1 ./internal/backend/ ./tlkit/bert/ ./tlkit/train/

notebooks-quick: ## Execute the notebooks headlessly in quick mode (TLKIT_QUICK=1); outputs to out/notebooks/.
	@$(ROOT)/.ci/notebooks.sh execute --quick $(NOTEBOOKS)

run-notebooks: ## Execute the notebooks in full mode and save their outputs in place.
	@$(ROOT)/.ci/notebooks.sh execute --full $(NOTEBOOKS)

site: setup ## Render every notebook with its saved outputs to HTML in out/site/, with an index page (nothing is executed).
	@cd $(ROOT) && /usr/bin/python3 .ci/site.py --out out/site $(NOTEBOOKS)

bench: ## Benchmarks side by side: training step vs PyTorch CPU, inference vs TF.js; out/bench/results.md.
	@$(ROOT)/bench/run.sh $(if $(BENCH_QUICK),--quick)

fuzz: ## Run every fuzz target (func FuzzXxx) for FUZZTIME each (default 30s), e.g. make fuzz FUZZTIME=2m.
	@for pkg in $$(go list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}:{{.Dir}}{{end}}' ./...); do \
		for target in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $${pkg#*:}/*_test.go | sed 's/^func //'); do \
			echo "fuzz: $${pkg%%:*} $$target ($(FUZZTIME))"; \
			go test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) $${pkg%%:*} || exit 1; \
		done; \
	done
