# lambdacost — build, demo, test, bench.
GO      ?= go
BIN     := bin/lambdacost
PKGS    := ./...

.PHONY: build demo test bench assets clean docs man examples mutate

# The version printed by `lambdacost version`: the nearest tag, else the commit.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)

build:
	$(GO) build -ldflags "-X main.buildVersion=$(VERSION)" -o $(BIN) ./cmd/lambdacost

# Apache ECharts for the HTML reports: fetched from the npm registry at build
# time (version pinned here and in package.json/package-lock.json, tarball
# checked against its SHA-256), never committed, embedded by go:embed when
# present. A build without it still works (reports then say how to get it).
ECHARTS_VERSION := 6.1.0
ECHARTS_SHA256  := 681aff88cc1038c3fa941a3a53d1b177a52250b05335efc607d6105ae13be481
ASSETS_DIR      := reports/assets

assets: $(ASSETS_DIR)/echarts.min.js

$(ASSETS_DIR)/echarts.min.js: package.json package-lock.json
	@set -eu; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	tgz="$$tmp/echarts-$(ECHARTS_VERSION).tgz"; \
	(cd "$$tmp" && npm pack --silent --ignore-scripts --no-audit --no-fund echarts@$(ECHARTS_VERSION) >/dev/null); \
	echo "$(ECHARTS_SHA256)  $$tgz" | sha256sum --check --quiet - \
	  || { echo "assets: echarts-$(ECHARTS_VERSION).tgz does not match its pinned SHA-256" >&2; exit 1; }; \
	tar -xzf "$$tgz" -C "$$tmp" package/dist/echarts.min.js package/LICENSE package/NOTICE; \
	if grep -q -i '</script' "$$tmp/package/dist/echarts.min.js"; then \
	  echo "assets: echarts.min.js contains </script and cannot be inlined" >&2; exit 1; fi; \
	cp "$$tmp/package/LICENSE" $(ASSETS_DIR)/echarts-LICENSE; \
	cp "$$tmp/package/NOTICE" $(ASSETS_DIR)/echarts-NOTICE; \
	cp "$$tmp/package/dist/echarts.min.js" $@.tmp && mv $@.tmp $@; \
	echo "assets: echarts $(ECHARTS_VERSION) -> $@"

# The whole pipeline on embedded defaults, no AWS account needed: measure the
# built-in image-resize in the runner, simulate a spike, compare with EC2,
# print tables and write lambdacost-report.html.
# Without the npm registry the demo still runs; its report then has tables
# and says how to get the charts.
demo:
	@$(MAKE) --no-print-directory assets || echo "demo: echarts could not be fetched; the report will have no charts" >&2
	@$(MAKE) --no-print-directory build
	./$(BIN) demo

test: assets
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

# examples/bootstrap: a real aws-lambda-go handler (the runner's test
# function) for the run and tune examples in --help.
examples:
	CGO_ENABLED=0 $(GO) build -o examples/bootstrap ./testdata/runner/handlers/testfn

# The command reference, generated from the commands (a test keeps docs/cli
# in sync); man pages go to bin/man (not committed).
docs:
	$(GO) test ./cmd/lambdacost -run TestCLIDocsInSync -update

man: build
	./$(BIN) gen-docs --man --dir bin/man

clean:
	rm -rf bin

# Mutation testing (not part of `make test` or CI): apply each listed mutant
# of tools/mutate/mutants.txt in turn and run its package's tests; results
# and the reasons survivors are acceptable are in TESTING.md. One package:
# make mutate MUTATE_PKG=pricing
MUTATE_PKG ?=
mutate:
	$(GO) run ./tools/mutate -pkg '$(MUTATE_PKG)'
