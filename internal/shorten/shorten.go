package shorten

import "strings"

// To returns s when it is at most n bytes long, else its first n bytes,
// with bytes that are not UTF-8 (a character broken by the cut) left
// out, and "...".
func To(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "..."
}
