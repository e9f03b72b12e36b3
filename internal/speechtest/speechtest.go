// Package speechtest makes the speech that limber's listening tests and
// benchmarks feed to the keyword spotter: phrases spoken by festival and
// espeak-ng voices at chosen speeds and pitches, 16-bit mono at 16 kHz,
// and noise to mix under them at a chosen signal-to-noise ratio.
//
// Voicing takes time (festival's HTS voice needs about a third of a
// second a phrase), so what is voiced is kept in a cache folder shared by
// every test run on the machine: $LIMBER_TEST_CACHE, else limber-tests
// in the user's cache folder. Entries are named by a hash of everything
// that made them and written whole or not at all, so the folder can be
// removed at any time.
package speechtest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/limber-audio/limber/internal/testtools"
)

// Rate is the sample rate of everything this package makes.
const Rate = 16000

// recipe is bumped when the way audio is made changes, so old cache
// entries are not used.
const recipe = "speechtest/2"

// Voice is a synthetic speaker.
type Voice struct {
	// Engine is "festival" (its US English HTS voice, the one limber's
	// own cues are spoken with) or "espeak-ng".
	Engine string
	// Name is espeak-ng's voice, such as "en-us" or "en-gb+f3"; unused
	// for festival.
	Name string
	// Speed scales the speaking rate: 1 is the engine's normal pace.
	Speed float64
	// Pitch moves the voice up or down, in semitones.
	Pitch float64
}

func (v Voice) String() string {
	name := v.Engine
	if v.Name != "" {
		name += "/" + v.Name
	}
	return fmt.Sprintf("%s x%.2f %+.0fst", name, v.Speed, v.Pitch)
}

// CacheDir returns the folder voiced audio is kept in.
func CacheDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("LIMBER_TEST_CACHE")
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		dir = filepath.Join(base, "limber-tests")
	}
	dir = filepath.Join(dir, "speech")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// Say returns text spoken by v, with the silence before and after it
// trimmed, from the cache when it was voiced before.
func Say(tb testing.TB, v Voice, text string) []int16 {
	tb.Helper()
	if v.Speed == 0 {
		v.Speed = 1
	}
	sum := sha256.Sum256([]byte(recipe + "\x00" + v.String() + "\x00" + text))
	path := filepath.Join(CacheDir(tb), hex.EncodeToString(sum[:12])+".raw")
	if data, err := os.ReadFile(path); err == nil && len(data)%2 == 0 {
		return fromBytes(data)
	}
	sox := testtools.RequireTool(tb, "sox")
	tmp := tb.TempDir()
	wav := filepath.Join(tmp, "voiced.wav")
	switch v.Engine {
	case "festival":
		text2wave := testtools.RequireTool(tb, "text2wave")
		in := filepath.Join(tmp, "text.txt")
		if err := os.WriteFile(in, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
		// The HTS engine's own speed (-r) and pitch in semitones (-fm):
		// unlike sox's tempo and pitch afterwards, they keep the
		// voice's formants where a person's would be.
		params := fmt.Sprintf(`(set! hts_engine_params (append hts_engine_params (list (list "-fm" %g) (list "-r" %g))))`, v.Pitch, v.Speed)
		if out, err := exec.Command(text2wave, "-eval", "(voice_cmu_us_slt_arctic_hts)", "-eval", params, "-o", wav, in).CombinedOutput(); err != nil {
			tb.Fatalf("text2wave: %v: %s", err, out)
		}
	case "espeak-ng":
		espeak := testtools.RequireTool(tb, "espeak-ng")
		name := v.Name
		if name == "" {
			name = "en-us"
		}
		// espeak-ng's pitch runs 0..99 around 50; about 4 steps a semitone.
		pitch := min(max(50+int(math.Round(v.Pitch*4)), 0), 99)
		wpm := int(math.Round(175 * v.Speed))
		if out, err := exec.Command(espeak, "-v", name, "-s", strconv.Itoa(wpm), "-p", strconv.Itoa(pitch), "-w", wav, text).CombinedOutput(); err != nil {
			tb.Fatalf("espeak-ng: %v: %s", err, out)
		}
	default:
		tb.Fatalf("unknown engine %q", v.Engine)
	}
	raw := filepath.Join(tmp, "out.raw")
	args := []string{wav, "-t", "raw", "-e", "signed", "-b", "16", "-c", "1", raw, "rate", strconv.Itoa(Rate),
		"silence", "1", "0.02", "0.3%", "reverse", "silence", "1", "0.02", "0.3%", "reverse"}
	if out, err := exec.Command(sox, args...).CombinedOutput(); err != nil {
		tb.Fatalf("sox: %v: %s", err, out)
	}
	data, err := os.ReadFile(raw)
	if err != nil {
		tb.Fatal(err)
	}
	if len(data) < Rate/10*2 {
		tb.Fatalf("%s said %q in %d samples: not speech", v, text, len(data)/2)
	}
	put(path, data)
	return fromBytes(data)
}

// Load returns a sound file (anything sox reads) as 16-bit mono at
// Rate, from the cache when it was converted before.
func Load(tb testing.TB, path string) []int16 {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	sum := sha256.Sum256(append([]byte(recipe+"\x00load\x00"), data...))
	cached := filepath.Join(CacheDir(tb), hex.EncodeToString(sum[:12])+".raw")
	if out, err := os.ReadFile(cached); err == nil && len(out)%2 == 0 {
		return fromBytes(out)
	}
	sox := testtools.RequireTool(tb, "sox")
	raw := filepath.Join(tb.TempDir(), "out.raw")
	if out, err := exec.Command(sox, path, "-t", "raw", "-e", "signed", "-b", "16", "-c", "1", raw, "rate", strconv.Itoa(Rate)).CombinedOutput(); err != nil {
		tb.Fatalf("sox %s: %v: %s", path, err, out)
	}
	out, err := os.ReadFile(raw)
	if err != nil {
		tb.Fatal(err)
	}
	put(cached, out)
	return fromBytes(out)
}

// put writes data to path whole: to a temporary name first, so a test
// stopped half way leaves no short entry.
func put(path string, data []byte) {
	part := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+strconv.Itoa(os.Getpid()))
	if err := os.WriteFile(part, data, 0o644); err == nil {
		os.Rename(part, path)
	}
}

