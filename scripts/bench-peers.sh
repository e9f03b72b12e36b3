#!/usr/bin/env bash
# bench-peers.sh: build the same routine mix with limber, ffmpeg and sox, in
# one run on this machine, and print wall time, CPU time and peak memory
# side by side, with limber's lead over each.
#
#     bash scripts/bench-peers.sh [NAME] [RUNS]     # default upper-back, 5
#
# The peers get the mix from `limber plan NAME --json`: every cue's clip
# (the FLAC files of cues/clips, 22050 Hz) and every tone (a sine of the
# tone's length made by sox), in order, with the silences between them as
# files of their own; sox concatenates them and resamples once to
# 44100 Hz, ffmpeg joins them with its concat filter at 44100 Hz. Tones
# inside a hold that would overlap a cue are left out of the peers' mix
# (a handful). The peers mix nothing else, so the comparison favours them
# slightly. Jobs run alternately, RUNS times each; the median is shown.
#
# Then the music beds: limber mixing a 5-minute bed (44.1 kHz WAV, 48 kHz
# FLAC, MP3) under the routine, against ffmpeg mixing the same bed under
# limber's own voice track with amix.
#
# Then a 4-hour routine to a file, beside cp of the file it makes.
#
# Needs (installs nothing): go, ffmpeg, sox with FLAC and MP3 support,
# python3 (to read the plan), GNU time (/usr/bin/time).
set -euo pipefail

name=${1:-upper-back}
runs=${2:-5}
die() { echo "bench-peers.sh: $*" >&2; exit 1; }
for tool in go ffmpeg sox python3; do
	command -v "$tool" >/dev/null || die "$tool not found"
done
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) not found (apt-get install time)"

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin="$work/limber"
# Built aside and copied a page at a time, as an installer writes it: Linux
# 6.x keeps a file the linker wrote in large pieces in page-cache folios
# of up to 2 MB, and the program run from it shows a few MB more peak RSS
# (see the README's Testing section).
(cd "$root" && go build -o "$bin.build" ./cmd/limber)
dd if="$bin.build" of="$bin" bs=4096 status=none && chmod +x "$bin" && rm "$bin.build"

"$bin" plan "$name" --json > "$work/plan.json"
# segments: one file per line, clips and silences in order, all 22050 Hz mono.
python3 - "$work" "$root/cues/clips" > "$work/segments" <<'EOF'
import json, os, subprocess, sys
work, clips = sys.argv[1], sys.argv[2]
plan = json.load(open(os.path.join(work, "plan.json")))
rate = 22050
sounds = sorted((e for e in plan["events"] if e["kind"] in ("cue", "tone")), key=lambda e: e["start"])
at, n = 0.0, 0
def silence(sec):
    global n
    n += 1
    path = os.path.join(work, "sil%04d.wav" % n)
    subprocess.run(["sox", "-n", "-r", str(rate), "-c", "1", "-b", "16", path, "trim", "0", "%.6f" % sec], check=True)
    print(path)
for e in sounds:
    if e["start"] < at - 1e-9:
        continue  # overlaps the sound before: left out
    if e["start"] > at:
        silence(e["start"] - at)
    if e["kind"] == "cue":
        print(os.path.join(clips, e["cue"] + ".flac"))
    else:
        n += 1
        path = os.path.join(work, "tone%04d.wav" % n)
        subprocess.run(["sox", "-n", "-r", str(rate), "-c", "1", "-b", "16", path, "synth", "%.6f" % e["duration"], "sine", "880", "gain", "-12"], check=True)
        print(path)
    at = e["start"] + e["duration"]
if plan["duration"] > at:
    silence(plan["duration"] - at)
EOF
nseg=$(wc -l < "$work/segments")
mapfile -t segs < "$work/segments"
# ffmpeg: one input per segment, joined by the concat filter.
ffargs=()
filter=""
for i in "${!segs[@]}"; do
	ffargs+=(-i "${segs[$i]}")
	filter+="[$i:a]"
done
filter+="concat=n=$nseg:v=0:a=1[out]"
printf '%s' "$filter" > "$work/filter"

