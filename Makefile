# ginclerk's developer commands. `make run` and `make test` are the two the
# README promises work on a fresh machine, with no Clerk account and no network
# beyond the Go module proxy.
GO      ?= go
PKGS    := ./...
BENCH   ?= .
BENCHTIME ?= 1s
COUNT   ?= 6

.PHONY: run test vet bench

## run: start the example API (embedded dev issuer unless CLERK_* keys are set)
run:
	$(GO) run ./example

## test: vet, race-enabled tests, and the example build
test: vet
	$(GO) test -race -count=1 $(PKGS)
	$(GO) build -o /dev/null ./example

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt needed"; exit 1; }
	$(GO) vet $(PKGS)

## bench: hot-path benchmarks with in-run baselines
bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -benchtime $(BENCHTIME) -count $(COUNT) .
