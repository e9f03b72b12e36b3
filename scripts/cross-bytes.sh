#!/usr/bin/env bash
# cross-bytes.sh AMD64-LIMBER ARM64-LIMBER: export upper-back with both
# builds, the arm64 one under qemu-aarch64-static, as WAV and as FLAC,
# without and with a music bed (a 48 kHz FLAC, so it is resampled; the
# second export with it reads the music cache the first recorded), and
# fail unless every file is the same bytes on both. make cross runs it.
set -euo pipefail
amd64=$1
arm64=$2
for tool in qemu-aarch64-static sox cmp; do
	command -v "$tool" >/dev/null || { echo "cross-bytes.sh: $tool not found (scripts/deps.sh installs it)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1795564800 XDG_CONFIG_HOME="$tmp/config" # FLAC's DATE tag; no user routines
sox -n -r 48000 -c 2 -b 16 "$tmp/bed.flac" synth 20 sine 220 sine 330 gain -12
for arch in amd64 arm64; do
	limber=("$amd64")
	[ "$arch" = arm64 ] && limber=(qemu-aarch64-static "$arm64")
	export XDG_CACHE_HOME="$tmp/cache-$arch" # each starts with empty caches
	for ext in wav flac; do
		"${limber[@]}" export upper-back -o "$tmp/$arch.$ext"
		"${limber[@]}" export upper-back -o "$tmp/$arch-bed.$ext" --music "$tmp/bed.flac"
	done
done
status=0
for f in .wav .flac -bed.wav -bed.flac; do
	if cmp -s "$tmp/amd64$f" "$tmp/arm64$f"; then
		echo "cross: upper-back$f: the same bytes on amd64 and arm64"
	else
		echo "cross: upper-back$f differs between amd64 and arm64: $(cmp "$tmp/amd64$f" "$tmp/arm64$f" 2>&1 | head -1)" >&2
		status=1
	fi
done
exit $status
