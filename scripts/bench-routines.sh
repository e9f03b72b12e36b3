#!/usr/bin/env bash
# Time and peak memory of limber on large routine files (README, "Speed
# and memory"): check of 20,000 to 145,000 stretches, plan upper-back
# layered over 145,000, a file of 30,000 sources, and 2,000,000 zeros in an
# unknown field. Usage: scripts/bench-routines.sh [LIMBER] (default
# bin/limber). Needs python3 and GNU time; installs nothing.
set -euo pipefail
bin=${1:-bin/limber}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
def stretches(n):
    body = ", ".join('"s%d": {"name": "S", "steps": [{"hold": 5}]}' % i for i in range(n))
    return '{"version": 1, "stretches": {' + body + '}}'
for n in (20000, 40000, 100000, 145000):
    open("%s/s%d.json" % (d, n), "w").write(stretches(n))
srcs = ", ".join('"https://example.org/%d"' % i for i in range(30000))
open(d + "/sources.json", "w").write('{"version": 1, "stretches": {"s": {"name": "S", "steps": [{"hold": 5}], "sources": [' + srcs + ']}}}')
open(d + "/zeros.json", "w").write('{"version": 1, "x": [' + ",".join(["0"] * 2000000) + ']}')
PY
printf '| command | file | seconds | peak memory |\n|---|---|---|---|\n'
# run COMMAND WHAT FILE ARGS...: one row, for limber ARGS reading FILE.
run() {
	local command=$1 what=$2 file=$3
	shift 3
	/usr/bin/time -f '%e %M' -o "$dir/t" "$bin" "$@" >/dev/null 2>&1 || true
	read -r secs kb < <(tail -n 1 "$dir/t") # after "Command exited with non-zero status"
	printf '| `limber %s` | %s, %s MB | %s s | %d MB |\n' "$command" "$what" \
		"$(awk -v n="$(stat -c %s "$file")" 'BEGIN {printf "%.1f", n / 1e6}')" "$secs" $((kb / 1024))
}
for n in 20000 40000 100000 145000; do
	run check "$n stretches" "$dir/s$n.json" check "$dir/s$n.json"
done
run "plan upper-back --routines" "145000 stretches" "$dir/s145000.json" plan upper-back --routines "$dir/s145000.json"
run check "30000 sources" "$dir/sources.json" check "$dir/sources.json"
run check "2000000 zeros in an unknown field" "$dir/zeros.json" check "$dir/zeros.json"
