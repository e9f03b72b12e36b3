package cues

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/limber-audio/limber/audio/decode"
	"github.com/limber-audio/limber/cues/cueid"
	"github.com/limber-audio/limber/internal/input"

	"github.com/limber-audio/limber/audio"
)

// MaxRecordingSize is the largest file a voice folder may hold for one cue.
const MaxRecordingSize = 32 << 20

// ownClip is what the pack keeps of a clip of its own (a user's recording
// or a voiced phrase): its length and rate, for CueLen at any rate, and
// for a recording where to read it again when it is first played.
type ownClip struct {
	srcLen  int    // samples in the file
	srcRate int    // the file's rate
	dir     string // the voice folder, for a recording
	name    string // the file in it
}

// VoiceDir describes what LoadVoiceDir found in a folder.
type VoiceDir struct {
	// Missing lists the cue ids with no recording, which fall back to the
	// built-in voice.
	Missing []string
	// Ignored lists files in the folder that are not recordings of a known
	// cue (wrong name or type), which are left alone; folders in it are
	// listed with a trailing "/".
	Ignored []string
}

// LoadVoiceDir makes the pack speak with the recordings in dir: files
// directly inside it named by cue id with one of decode.Extensions
// ("switch-sides.wav"). Each is decoded through now, so a bad file is
// reported before anything plays, but only its length is kept: a clip is
// read again and resampled when it is first played, so plans and commands
// that play a few cues hold only those. Nothing outside dir is read: symbolic
// links that leave it are refused. Cues without a recording keep the
// built-in clip; they are listed in the result. Call it before the pack is
// used.
func (p *Pack) LoadVoiceDir(dir string) (*VoiceDir, error) {
	found, ignored, err := scanVoiceDir(dir, p)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("voice folder: %w", err)
	}
	defer root.Close()
	own := map[string]bool{}
	for id, name := range found {
		path := filepath.Join(dir, name)
		f, err := openInRoot(root, name)
		if err != nil {
			return nil, fmt.Errorf("voice %s: %w", path, err)
		}
		_, srcLen, srcRate, err := decodeMono(f, audio.Ext(name), false)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("voice %s: %w", path, err)
		}
		p.setOwn(id, ownClip{srcLen: srcLen, srcRate: srcRate, dir: dir, name: name}, nil)
		own[id] = true
	}
	v := &VoiceDir{Ignored: ignored}
	for _, c := range p.manifest.Cues() {
		if !own[c.ID] {
			v.Missing = append(v.Missing, c.ID)
		}
	}
	return v, nil
}

// IDSet is a set of cue ids: a *Manifest, or a *Pack with a user's
// phrases.
type IDSet interface {
	Has(id string) bool
	IDs() []string
}

// MissingRecordings lists the ids of set that have no recording in dir,
// without decoding anything.
func MissingRecordings(dir string, set IDSet) ([]string, error) {
	found, _, err := scanVoiceDir(dir, set)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, id := range set.IDs() {
		if _, ok := found[id]; !ok {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

// scanVoiceDir maps cue ids to file names in dir. Two files for one cue
// are an error; other names are returned as ignored.
func scanVoiceDir(dir string, m IDSet) (found map[string]string, ignored []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("voice folder: %w", err)
	}
	found = map[string]string{}
	for _, e := range entries {
		name := e.Name()
		x := audio.Ext(name)
		id := strings.TrimSuffix(name, filepath.Ext(name))
		if e.IsDir() {
			ignored = append(ignored, name+"/")
			continue
		}
		if !decode.Readable(x) || !cueid.Valid(id) || !m.Has(id) {
			ignored = append(ignored, name)
			continue
		}
		if prev, dup := found[id]; dup {
			return nil, nil, fmt.Errorf("voice folder %s: two recordings for cue %s: %s and %s", dir, id, prev, name)
		}
		found[id] = name
	}
	sort.Strings(ignored)
	return found, ignored, nil
}

// readRecording reads the recording c names again and decodes it at rate.
func readRecording(c ownClip, rate int) ([]float32, error) {
	path := filepath.Join(c.dir, c.name)
	root, err := os.OpenRoot(c.dir)
	if err != nil {
		return nil, fmt.Errorf("voice %s: %w", path, err)
	}
	defer root.Close()
	f, err := openInRoot(root, c.name)
	if err != nil {
		return nil, fmt.Errorf("voice %s: %w", path, err)
	}
	defer f.Close()
	samples, _, _, err := decodeFrom(f, audio.Ext(c.name), rate)
	if err != nil {
		return nil, fmt.Errorf("voice %s: %w", path, err)
	}
	return samples, nil
}

// linkInside reports whether the symbolic link name in dir leads to a
// file inside dir, and returns that file's path relative to dir.
func linkInside(dir, name string) (string, bool) {
	target, err := filepath.EvalSymlinks(filepath.Join(dir, name))
	if err != nil {
		return "", false
	}
	base, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(base, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return rel, true
}

// openInRoot opens a regular file through root, so that a symbolic link
// leading out of the folder fails instead of being followed, and checks
// its size.
func openInRoot(root *os.Root, name string) (*os.File, error) {
	f, err := input.OpenIn(root, name)
	var pe *fs.PathError
	if err != nil && errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "escapes") {
		// An absolute link may still name a file in the folder.
		rel, ok := linkInside(root.Name(), name)
		if !ok {
			return nil, errors.New("symbolic link leads outside the voice folder; refused")
		}
		f, err = input.OpenIn(root, rel)
	}
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.Size() > MaxRecordingSize {
		f.Close()
		return nil, fmt.Errorf("larger than the %d MiB limit for one recording", MaxRecordingSize>>20)
	}
	return f, nil
}
