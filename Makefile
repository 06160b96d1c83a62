# iacscan developer tasks. Everything a test needs is installed by these targets or by
# `go test` itself (modules come from the Go module proxy); nothing is installed by hand.

GO          ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME    ?= 10s
BENCHTIME   ?= 5x
BENCHCOUNT  ?= 6
BENCHOUT    ?= bench.txt
# benchstat compares repeated benchmark runs; golang.org/x/perf has no release tags, so
# it is pinned to a pseudo-version.
BENCHSTAT   := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da

.PHONY: build test test-long lint bench benchstat fuzz install release clean

# CGO_ENABLED=0, as the release and the container image build: iacscan resolves no host
# name, and a static binary starts without the dynamic loader and libc (about 2.5 MiB less
# memory, a pre-commit run's included).
build:
	CGO_ENABLED=0 $(GO) build -o bin/iacscan ./cmd/iacscan

## test: every unit, golden and end-to-end test, in well under a minute on 2 cores. -short
## bounds the exhaustive patcher sweeps to a sample and skips the external tools
## (terraform fmt and cfn-lint oracles, actionlint, pre-commit): test-long runs those.
test:
	$(GO) test -count=1 -short ./...

## test-long: the whole suite without -short: the full sweeps and every external oracle
## that is installed. CI (.ci/run) runs it after test.
test-long:
	$(GO) test -count=1 -timeout 20m ./...

## lint: gofmt, go vet and staticcheck (pinned) must all be clean.
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## bench: parser benchmarks, the generated-corpus scan (10,000 and 20,000 resources), the
## module-shaped corpus (examples instantiating the same local modules) and the linearity
## ratios of both (2x corpus), each BENCHCOUNT times, into BENCHOUT for benchstat.
## IACSCAN_BENCH_DIR=DIR adds a scan of DIR (BenchmarkScanDir).
bench:
	@$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(BENCHCOUNT) ./bench/ ./parsers/... > $(BENCHOUT); \
	status=$$?; cat $(BENCHOUT); exit $$status

## benchstat: summarise BENCHOUT, or compare two runs: make benchstat OLD=before.txt
benchstat:
	$(GO) run $(BENCHSTAT) $(OLD) $(BENCHOUT)

## fuzz: a short smoke run of every fuzz target (go test -fuzz takes one target at a time).
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for target in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$target"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

install:
	CGO_ENABLED=0 $(GO) install ./cmd/iacscan

## release: the release assets of VERSION (a tag such as v1.2.3) in dist/.
release:
	@test -n "$(VERSION)" || { echo "usage: make release VERSION=v1.2.3"; exit 2; }
	scripts/release.sh $(VERSION) dist

clean:
	rm -rf bin dist
