package player

import (
	"bytes"
	"testing"
)

func TestParseKeys(t *testing.T) {
	keys := make(chan Key, 32)
	ParseKeys(bytes.NewReader([]byte(" nNpP+=-_x\x1b[C\x1b[D\x1b[A\x1bOC\x1bq\x03\x04\x1a")), keys)
	var got []Key
	for k := range keys {
		got = append(got, k)
	}
	want := []Key{KeyPause, KeyNext, KeyNext, KeyBack, KeyBack, KeyLouder, KeyLouder, KeySofter, KeySofter,
		KeyNext, KeyBack, KeyNext, KeyQuit, KeyInterrupt, KeyQuit, KeySuspend}
	if len(got) != len(want) {
		t.Fatalf("keys %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("keys %v, want %v", got, want)
		}
	}
}

func FuzzParseKeys(f *testing.F) {
	f.Add([]byte(" np+-q\x1b[C\x1b[D"))
	f.Fuzz(func(t *testing.T, data []byte) {
		keys := make(chan Key, len(data)+1)
		ParseKeys(bytes.NewReader(data), keys)
		n := 0
		for k := range keys {
			if k <= KeyNone || k > KeySuspend {
				t.Fatalf("key %d out of range", k)
			}
			n++
		}
		if n > len(data) {
			t.Fatalf("%d keys from %d bytes", n, len(data))
		}
	})
}
