//go:build linux

package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/limber-audio/limber/audio/decode"
	"github.com/limber-audio/limber/internal/testtools"
)

// exportBoth exports a routine to WAV and to FLAC with the same flags.
func exportBoth(t *testing.T, args ...string) (wav, flac string) {
	t.Helper()
	dir := t.TempDir()
	wav, flac = filepath.Join(dir, "out.wav"), filepath.Join(dir, "out.flac")
	for _, out := range []string{wav, flac} {
		if _, stderr, code := limber(t, []string{"SOURCE_DATE_EPOCH=1795564800"}, append([]string{"export", "-o", out}, args...)...); code != 0 {
			t.Fatalf("export %s: exit %d: %s", out, code, stderr)
		}
	}
	return wav, flac
}

// rawSamples decodes any audio file to raw 16-bit samples with sox.
func rawSamples(t *testing.T, path string) []byte {
	t.Helper()
	sox := testtools.RequireTool(t, "sox")
	out, err := exec.Command(sox, path, "-t", "raw", "-e", "signed", "-b", "16", "-").Output()
	if err != nil {
		t.Fatalf("sox %s: %v", path, err)
	}
	return out
}

// TestFLAC_SameSamplesAsWAV: the FLAC export decodes, with flac -d, with
// sox and with limber's own decoder, to exactly the samples of the WAV
// export of the same routine and flags.
func TestFLAC_SameSamplesAsWAV(t *testing.T) {
	flacBin := testtools.RequireTool(t, "flac")
	music := filepath.Join("..", "..", "cues", "testdata", "formats", "rest.flac")
	for name, args := range map[string][]string{
		"mono":                 {"desk-break"},
		"stereo at 48 kHz":     {"neck-tilts", "--channels", "2", "--rate", "48000"},
		"music, brief, 22.05k": {"neck-tilts", "--music", music, "--coach", "brief", "--rate", "22050"},
		"paced, at 8 kHz":      {"childs-pose", "--pace", "0.5", "--rate", "8000"},
	} {
		t.Run(name, func(t *testing.T) {
			wav, flac := exportBoth(t, args...)
			if out, err := exec.Command(flacBin, "--test", "--silent", flac).CombinedOutput(); err != nil {
				t.Fatalf("flac --test (checks the MD5 signature too): %v\n%s", err, out)
			}
			decoded := filepath.Join(t.TempDir(), "d.wav")
			if out, err := exec.Command(flacBin, "-d", "--silent", "-o", decoded, flac).CombinedOutput(); err != nil {
				t.Fatalf("flac -d: %v\n%s", err, out)
			}
			want := rawSamples(t, wav)
			if got := rawSamples(t, decoded); !bytes.Equal(got, want) {
				t.Errorf("flac -d: %d bytes of samples, WAV %d; not the same", len(got), len(want))
			}
			if got := rawSamples(t, flac); !bytes.Equal(got, want) {
				t.Error("sox reads other samples from the FLAC file")
			}
			f, err := os.Open(flac)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			s, format, err := decode.Open(f, ".flac")
			if err != nil {
				t.Fatal(err)
			}
			var own []byte
			buf := make([][2]float64, 4096)
			for {
				n, ok := s.Stream(buf)
				for _, v := range buf[:n] {
					for c := range format.NumChannels {
						x := int16(math.Round(v[c] * 32768))
						own = append(own, byte(x), byte(uint16(x)>>8))
					}
				}
				if !ok {
					break
				}
			}
			if !bytes.Equal(own, want) {
				t.Errorf("limber's own decoder: %d bytes, WAV %d; not the same", len(own), len(want))
			}
		})
	}
}

type probed struct {
	Chapters []struct {
		StartTime string            `json:"start_time"`
		Tags      map[string]string `json:"tags"`
	} `json:"chapters"`
}

