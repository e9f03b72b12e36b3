# limber: make demo builds limber and plays the built-in upper-back routine
# (or, with no sound card, exports it to upper-back.wav); make test runs
# every check CI runs. Both install what is missing first.

GO ?= go
BIN := bin/limber

.PHONY: all deps build demo test vet cross edge dist fuzz fuzz-decoders bench bench-peers bench-routines bench-listen clean

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
# one target at a time. Each new input worth keeping is made smaller
# in at most 200 runs, not the default minute: FuzzLoad's seeds include
# the whole built-in library, and minimising such inputs stalled it for
# four minutes (282 s of its 5 in one .ci/run; 29 s with the bound).
FUZZ = $(GO) test -run '^$$' -timeout 5m -fuzzminimizetime 200x
fuzz:
	$(FUZZ) ./player/routine -fuzz '^FuzzLoad$$' -fuzztime 200000x
	$(FUZZ) ./player/routine -fuzz '^FuzzParseAreas$$' -fuzztime 20000x
	$(FUZZ) ./player/internal/jsontree -fuzz '^FuzzParse$$' -fuzztime 100000x
	$(FUZZ) ./audio/decode -fuzz '^FuzzOpen$$' -fuzztime 40000x
	$(FUZZ) ./cues -fuzz '^FuzzParseManifest$$' -fuzztime 20000x
	$(FUZZ) ./player -fuzz '^FuzzParseKeys$$' -fuzztime 50000x
	$(FUZZ) ./cues -fuzz '^FuzzParseCommand$$' -fuzztime 20000x
	$(FUZZ) ./cues -fuzz '^FuzzCacheEntry$$' -fuzztime 20000x
	$(FUZZ) ./cues/cueid -fuzz '^FuzzOfWords$$' -fuzztime 20000x
	$(FUZZ) ./cmd/limber -fuzz '^FuzzParseConfig$$' -fuzztime 20000x
	$(FUZZ) ./cmd/limber -fuzz '^FuzzPercentFlag$$' -fuzztime 20000x
	$(FUZZ) ./cmd/limber -fuzz '^FuzzComplete$$' -fuzztime 2000x
	$(FUZZ) ./cues -fuzz '^FuzzParseClipIndex$$' -fuzztime 20000x
	$(FUZZ) ./cues -fuzz '^FuzzParseLexicon$$' -fuzztime 20000x
	$(FUZZ) ./cues -fuzz '^FuzzClipCacheEntry$$' -fuzztime 5000x
	$(FUZZ) ./audio/music -fuzz '^FuzzMusicEntry$$' -fuzztime 5000x
	$(FUZZ) ./history -fuzz '^FuzzScan$$' -fuzztime 20000x
	$(FUZZ) ./remind -fuzz '^FuzzParseSchedule$$' -fuzztime 20000x
	$(FUZZ) ./kws -fuzz '^FuzzLookup$$' -fuzztime 20000x

# A longer run of the audio decoders (third-party code behind limber's
# guards), by hand.
fuzz-decoders:
	$(FUZZ) ./audio/decode -fuzz '^FuzzOpen$$' -fuzztime 1000000x

# macOS and Windows builds need no C compiler: oto reaches CoreAudio and
# WASAPI without cgo. Vet them, build them, and check each binary links
# oto's driver, not the no-audio stub.
#
# Then the same bytes on every CPU. arm64 (the newer Macs too) fuses a
# multiply and an add into one instruction that rounds once; amd64 does
# not. So: limber's own code, built for linux/arm64, must hold no fused
# multiply-add (each product that feeds a sum is rounded first,
# float64(a*b)); the golden plans and the tables made with math.Sin and
# math.Cos must hold on arm64, run under qemu-aarch64-static; and exports
# of upper-back, WAV and FLAC, without and with a music bed, must be the
# bytes amd64 makes (scripts/cross-bytes.sh).
CROSS = darwin/amd64 darwin/arm64 windows/amd64
FUSED = '\bFN?M(ADD|SUB)[DS]\b'
cross:
	@for p in $(CROSS); do \
		os=$${p%/*}; arch=$${p#*/}; \
		GOOS=$$os GOARCH=$$arch CGO_ENABLED=0 $(GO) vet ./... || exit 1; \
		GOOS=$$os GOARCH=$$arch CGO_ENABLED=0 $(GO) build -o bin/cross/limber-$$os-$$arch ./cmd/limber || exit 1; \
		$(GO) tool nm bin/cross/limber-$$os-$$arch > bin/cross/nm.txt && grep -q 'ebitengine/oto/v3.NewContext$$' bin/cross/nm.txt || { echo "cross: $$p links no audio driver" >&2; exit 1; }; \
		echo "cross: $$p builds with oto's driver"; \
	done
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -o bin/cross/limber-linux-arm64 ./cmd/limber
	@! $(GO) tool objdump -s 'limber-audio/limber' bin/cross/limber-linux-arm64 | grep -E $(FUSED) || \
		{ echo "cross: fused multiply-adds in limber's code (above); round the product first: float64(a*b)" >&2; exit 1; }
	@echo "cross: linux/arm64 builds with no fused multiply-add in limber's code"
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) test -short -count=1 -exec qemu-aarch64-static ./audio/... ./player/...
	$(GO) build -o bin/cross/limber-linux-amd64 ./cmd/limber
	bash scripts/cross-bytes.sh bin/cross/limber-linux-amd64 bin/cross/limber-linux-arm64

