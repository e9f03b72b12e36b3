#!/usr/bin/env bash
# generate.sh: render every cue in cues.json to clips/ID.flac.
#
# Run by hand from the repository root after changing cue text:
#     bash cues/generate.sh            # every cue
#     bash cues/generate.sh ID [ID...] # only these cues
#
# Needs: festival with the HTS voice festvox-us-slt-hts, sox with FLAC
# support, and Go (to read the manifest). On Debian:
#     apt-get install festival festvox-us-slt-hts sox libsox-fmt-all
#
# Each clip is synthesized, trimmed of leading and trailing silence,
# resampled to 22050 Hz mono 16-bit, faded in and out over a few
# milliseconds (no clicks), and brought to the same RMS loudness
# (TARGET_RMS dBFS) with its peak no higher than PEAK_MAX dBFS; a clip whose
# peak would pass that is limited first. Listen to what changed before
# committing it.
set -euo pipefail

RATE=22050
TARGET_RMS=-20   # dBFS
PEAK_MAX=-1.5    # dBFS, a margin under the -1 dBFS ceiling

die() { echo "generate.sh: $*" >&2; exit 1; }

command -v text2wave >/dev/null || die "festival's text2wave not found (apt-get install festival festvox-us-slt-hts)"
command -v sox >/dev/null || die "sox not found (apt-get install sox libsox-fmt-all)"
command -v go >/dev/null || die "go not found (needed to read cues.json)"
sox -h 2>/dev/null | grep -q ' flac' || die "sox has no FLAC support (apt-get install libsox-fmt-all)"
echo '(voice_cmu_us_slt_arctic_hts)' | festival --pipe 2>&1 | grep -qi 'not defined\|error' &&
	die "festival voice cmu_us_slt_arctic_hts missing (apt-get install festvox-us-slt-hts)"

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/cues/clips"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

stat() { # stat FILE FIELD -> number from sox stats (e.g. "RMS lev dB")
	sox "$1" -n stats 2>&1 | awk -v f="$2" 'index($0, f) == 1 { print $(NF) }'
}

want=" $* "
n=0
while IFS=$'\t' read -r id speak; do
	[ $# -eq 0 ] || [[ "$want" == *" $id "* ]] || continue
	printf '%s\n' "$speak" > "$work/text"
	text2wave -eval '(voice_cmu_us_slt_arctic_hts)' -o "$work/raw.wav" "$work/text" ||
		die "$id: festival failed"
	sox "$work/raw.wav" -b 16 "$work/trim.wav" \
		silence 1 0.01 -45d reverse silence 1 0.01 -45d reverse rate -v "$RATE"
	# A second pass: fade needs the trimmed length.
	sox "$work/trim.wav" "$work/fade.wav" fade h 0.008 -0 0.015
	mv "$work/fade.wav" "$work/trim.wav"
	rms=$(stat "$work/trim.wav" "RMS lev dB")
	pk=$(stat "$work/trim.wav" "Pk lev dB")
	gain=$(awk -v t="$TARGET_RMS" -v r="$rms" 'BEGIN { printf "%.2f", t - r }')
	over=$(awk -v p="$pk" -v g="$gain" -v m="$PEAK_MAX" 'BEGIN { print (p + g > m) ? 1 : 0 }')
	if [ "$over" = 1 ]; then
		# Soft-limit the loudest syllables so the RMS target fits under the
		# peak ceiling, then measure again.
		sox "$work/trim.wav" "$work/lim.wav" gain "$gain" \
			compand 0.001,0.08 6:-12,-12,-3,-5,0,-6 0 -90 0.002 gain -n -3
		mv "$work/lim.wav" "$work/trim.wav"
		rms=$(stat "$work/trim.wav" "RMS lev dB")
		gain=$(awk -v t="$TARGET_RMS" -v r="$rms" 'BEGIN { printf "%.2f", t - r }')
	fi
	sox "$work/trim.wav" -b 16 -r "$RATE" -c 1 "$out/$id.flac" gain "$gain"
	n=$((n + 1))
done < <(cd "$root" && go run ./cues/internal/cuelist)

[ "$n" -gt 0 ] || die "no cue matched: $*"
echo "generate.sh: wrote $n clips to $out"
