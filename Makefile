# ginclerk's developer commands. `make run` and `make test` are the two the
# README promises work on a fresh machine, with no Clerk account and no network
# beyond the Go module proxy.
GO      ?= go
PKGS    := ./...
BENCH   ?= .
BENCHTIME ?= 1s
COUNT   ?= 6

.PHONY: run test vet

# RUNBIN is where `make run` builds the example. It runs the binary rather
# than `go run` it: go run exits 1 after any SIGINT, whatever its program
# returns, so a clean Ctrl-C shutdown would end in make's "Error 1".
RUNBIN ?= $(or $(TMPDIR),/tmp)/ginclerk-example

## run: start the example API (embedded dev issuer unless CLERK_* keys are set)
run:
	$(GO) build -o $(RUNBIN) ./example
	$(RUNBIN)

## test: vet, race-enabled tests, and the example build
# The stack test runs again without the race detector, which doubles every
# frame: only there do its sizes mean what they mean in production.
test: vet
	$(GO) test -race -count=1 $(PKGS)
	$(GO) test -count=1 -run '^TestFirstSightFitsTheFloorsStack$$' .
	$(GO) build -o /dev/null ./example

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt needed"; exit 1; }
	$(GO) vet $(PKGS)

# Benchmarks. The test binary is built once and the whole suite runs COUNT
# times in interleaved rounds, so every round measures the baselines (a bare
# route, the stdlib floor middleware) next to the paths under test;
# benchratio prints medians and per-round ratios, and checks every target,
# printing PASS or FAIL for each. Time targets use the Paired benchmarks,
# which alternate small batches of a path and its baseline within one
# benchmark: on a shared machine, a ratio between two benchmarks run
# seconds apart measures the neighbours' load as much as the code.
BENCHDIR   ?= $(or $(TMPDIR),/tmp)/ginclerk-bench
BENCHRATIO := $(BENCHDIR)/benchratio
BENCH_TARGETS := '-target=PairedWarm:m:x-bare<=1.5' '-target=WarmToken:allocs-bare<=4' \
	'-target=PairedParallelWarm:m:x-bare<=1.5' '-target=ParallelWarm:allocs-bare<=4' \
	'-target=PairedFirstSight:m:x-floor<=1.0' '-target=FirstSight:allocs<=30' \
	'-target=PairedColdToken:m:x-floor<=1.0' '-target=ColdToken:allocs<=30' \
	'-target=ForgedReplay:x:ForgedNoCache<=0.5' '-target=WarmAPIKey:x:WarmToken<=2'
COMPARE_TARGETS := '-target=PairedColdVsFloor:m:x-floor<=1.0' '-target=GinclerkCold:allocs<=30' \
	'-target=PairedColdVsClerkSDK:m:x-clerksdk<=0.333' '-target=PairedWarmVsBare:m:x-bare<=1.5' \
	'-target=GinclerkWarm:allocs-bare<=4'
LOAD_DURATION ?= 5s
LOAD_CONNS    ?= 64
LOAD_SLICE    ?= 250ms
# rounds DIR BINARY: run BINARY (built in DIR) COUNT times, one round each.
rounds = cd $(1) && for i in $$(seq $(COUNT)); do \
	$(2) -test.run '^$$' -test.bench '$(BENCH)' -test.benchmem -test.benchtime $(BENCHTIME) -test.count 1; done

.PHONY: bench bench-compare load benchratio

benchratio:
	@mkdir -p $(BENCHDIR)
	$(GO) build -o $(BENCHRATIO) ./internal/cmd/benchratio

## bench: hot-path benchmarks (cold, warm, parallel, error paths, the
## payload-size series) with the floor middleware and a bare route as in-run
## baselines, printing ratios and PASS/FAIL per target
bench: benchratio
	$(GO) test -c -o $(BENCHDIR)/ginclerk.test .
	($(call rounds,.,$(BENCHDIR)/ginclerk.test)) 2>&1 | $(BENCHRATIO) -echo $(BENCH_TARGETS)

## bench-compare: ginclerk next to clerk-sdk-go v2 and jwx v2 on the same
## token (module ./bench, kept out of the library's go.mod and `make test`)
bench-compare: benchratio
	cd bench && $(GO) test -c -o $(BENCHDIR)/compare.test .
	($(call rounds,bench,$(BENCHDIR)/compare.test)) 2>&1 | $(BENCHRATIO) -echo $(COMPARE_TARGETS)

## load: loopback HTTP load run (127.0.0.1 only, LOAD_DURATION measured per
## target in turns of LOAD_SLICE that alternate between the targets,
## LOAD_CONNS connections): req/s and p50/p99 per middleware, then the load
## criteria, PASS or FAIL
load:
	cd bench && $(GO) run ./cmd/load -duration $(LOAD_DURATION) -conns $(LOAD_CONNS) -slice $(LOAD_SLICE)

# Hostile input, fuzzing and load.
FUZZTIME      ?= 30s
FUZZTIME_CI   ?= 2000x
SOAK_DURATION ?= 60s
SOAK_WORKERS  ?= 16
STATICCHECK   ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: fuzz fuzz-ci soak lint

## fuzz: run every fuzz target of every package for FUZZTIME each (targets
## are discovered with `go test -list`, so new ones join automatically)
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
		list=$$($(GO) test -list '^Fuzz' $$pkg); \
		for target in $$(echo "$$list" | grep '^Fuzz' || true); do \
			echo "== $$target ($$pkg, $(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

## fuzz-ci: every fuzz target for a bounded number of inputs (a count, not a
## duration: a duration that ends while a worker is busy fails the run with
## "context deadline exceeded"), so regressions surface in CI
fuzz-ci:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME_CI)

## soak: the load-and-flapping soak test for SOAK_DURATION with SOAK_WORKERS
## (`go test` runs it for 2 s)
soak:
	SOAK_DURATION=$(SOAK_DURATION) SOAK_WORKERS=$(SOAK_WORKERS) \
		$(GO) test -run '^TestSoak$$' -count=1 -v -timeout 0 .

## lint: gofmt, go vet and staticcheck (pinned; fetched through the Go
## module proxy on first use)
lint: vet
	$(GO) run $(STATICCHECK) $(PKGS)