func probeChapters(t *testing.T, path string) probed {
	t.Helper()
	ffprobe := testtools.RequireTool(t, "ffprobe")
	out, err := exec.Command(ffprobe, "-v", "error", "-show_chapters", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var p probed
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFLAC_ChaptersAndTags: ffprobe lists the same chapters for the FLAC
// file as for the WAV file, names included; metaflac shows the tags and
// a cue sheet with a track at each.
func TestFLAC_ChaptersAndTags(t *testing.T) {
	metaflac := testtools.RequireTool(t, "metaflac")
	wav, flac := exportBoth(t, "upper-back")
	fromWAV, fromFLAC := probeChapters(t, wav), probeChapters(t, flac)
	if len(fromFLAC.Chapters) == 0 || len(fromFLAC.Chapters) != len(fromWAV.Chapters) {
		t.Fatalf("FLAC has %d chapters, WAV %d", len(fromFLAC.Chapters), len(fromWAV.Chapters))
	}
	for i, c := range fromFLAC.Chapters {
		w := fromWAV.Chapters[i]
		a, _ := strconv.ParseFloat(c.StartTime, 64)
		b, _ := strconv.ParseFloat(w.StartTime, 64)
		if math.Abs(a-b) > 0.001 || c.Tags["title"] != w.Tags["title"] || c.Tags["title"] == "" {
			t.Errorf("chapter %d: FLAC %.3f %q, WAV %.3f %q", i+1, a, c.Tags["title"], b, w.Tags["title"])
		}
	}
	out, err := exec.Command(metaflac, "--list", flac).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"TITLE=Upper back", "ALBUM=limber", "ARTIST=limber voice", "DESCRIPTION=All five upper-back stretches",
		"DATE=2026-11-25", "CHAPTER001NAME=Child's Pose", "type: 5 (CUESHEET)", "number of tracks: " + strconv.Itoa(len(fromWAV.Chapters)+1)} {
		if !strings.Contains(string(out), want) {
			t.Errorf("metaflac --list lacks %q", want)
		}
	}
}

// TestFLAC_SizeAndDeterminism: the upper-back FLAC is at most a sixth of
// its WAV, and its bytes are pinned (go test -update rewrites the sum).
func TestFLAC_SizeAndDeterminism(t *testing.T) {
	wav, flac := exportBoth(t, "upper-back")
	ws, _ := os.Stat(wav)
	fs, _ := os.Stat(flac)
	t.Logf("WAV %d bytes, FLAC %d bytes: 1/%.1f", ws.Size(), fs.Size(), float64(ws.Size())/float64(fs.Size()))
	if fs.Size()*6 > ws.Size() {
		t.Errorf("FLAC %d bytes is more than a sixth of the WAV's %d", fs.Size(), ws.Size())
	}
	data, _ := os.ReadFile(flac)
	sum := sha256.Sum256(data)
	got := hex.EncodeToString(sum[:]) + "  upper-back.flac\n"
	golden := filepath.Join("testdata", "export-flac.sha256")
	if *update {
		os.WriteFile(golden, []byte(got), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if got != string(want) {
		t.Errorf("FLAC export checksum changed (go test -update if intended):\n got %s\nwant %s", got, want)
	}
	// The same bytes through a pipe, where the writer cannot seek back.
	stdout, stderr, code := limber(t, []string{"SOURCE_DATE_EPOCH=1795564800"}, "export", "upper-back", "-o", "-", "--format", "flac")
	if code != 0 || !bytes.Equal([]byte(stdout), data) {
		t.Errorf("-o - --format flac: %d bytes (exit %d, %s), the file %d", len(stdout), code, stderr, len(data))
	}
}

// TestFLAC_Faults repeats the WAV export's fault cases for FLAC.
func TestFLAC_Faults(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.flac")
	os.WriteFile(existing, []byte("keep me"), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"dev full", []string{"-o", "/dev/full", "--format", "flac"}, 1, "limber: export /dev/full: no space left on device"},
		{"existing", []string{"-o", existing}, 2, "existing.flac already exists; use --force"},
		{"unwritable folder", []string{"-o", "/proc/x.flac"}, 2, "cannot write in /proc"},
		{"unknown extension", []string{"-o", filepath.Join(dir, "x.mp3")}, 2, "limber writes .wav and .flac files"},
		{"unknown format", []string{"-o", "-", "--format", "ogg"}, 2, `--format must be wav or flac, got "ogg"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := limber(t, nil, append([]string{"export", "neck-tilts"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
	if got, _ := os.ReadFile(existing); string(got) != "keep me" {
		t.Error("existing file changed")
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("folder holds %v", names)
	}
	// Interrupted mid-way: nothing left.
	routines := filepath.Join(dir, "long.json")
	os.WriteFile(routines, []byte(longRoutine), 0o644)
	cmd := exec.Command(program(t), "export", "marathon", "--routines", routines, "--rate", "96000", "-o", filepath.Join(dir, "m.flac"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForTempData(t, cmd, dir)
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != -1 && code != 143 {
		t.Errorf("SIGTERM: exit %d, want 143", code)
	}
	if names := dirNames(t, dir); len(names) != 2 {
		t.Errorf("folder holds %v after SIGTERM", names)
	}
}