# Release binaries, version stamped in, with their checksums.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
DIST = linux/amd64 $(CROSS)
dist: deps
	rm -rf dist && mkdir -p dist
	@for p in $(DIST); do \
		os=$${p%/*}; arch=$${p#*/}; ext=""; cgo=0; \
		[ $$os = windows ] && ext=.exe; [ $$os = linux ] && cgo=1; \
		GOOS=$$os GOARCH=$$arch CGO_ENABLED=$$cgo $(GO) build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" \
			-o dist/limber-$(VERSION)-$$os-$$arch$$ext ./cmd/limber || exit 1; \
	done
	cd dist && sha256sum limber-* > SHA256SUMS
	@cat dist/SHA256SUMS

# -race for the media controls: godbus answers the bus on goroutines
# of its own while the session changes what is published.
# -p 1: one package's tests at a time. The live-player tests play in real
# time into a paced sound card and check that not one frame drops; they
# must not share the two cores with another package's tests (festival
# voicing, fuzz seeds), which made a startup dropout now and then.
test: deps vet cross edge
	CGO_ENABLED=0 $(GO) build ./...
	CGO_ENABLED=0 $(GO) test ./kws ./mic
	$(GO) vet -tags nopocketsphinx ./kws ./player/listen
	$(GO) test -race -count=1 ./player/mpris
	$(GO) test -p 1 ./...
	$(MAKE) fuzz

# The speaker at the edge: no library package reaches oto or ALSA, and the
# routine model, the voice and the player build and test without cgo.
edge:
	@! $(GO) list -deps $$($(GO) list ./... | grep -v -e '/cmd/limber$$' -e '/audio/speaker$$') | grep -E 'ebitengine/oto|beep/v2/speaker|limber/audio/speaker' || \
		{ echo "edge: a library package imports the speaker (above); only cmd/limber may" >&2; exit 1; }
	@! $(GO) list -deps ./player/routine | grep -E 'limber/cues$$|limber/audio' || \
		{ echo "edge: the routine model imports the voice or audio (above)" >&2; exit 1; }
	CGO_ENABLED=0 $(GO) test ./player/... ./cues/...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# limber against ffmpeg and sox building the same mix, side by side (needs
# ffmpeg, sox, python3 and GNU time; installs nothing).
bench-peers:
	bash scripts/bench-peers.sh upper-back 5

# Voice commands measured on the listening corpus the tests make (voiced
# once a machine into ~/.cache/limber-tests): the one the thresholds were
# tuned on (about 150 minutes of audio), then a held-out one; commands
# acted on within 1.5 s, false commands an hour of other speech, CPU of
# the decoder as a share of one core. Then what listening costs a live
# session through a PulseAudio daemon of its own.
bench-listen: build
	$(GO) test -run '^$$' -bench '^BenchmarkListen$$' -benchtime 1x -timeout 2h ./player/listen -corpus
	$(GO) test -run '^$$' -bench '^BenchmarkListen$$' -benchtime 1x -timeout 2h ./player/listen -heldout
	bash scripts/bench-listen-cpu.sh $(BIN)

# limber on large routine files: time and peak memory (needs python3 and
# GNU time; installs nothing).
bench-routines: build
	bash scripts/bench-routines.sh $(BIN)

clean:
	rm -rf bin dist
