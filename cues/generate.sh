#!/usr/bin/env bash
# generate.sh: render every cue in cues.json to clips/ID.flac.
#
# Run by hand from the repository root after changing cue text:
#     bash cues/generate.sh            # every cue
#     bash cues/generate.sh ID [ID...] # only these cues
#
# Needs: festival with the HTS voice festvox-us-slt-hts, sox with FLAC
# support (only to store the clips as FLAC, losslessly), and Go. On Debian:
#     apt-get install festival festvox-us-slt-hts sox libsox-fmt-all
#
# The clips are made by cues/internal/cuegen with cues.Render: the very
# code that voices a user's own words at run time. It synthesizes each
# cue, cuts leading and trailing silence (below -45 dBFS), resamples to
# 22050 Hz mono, fades both ends over a few milliseconds (no clicks) and
# brings every clip to RMS -20 dBFS with peaks under -1.5 dBFS, limiting
# the loudest syllables smoothly where needed. Listen to what changed
# before committing it (cues/listen.sh helps).
set -euo pipefail

die() { echo "generate.sh: $*" >&2; exit 1; }

command -v sox >/dev/null || die "sox not found (apt-get install sox libsox-fmt-all)"
command -v go >/dev/null || die "go not found"
sox -h 2>/dev/null | grep -q ' flac' || die "sox has no FLAC support (apt-get install libsox-fmt-all)"

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/cues/clips"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$root" && go run ./cues/internal/cuegen "$work" "$@")
n=0
for wav in "$work"/*.wav; do
	id=$(basename "$wav" .wav)
	sox "$wav" "$out/$id.flac"
	n=$((n + 1))
done
# The clip index (lengths and signatures, read instead of the clips'
# headers) must say what the new clips say.
(cd "$root" && go test ./cues -run TestClipIndex -update >/dev/null) || true
(cd "$root" && go test ./cues -run TestClipIndex) || die "clips/index.tsv does not match the clips"
echo "generate.sh: wrote $n clips to $out, and their index"
