#!/usr/bin/env bash
# What listening costs in a live session (README, "Spoken commands"):
# plays a routine twice through a PulseAudio daemon of its own (null
# sinks, the monitor of a second one as the microphone, speech from the
# voice pack said into it all along), once without and once with
# --listen, and prints each run's CPU time and the difference as a share
# of one core. Usage: scripts/bench-listen-cpu.sh [LIMBER [NAME]]
# (default bin/limber desk-break). Needs pulseaudio, pulseaudio-utils,
# libasound2-plugins and GNU time; installs nothing.
set -euo pipefail
bin=$(realpath "${1:-bin/limber}")
name=${2:-desk-break}
clips=$(cd "$(dirname "$0")/.." && pwd)/cues/clips
dir=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT
mkdir -p "$dir/run"
export HOME=$dir XDG_RUNTIME_DIR=$dir/run PULSE_SERVER=unix:$dir/pulse.sock
pulseaudio -n --daemonize=no --exit-idle-time=-1 --use-pid-file=no \
	--load="module-null-sink sink_name=out" \
	--load="module-null-sink sink_name=room rate=16000 channels=1" \
	--load="module-native-protocol-unix socket=$dir/pulse.sock auth-anonymous=1" 2>/dev/null &
pids+=($!)
for _ in $(seq 100); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
pactl set-default-sink out
pactl set-default-source room.monitor
printf 'pcm.!default { type pulse }\nctl.!default { type pulse }\n' >"$dir/.asoundrc"
# The room: limber's own clips, said one after another, all along.
(while :; do for f in "$clips"/*.flac; do paplay -d room "$f" 2>/dev/null || exit 0; done; done) &
pids+=($!)
# run ARGS...: "wall user sys" of limber play NAME ARGS, and what it
# said on stderr (with --listen, "heard: ..." for any command heard in
# the room's speech) in $dir/err.
run() {
	/usr/bin/time -f '%e %U %S' -o "$dir/t" "$bin" play "$name" "$@" </dev/null >/dev/null 2>"$dir/err" ||
		{ cat "$dir/err" >&2; exit 1; }
	tail -n 1 "$dir/t"
}
read -r w0 u0 s0 < <(run)
read -r w1 u1 s1 < <(run --listen)
heard=$(grep -c 'heard:' "$dir/err" || true)
awk -v w0="$w0" -v u0="$u0" -v s0="$s0" -v w1="$w1" -v u1="$u1" -v s1="$s1" -v n="$name" -v heard="$heard" 'BEGIN {
	c0 = u0 + s0; c1 = u1 + s1
	printf "limber play %s:           %6.1f s, CPU %5.2f s (%4.1f%% of one core)\n", n, w0, c0, 100 * c0 / w0
	printf "limber play %s --listen:  %6.1f s, CPU %5.2f s (%4.1f%% of one core)\n", n, w1, c1, 100 * c1 / w1
	printf "listening: %.1f%% of one core; %d commands heard in the room\x27s speech\n", 100 * (c1 / w1 - c0 / w0), heard
}'
