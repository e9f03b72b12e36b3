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

# The parsers of limber's own formats, briefly; go test -fuzz takes one
# target at a time.
fuzz:
	$(GO) test ./player -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime 10s
	$(GO) test ./cues -run '^$$' -fuzz '^FuzzParseManifest$$' -fuzztime 5s
	$(GO) test ./player -run '^$$' -fuzz '^FuzzParseKeys$$' -fuzztime 5s

# The audio decoders (third-party code behind limber's guards) need longer
# runs than CI has; their seeds run with every go test. Run by hand.
fuzz-decoders:
	$(GO) test ./audio -run '^$$' -fuzz '^FuzzOpen$$' -fuzztime 5m

test: deps vet
	CGO_ENABLED=0 $(GO) build ./...
	$(GO) test ./...
	$(MAKE) fuzz

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin
