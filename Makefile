# Routewarden — the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
BIN     ?= bin/routewarden
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
ADDR    ?= 127.0.0.1:8080

.PHONY: run build test lint bench load clean

## run: build, migrate, seed the labelled demo and serve on http://$(ADDR)
run: build
	./$(BIN) serve --demo --addr $(ADDR)

## build: the single binary
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/routewarden

## test: every test (set ROUTEWARDEN_TEST_POSTGRES for the PostgreSQL store tests,
## ROUTEWARDEN_REQUIRE_ALL=1 to fail instead of skip when a tool or service is missing)
test:
	$(GO) test -timeout 9m ./...

## lint: gofmt, go vet, staticcheck when installed
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@if command -v staticcheck >/dev/null 2>&1; then staticcheck ./...; else echo "staticcheck not installed; skipped"; fi

## bench: Go benchmarks and the side-by-side origin-validation run against rpki-validator
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...
	@if [ -x .ci/bench-rov ]; then .ci/bench-rov; fi

## load: req/s, p50/p99 and errors of the main pages, portal autosave and API writes on throw-away
## databases over loopback: SQLite, and PostgreSQL when ROUTEWARDEN_TEST_POSTGRES is set (or
## LOAD_ARGS=--db=postgres://…). Each scenario runs LOAD_DURATION. Never part of `make test`.
LOAD_DURATION ?= 20s
load: build
	./$(BIN) load --duration $(LOAD_DURATION) $(LOAD_ARGS)

clean:
	rm -rf bin
