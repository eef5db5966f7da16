# lambdacost — build, demo, test, bench.
GO      ?= go
BIN     := bin/lambdacost
PKGS    := ./...

.PHONY: build demo test bench assets clean

build:
	$(GO) build -o $(BIN) ./cmd/lambdacost

# The main job on embedded defaults: no AWS account needed.
demo: build
	./$(BIN) estimate --requests 3000000 --duration 120ms --memory 1536 --free-tier --arch both

test:
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

clean:
	rm -rf bin