func fromBytes(data []byte) []int16 {
	s := make([]int16, len(data)/2)
	for i := range s {
		s[i] = int16(binary.LittleEndian.Uint16(data[2*i:]))
	}
	return s
}

// Silence returns seconds of silence.
func Silence(seconds float64) []int16 { return make([]int16, int(seconds*Rate)) }

// Seconds returns the length of n samples in seconds.
func Seconds(n int) float64 { return float64(n) / Rate }

// Noise is a kind of background noise.
type Noise int

// The noises.
const (
	// Pink noise, equal energy per octave: a fan, air conditioning, rain.
	Pink Noise = iota
	// Brown noise, mostly low: traffic, a distant road, rumble.
	Brown
)

func (n Noise) String() string { return [...]string{"pink", "brown"}[n] }

// AddNoise returns speech with noise mixed under it at snr decibels
// below the speech's active level (the loudness of its voiced parts,
// pauses left out), generated from seed. Samples are clipped to 16 bits.
func AddNoise(speech []int16, kind Noise, snr float64, seed uint64) []int16 {
	level := ActiveLevel(speech)
	noise := make([]float64, len(speech))
	rng := rand.New(rand.NewPCG(seed, 0x6c696d626572))
	var b [7]float64 // pink: Paul Kellet's filter
	var brown float64
	var power float64
	for i := range noise {
		w := rng.NormFloat64()
		switch kind {
		case Pink:
			b[0] = 0.99886*b[0] + w*0.0555179
			b[1] = 0.99332*b[1] + w*0.0750759
			b[2] = 0.96900*b[2] + w*0.1538520
			b[3] = 0.86650*b[3] + w*0.3104856
			b[4] = 0.55000*b[4] + w*0.5329522
			b[5] = -0.7616*b[5] - w*0.0168980
			noise[i] = b[0] + b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + w*0.5362
			b[6] = w * 0.115926
		case Brown:
			brown = 0.998*brown + w*0.1
			noise[i] = brown
		}
		power += noise[i] * noise[i]
	}
	out := make([]int16, len(speech))
	if len(noise) == 0 || power == 0 {
		copy(out, speech)
		return out
	}
	gain := level / math.Sqrt(power/float64(len(noise))) * math.Pow(10, -snr/20)
	for i, s := range speech {
		v := float64(s) + noise[i]*gain
		out[i] = int16(min(max(math.Round(v), -32768), 32767))
	}
	return out
}

// ActiveLevel returns the RMS of the voiced parts of speech: of its 20 ms
// frames within 30 dB of the loudest one.
func ActiveLevel(speech []int16) float64 {
	const frame = Rate / 50
	var rms []float64
	loudest := 0.0
	for i := 0; i+frame <= len(speech); i += frame {
		var p float64
		for _, s := range speech[i : i+frame] {
			p += float64(s) * float64(s)
		}
		r := math.Sqrt(p / frame)
		rms = append(rms, r)
		loudest = max(loudest, r)
	}
	var p float64
	n := 0
	for _, r := range rms {
		if r > loudest*math.Pow(10, -30.0/20) {
			p += r * r
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return math.Sqrt(p / float64(n))
}

// WriteWAV writes samples as a 16-bit mono WAV file at Rate, for paplay
// and the like.
func WriteWAV(tb testing.TB, path string, samples []int16) {
	tb.Helper()
	data := make([]byte, 44+2*len(samples))
	copy(data, "RIFF")
	binary.LittleEndian.PutUint32(data[4:], uint32(36+2*len(samples)))
	copy(data[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(data[16:], 16)
	binary.LittleEndian.PutUint16(data[20:], 1) // PCM
	binary.LittleEndian.PutUint16(data[22:], 1) // mono
	binary.LittleEndian.PutUint32(data[24:], Rate)
	binary.LittleEndian.PutUint32(data[28:], Rate*2)
	binary.LittleEndian.PutUint16(data[32:], 2)
	binary.LittleEndian.PutUint16(data[34:], 16)
	copy(data[36:], "data")
	binary.LittleEndian.PutUint32(data[40:], uint32(2*len(samples)))
	for i, s := range samples {
		binary.LittleEndian.PutUint16(data[44+2*i:], uint16(s))
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
}
