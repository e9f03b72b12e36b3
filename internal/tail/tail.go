package tail

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/limber-audio/limber/internal/shorten"
)

// Buffer is an io.Writer that keeps the last Size bytes written to it
// (DefaultSize when Size is 0). It is safe for concurrent use, so one
// Buffer can take a program's standard output and error at once.
type Buffer struct {
	Size int

	mu  sync.Mutex
	buf []byte
	cut bool // bytes were dropped from the front
}

// DefaultSize is what a Buffer keeps when Size is not set.
const DefaultSize = 4 << 10

// Write keeps the end of p; it never fails.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	size := b.Size
	if size <= 0 {
		size = DefaultSize
	}
	n := len(p)
	if len(p) > size {
		p, b.cut = p[len(p)-size:], true
	}
	if len(b.buf)+len(p) > 2*size { // drop the front now and then, not on every write
		keep := max(size-len(p), 0)
		b.buf, b.cut = append(b.buf[:0], b.buf[len(b.buf)-keep:]...), true
	}
	b.buf = append(b.buf, p...)
	return n, nil
}

// String returns the bytes kept, at most Size of them.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	size := b.Size
	if size <= 0 {
		size = DefaultSize
	}
	s := b.buf[max(len(b.buf)-size, 0):]
	if b.cut || len(s) < len(b.buf) {
		for len(s) > 0 && !utf8.RuneStart(s[0]) { // not half a character
			s = s[1:]
		}
	}
	return string(s)
}

// LastLine returns the last line that is not blank of what b kept, with
// control characters as spaces and shortened to n characters: one line
// an error message can end with.
func (b *Buffer) LastLine(n int) string {
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	last := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.TrimSpace(lines[len(lines)-1]))
	return shorten.To(last, n)
}
