# limber: make demo builds limber and plays the built-in upper-back routine
# (or, with no sound card, exports it to upper-back.wav); make test runs
# every check CI runs. Both install what is missing first.

GO ?= go
BIN := bin/limber

.PHONY: all deps build demo test vet fuzz fuzz-decoders bench clean

all: build

deps:
	bash scripts/deps.sh

build: deps
	$(GO) build -o $(BIN) ./cmd/limber

demo: build
	bash scripts/demo.sh $(BIN)

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting" >&2; exit 1; }
	$(GO) vet ./...
	$(GO) mod tidy -diff

# Every parser of outside input, briefly. Budgets are counts of inputs,
# not durations: a -fuzztime duration races Go's fuzz coordinator
# (golang/go#75804, unfixed in Go 1.26) and fails now and then with
# "context deadline exceeded" and no failing input. go test -fuzz takes
# one target at a time.
FUZZ = $(GO) test -run '^$$' -timeout 5m
fuzz:
	$(FUZZ) ./player/routine -fuzz '^FuzzLoad$$' -fuzztime 200000x
	$(FUZZ) ./audio -fuzz '^FuzzOpen$$' -fuzztime 40000x
	$(FUZZ) ./cues -fuzz '^FuzzParseManifest$$' -fuzztime 20000x
	$(FUZZ) ./player -fuzz '^FuzzParseKeys$$' -fuzztime 50000x
	$(FUZZ) ./cues -fuzz '^FuzzParseCommand$$' -fuzztime 20000x
	$(FUZZ) ./cues -fuzz '^FuzzCacheEntry$$' -fuzztime 20000x
	$(FUZZ) ./cues -fuzz '^FuzzPhraseID$$' -fuzztime 20000x
	$(FUZZ) ./cmd/limber -fuzz '^FuzzParseConfig$$' -fuzztime 20000x

# A longer run of the audio decoders (third-party code behind limber's
# guards), by hand.
fuzz-decoders:
	$(FUZZ) ./audio -fuzz '^FuzzOpen$$' -fuzztime 1000000x

test: deps vet
	CGO_ENABLED=0 $(GO) build ./...
	$(GO) test ./...
	$(MAKE) fuzz

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin
