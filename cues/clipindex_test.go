package cues

import (
	"bytes"
	"path"
	"strings"
	"testing"

	"github.com/limber-audio/limber/audio/decode"
	"github.com/limber-audio/limber/internal/testtools"
)

// TestClipIndex: the clip index says of every built-in clip what its FLAC
// header says, and lists no other. -update rewrites it.
func TestClipIndex(t *testing.T) {
	entries, err := clipFS.ReadDir("clips")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var infos []clipInfo
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".flac")
		if !ok {
			continue
		}
		data, err := clipFS.ReadFile(path.Join("clips", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		s, format, err := decode.Open(bytes.NewReader(data), ".flac")
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		c := clipInfo{samples: s.Len(), rate: int(format.SampleRate)}
		s.Close()
		// STREAMINFO's MD5 signature: after "fLaC", the block header and
		// its first 18 bytes.
		copy(c.md5[:], data[4+4+18:])
		ids, infos = append(ids, id), append(infos, c)
	}
	testtools.Golden(t, "clips/index.tsv", []byte(formatClipIndex(ids, infos)), *update)
	index, err := parseClipIndex(clipIndexText)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range Builtin().IDs() {
		if _, ok := index[id]; !ok {
			t.Errorf("cue %s has no clip in the index", id)
		}
	}
}

func TestParseClipIndex_Malformed(t *testing.T) {
	for _, text := range []string{
		"",
		"a\t1\t2\n",
		"a\t-1\t22050\t00000000000000000000000000000000\n",
		"a\t1\t22050\tzz000000000000000000000000000000\n",
		"a\t1\t22050\t0000\n",
	} {
		if _, err := parseClipIndex(text); err == nil {
			t.Errorf("parseClipIndex(%q) took it", text)
		}
	}
}
