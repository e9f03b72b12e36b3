package tail

import (
	"bytes"
	"strings"
	"testing"
)

func TestBuffer_KeepsTheEnd(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"short", []string{"a", "b\n", "c"}, "ab\nc"},
		{"one long write", []string{strings.Repeat("x", 100) + "end"}, strings.Repeat("x", 13) + "end"},
		{"many writes", []string{strings.Repeat("y", 15), strings.Repeat("z", 15), "0123"}, strings.Repeat("z", 12) + "0123"},
		{"not half a character", []string{strings.Repeat("é", 20)}, strings.Repeat("é", 8)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &Buffer{Size: 16}
			for _, w := range tt.writes {
				if n, err := b.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write: %d, %v", n, err)
				}
			}
			if got := b.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestBuffer_MemoryStaysSmall: a gigabyte of output in 64 KiB writes
// keeps the buffer within twice its size.
func TestBuffer_MemoryStaysSmall(t *testing.T) {
	b := &Buffer{}
	chunk := bytes.Repeat([]byte("noise\n"), 64<<10/6)
	for range (1 << 30) / len(chunk) {
		b.Write(chunk)
	}
	b.Write([]byte("the error\n"))
	if cap(b.buf) > 2*DefaultSize+len(chunk) {
		t.Errorf("buffer grew to %d bytes", cap(b.buf))
	}
	if got := b.LastLine(80); got != "the error" {
		t.Errorf("last line %q", got)
	}
}
