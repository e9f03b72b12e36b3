#!/usr/bin/env bash
# demo.sh: play the built-in upper-back routine. Where the machine has no
# sound card, say so and export the routine to upper-back.wav instead.
set -uo pipefail
bin=${1:-bin/limber}
"$bin" list
echo
"$bin" play upper-back
status=$?
if [ $status -eq 1 ]; then
	echo "demo: no sound here; writing the routine to upper-back.wav instead" >&2
	"$bin" export upper-back -o upper-back.wav --captions upper-back.vtt --force || exit 1
	# On a terminal limber says what it wrote itself.
	[ -t 2 ] || echo "demo: wrote upper-back.wav and upper-back.vtt" >&2
	exit 0
fi
exit $status
