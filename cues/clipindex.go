package cues

import (
	_ "embed" // the index of the built-in clips
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// clipIndexText lists every built-in clip's length, rate and MD5
// signature, as its FLAC header gives them, one clip a line:
// "id<TAB>samples<TAB>rate<TAB>md5". Planning a routine and finding a clip
// in the clip cache read it instead of the clips' headers, which lie
// scattered through the binary: reading those would bring megabytes of the
// binary into memory for a few bytes each. TestClipIndex keeps it true to
// the clips; `go test ./cues -run TestClipIndex -update` rewrites it.
//
//go:embed clips/index.tsv
var clipIndexText string

// clipInfo is one built-in clip's line of the index.
type clipInfo struct {
	samples, rate int
	md5           [16]byte
}

// clipIndex parses clipIndexText once.
var clipIndex = sync.OnceValues(func() (map[string]clipInfo, error) {
	return parseClipIndex(clipIndexText)
})

// parseClipIndex reads an index of clips.
func parseClipIndex(text string) (map[string]clipInfo, error) {
	index := map[string]clipInfo{}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("clip index:%d: want 4 fields, got %d", i+1, len(f))
		}
		var c clipInfo
		var err1, err2, err3 error
		c.samples, err1 = strconv.Atoi(f[1])
		c.rate, err2 = strconv.Atoi(f[2])
		var sum []byte
		sum, err3 = hex.DecodeString(f[3])
		if err1 != nil || err2 != nil || err3 != nil || len(sum) != 16 || c.samples <= 0 || c.rate <= 0 {
			return nil, fmt.Errorf("clip index:%d: malformed line %q", i+1, line)
		}
		copy(c.md5[:], sum)
		index[f[0]] = c
	}
	return index, nil
}

// builtinInfo returns built-in clip id's line of the index.
func builtinInfo(id string) (clipInfo, error) {
	index, err := clipIndex()
	if err != nil {
		return clipInfo{}, err
	}
	c, ok := index[id]
	if !ok {
		return clipInfo{}, fmt.Errorf("built-in clip for cue %s: not in the clip index", id)
	}
	return c, nil
}

// formatClipIndex writes the index line of each clip, in the order given.
func formatClipIndex(ids []string, infos []clipInfo) string {
	var b strings.Builder
	for i, id := range ids {
		fmt.Fprintf(&b, "%s\t%d\t%d\t%s\n", id, infos[i].samples, infos[i].rate, hex.EncodeToString(infos[i].md5[:]))
	}
	return b.String()
}
