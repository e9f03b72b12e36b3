#!/usr/bin/env bash
# listen.sh: a listening check for the clips. Runs each clip through an
# offline speech recogniser and prints what it heard next to the words the
# clip should say, so clips that come out unclear stand out before a
# person listens to them. The recogniser is itself imperfect on short
# phrases: treat a mismatch as "listen to this one", not as a verdict.
#
#     bash cues/listen.sh            # every clip
#     bash cues/listen.sh ID [ID...] # only these
#
# The last line counts the clips heard word for word and the words heard
# over the whole pack: a word of a clip's text counts when the recogniser
# heard it in its place (the longest common subsequence of the two word
# lists), so one misheard word costs one word, not the clip.
#
# Needs: pocketsphinx with its US English model, sox, Go. On Debian:
#     apt-get install pocketsphinx pocketsphinx-en-us sox
set -euo pipefail

die() { echo "listen.sh: $*" >&2; exit 1; }
command -v pocketsphinx_continuous >/dev/null || die "pocketsphinx not found (apt-get install pocketsphinx pocketsphinx-en-us)"
command -v sox >/dev/null || die "sox not found (apt-get install sox libsox-fmt-all)"

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
want=" $* "
words() { tr 'A-Z' 'a-z' | tr -c "a-z'\n" ' ' | tr -s ' ' | sed 's/^ //; s/ $//'; }
# common A B: how many words of A (space-separated) B has in order.
common() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		n = split(a, x, " "); m = split(b, y, " ")
		for (j = 0; j <= m; j++) prev[j] = 0
		for (i = 1; i <= n; i++) {
			cur[0] = 0
			for (j = 1; j <= m; j++) {
				if (x[i] == y[j]) cur[j] = prev[j-1] + 1
				else cur[j] = (prev[j] > cur[j-1]) ? prev[j] : cur[j-1]
			}
			for (j = 0; j <= m; j++) prev[j] = cur[j]
		}
		print prev[m]
	}'
}
total=0 same=0 words=0 heardwords=0
while IFS=$'\t' read -r id text; do
	[ $# -eq 0 ] || [[ "$want" == *" $id "* ]] || continue
	# The recogniser needs a little silence before speech to settle.
	sox "$root/cues/clips/$id.flac" -r 16000 -c 1 -b 16 "$work/c.wav" pad 0.3 0.3
	heard=$(pocketsphinx_continuous -infile "$work/c.wav" 2>/dev/null | words)
	expect=$(printf '%s\n' "$text" | words)
	mark="  "
	if [ "$heard" = "$expect" ]; then same=$((same + 1)); else mark="? "; fi
	total=$((total + 1))
	n=$(wc -w <<<"$expect")
	words=$((words + n))
	heardwords=$((heardwords + $(common "$expect" "$heard")))
	printf '%s%-24s %s\n%26s%s\n' "$mark" "$id" "$expect" "heard: " "$heard"
done < <(cd "$root" && go run ./cues/internal/cuelist)
pct=0
[ "$words" -gt 0 ] && pct=$((heardwords * 100 / words))
echo "listen.sh: $same of $total clips heard word for word; $heardwords of $words words heard ($pct%)"