# time_job NAME: run the job whose command is in the array job_NAME, and
# append "wall cpu rssKB" to its times file.
time_job() {
	local -n cmd="job_$1"
	/usr/bin/time -f "%e %U %S %M" -o "$work/t" "${cmd[@]}" >/dev/null 2>&1 || die "$1 failed: ${cmd[*]:0:6}..."
	awk '{ printf "%s %.2f %d\n", $1, $2 + $3, $4 }' "$work/t" >> "$work/$1.times"
}
median() { sort -n | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'; }

declare -A wall cpu rss
# run_jobs NAME...: each job RUNS times, alternately; medians into the maps.
run_jobs() {
	local job r
	for r in $(seq "$runs"); do
		for job in "$@"; do
			time_job "$job"
		done
	done
	for job in "$@"; do
		wall[$job]=$(awk '{ print $1 }' "$work/$job.times" | median)
		cpu[$job]=$(awk '{ print $2 }' "$work/$job.times" | median)
		rss[$job]=$(awk '{ print $3 }' "$work/$job.times" | median)
	done
}
row() { # row LABEL JOB [LEAD]
	printf '%-30s %7ss %7ss %6d MB  %s\n' "$1" "${wall[$2]}" "${cpu[$2]}" $((rss[$2] / 1024)) "${3:-}"
}

# limber keeps its caches (decoded clips, decoded music beds) in a folder
# of this run's own: "warm" runs find them filled by a first run; "cold"
# runs get an empty one each time, as on a user's first export.
export XDG_CACHE_HOME="$work/cache"
cat > "$work/cold" <<'EOS'
#!/bin/sh
# cold [--keep-clips] ARGS...: limber with empty caches (or only the clips).
d=$(mktemp -d -p "$WORK")
if [ "$1" = --keep-clips ]; then
	shift
	mkdir -p "$d/limber" && ln -s "$WORK/cache/limber/clips" "$d/limber/clips"
fi
XDG_CACHE_HOME=$d exec "$BIN" "$@"
EOS
chmod +x "$work/cold"
export WORK="$work" BIN="$bin"
"$bin" export "$name" -o "$work/limber.wav" --force # fills the clip cache

job_limber=("$bin" export "$name" -o "$work/limber.wav" --force)
job_limber_cold=("$work/cold" export "$name" -o "$work/cold.wav" --force)
job_ffmpeg=(ffmpeg -y -v error "${ffargs[@]}" -filter_complex_script "$work/filter" -map "[out]" -ar 44100 -c:a pcm_s16le "$work/ffmpeg.wav")
job_sox=(sox "${segs[@]}" -b 16 "$work/sox.wav" rate 44100)

echo "bench-peers: $name, $nseg segments for the peers, $runs runs each, $(nproc) cores, $(uname -m)"
run_jobs limber limber_cold ffmpeg sox
for f in limber cold ffmpeg sox; do
	soxi -D "$work/$f.wav" >/dev/null 2>&1 || die "$f wrote no readable WAV"
done
cmp -s "$work/limber.wav" "$work/cold.wav" || die "limber wrote other bytes with an empty cache"
lead() { # lead JOB LIMBERJOB
	awk -v a="${wall[$1]}" -v b="${wall[$2]}" -v m="${rss[$1]}" -v l="${rss[$2]}" \
		'BEGIN { printf "%.1fx faster, at %.2fx its memory", a / b, l / m }'
}
printf '%-34s %8s %8s %9s  %s\n' job wall cpu "peak RSS" "limber (cache filled) is"
row "limber export, cache filled" limber
row "limber export, caches empty" limber_cold
for job in ffmpeg sox; do
	row "$job" "$job" "$(lead "$job" limber)"
done

# Music beds: limber's mix under the routine against ffmpeg's amix of the
# same bed under limber's voice track. limber decodes a bed the first time
# (cold: clips cached, the bed not) and reads it from its music cache after.
sox -n -r 44100 -c 2 -b 16 "$work/bed.wav" synth 300 sine 220 sine 330 gain -20
sox "$work/bed.wav" -r 48000 "$work/bed.flac"
sox "$work/bed.wav" "$work/bed.mp3" 2>/dev/null || die "sox cannot write MP3 (apt-get install libsox-fmt-all)"
echo
printf '%-34s %8s %8s %9s  %s\n' "with a 5-minute music bed" wall cpu "peak RSS" "limber is"
for bed in wav flac mp3; do
	declare -a "job_l_$bed=(\"\$bin\" export \"\$name\" -o \"\$work/lm.wav\" --force --music \"\$work/bed.$bed\")"
	declare -a "job_c_$bed=(\"\$work/cold\" --keep-clips export \"\$name\" -o \"\$work/lc.wav\" --force --music \"\$work/bed.$bed\")"
	declare -a "job_f_$bed=(ffmpeg -y -v error -i \"\$work/limber.wav\" -stream_loop -1 -i \"\$work/bed.$bed\" -filter_complex \"[1:a]volume=0.3[b];[0:a][b]amix=inputs=2:duration=first:normalize=0\" -ar 44100 -ac 1 -c:a pcm_s16le \"\$work/fm.wav\")"
	"$bin" export "$name" -o "$work/lm.wav" --force --music "$work/bed.$bed" # fills the music cache
	run_jobs "l_$bed" "c_$bed" "f_$bed"
	cmp -s "$work/lm.wav" "$work/lc.wav" || die "limber wrote other bytes from its music cache ($bed)"
	row "limber, $bed bed cached" "l_$bed" "$(awk -v a="${wall[f_$bed]}" -v b="${wall[l_$bed]}" 'BEGIN { printf "%.2fx the speed of ffmpeg", a / b }')"
	row "limber, $bed bed first time" "c_$bed" "$(awk -v a="${wall[f_$bed]}" -v b="${wall[c_$bed]}" 'BEGIN { printf "%.2fx the speed of ffmpeg", a / b }')"
	row "ffmpeg amix, $bed bed" "f_$bed"
done

# A 4-hour routine (26 times upper-back) to a file, against cp of the
# file it makes: the disk's own cost of those bytes.
python3 - "$work/marathon.json" <<'EOF2'
import json, sys
s = ["childs-pose", "neck-rotations", "neck-tilts", "butterfly-wings", "chair-rotation", "arm-slides"]
json.dump({"version": 1, "routines": {"marathon": {"name": "Marathon", "lead_in": 5, "rest": 10, "stretches": s * 26}}}, open(sys.argv[1], "w"))
EOF2
job_long=("$bin" export --routines "$work/marathon.json" marathon -o "$work/long.wav" --force)
job_cp=(cp "$work/long.wav" "$work/copy.wav")
"${job_long[@]}" # fills the cache, and makes the file cp copies
run_jobs long cp
secs=$(soxi -D "$work/long.wav")
echo
printf '%-34s %8s %8s %9s  %s\n' "4-hour routine, $(du -h "$work/long.wav" | cut -f1)" wall cpu "peak RSS" ""
row "limber export to a file" long "$(awk -v s="$secs" -v w="${wall[long]}" 'BEGIN { printf "%.0fx real time", s / w }')"
row "cp of that file" cp
