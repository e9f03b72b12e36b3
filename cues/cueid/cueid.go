package cueid

// Valid reports whether id uses only the cue id alphabet: lower-case
// ASCII letters, digits, '-' and '.', starting with a letter or digit, not
// containing "..", at most 64 bytes. Such an id is always a safe file name.
func Valid(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' || c == '.':
			if i == 0 || (c == '.' && id[i-1] == '.') {
				return false
			}
		default:
			return false
		}
	}
	return id[len(id)-1] != '.'
}
