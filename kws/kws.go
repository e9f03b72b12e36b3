package kws

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// SampleRate is the rate, in samples per second, of the audio a Decoder
// takes: that of the en-us acoustic model.
const SampleRate = 16000

// FrameLen is the length of one of the decoder's frames in samples
// (10 ms): detections start and end on frame boundaries.
const FrameLen = SampleRate / 100

// ErrUnavailable means this build of limber has no pocketsphinx: it was
// built without cgo, for a system other than Linux, or with the tag
// nopocketsphinx.
var ErrUnavailable = errors.New("speech recognition is not available in this build (it needs cgo and libpocketsphinx on Linux)")

// ErrNoModel means no acoustic model was found where Config and
// DefaultModelDirs say to look.
var ErrNoModel = errors.New("no pocketsphinx acoustic model found (install pocketsphinx-en-us)")

// Phrase is one keyphrase to listen for.
type Phrase struct {
	// Text is the phrase in lower-case words separated by single spaces;
	// each word must be in the dictionary.
	Text string
	// Threshold is the detection threshold, above 0: the lower it is,
	// the more readily the phrase is reported (and the more often by
	// mistake). Longer phrases need lower thresholds, and a lower phone
	// loop probability (Config.PhoneLoop) higher ones: with the default
	// phone loop typical values lie between 1e-40 and 1e-5, with 1e-10
	// up to 1e+70.
	Threshold float64
}

// Config says what a Decoder listens for and with which model.
type Config struct {
	// Phrases are the keyphrases; at least one.
	Phrases []Phrase
	// Model is the folder of the acoustic model (mdef, means, ...); ""
	// means the first of DefaultModelDirs that holds one.
	Model string
	// Dict is the pronouncing dictionary the words of the phrases are
	// looked up in; "" means cmudict-en-us.dict beside the model folder.
	Dict string
	// Words adds or replaces pronunciations: word -> phones, such as
	// "limber" -> "L IH M B ER".
	Words map[string]string
	// NoiseFloor, when above 0, is how many decibels below the speech
	// heard lately (the loudest 10 ms, fading by half every minute, and
	// never below -30 dBFS) a quiet background noise is kept: the decoder adds faint pink noise
	// where the audio is quieter than that. The acoustic model learnt
	// from recordings that all had some background; very clean audio (a
	// quiet headset, synthetic speech, a gated input) is unlike them and
	// is heard worse. 30 is about a laptop microphone in a quiet room.
	NoiseFloor float64
	// PhoneLoop is the probability, above 0 and at most 1, of the
	// phone loop: the "anything else" path every phrase competes with.
	// Lower values make every phrase easier to hear; 0 means
	// pocketsphinx's default, 0.1.
	PhoneLoop float64
	// Denoise, when above 0, is how many decibels, at most, a loud
	// steady background noise (a fan, traffic) is lowered by before the
	// decoder hears the audio, with speexdsp's noise suppressor. It is
	// used only while the noise is loud: within 26 dB of the loudest
	// speech heard lately, measured as the quietest 100 ms of the last
	// 10 s (clean speech read on for minutes has quieter moments). A
	// quieter noise is left as it is: the suppressor blurs speech a
	// little, which costs more there than the noise does. The
	// suppressor works in 20 ms frames: the part of a frame a Process
	// ends with waits for the next.
	Denoise float64
}

// Detection is one keyphrase heard.
type Detection struct {
	// Phrase is the Text of the phrase heard.
	Phrase string
	// Start and End bound the phrase in samples counted from the first
	// sample fed to the decoder (End is one past its last sample).
	Start, End int64
	// Score says how far the phrase beat the phone loop (everything
	// else it could have been), in the decoder's log units (see
	// ScoreOf): higher is surer. Among detections that overlap, the one
	// with the highest score is the likeliest.
	Score int
	// Denoised says the decoder heard the end of the phrase through the
	// noise suppressor (Config.Denoise), in a loud noise: scores there
	// run otherwise, for the phrase said and for everything else alike,
	// and may want a threshold of their own.
	Denoised bool
}

// DefaultModelDirs are the folders searched for the US English acoustic
// model when Config.Model is empty: where Debian's pocketsphinx-en-us
// puts it, then where pocketsphinx installs it from source.
var DefaultModelDirs = []string{
	"/usr/share/pocketsphinx/model/en-us/en-us",
	"/usr/local/share/pocketsphinx/model/en-us/en-us",
}

// modelFiles are the files a model folder must hold for the decoder to
// load it (pocketsphinx ends the process, rather than failing, on some
// of them missing, so they are checked first).
var modelFiles = []string{"mdef", "means", "variances", "transition_matrices"}

// findModel returns the model folder and the dictionary cfg names or the
// defaults.
func findModel(cfg Config) (model, dict string, err error) {
	dirs := DefaultModelDirs
	if cfg.Model != "" {
		dirs = []string{cfg.Model}
	}
	for _, d := range dirs {
		if err = checkModel(d); err == nil {
			model = d
			break
		}
	}
	if model == "" {
		if cfg.Model != "" {
			return "", "", err
		}
		return "", "", ErrNoModel
	}
	dict = cfg.Dict
	if dict == "" {
		dict = filepath.Join(filepath.Dir(model), "cmudict-en-us.dict")
	}
	return model, dict, nil
}

// checkModel checks that dir holds an acoustic model.
func checkModel(dir string) error {
	for _, f := range modelFiles {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			return fmt.Errorf("acoustic model %s: %w", dir, err)
		}
		if !st.Mode().IsRegular() {
			return fmt.Errorf("acoustic model %s: %s is not a regular file", dir, f)
		}
	}
	return nil
}

// checkPhrases checks each phrase's text and threshold and returns the
// words they use, sorted.
func checkPhrases(phrases []Phrase) ([]string, error) {
	return checkConfig(Config{Phrases: phrases})
}

// checkConfig checks cfg's phrases and settings and returns the words
// the phrases use, sorted.
func checkConfig(cfg Config) ([]string, error) {
	if !(cfg.NoiseFloor >= 0 && cfg.NoiseFloor <= 120) {
		return nil, fmt.Errorf("noise floor must be between 0 and 120 dB, got %g", cfg.NoiseFloor)
	}
	if !(cfg.Denoise >= 0 && cfg.Denoise <= 60) {
		return nil, fmt.Errorf("denoise must be between 0 and 60 dB, got %g", cfg.Denoise)
	}
	if !(cfg.PhoneLoop >= 0 && cfg.PhoneLoop <= 1) {
		return nil, fmt.Errorf("phone loop probability must be above 0 and at most 1, got %g", cfg.PhoneLoop)
	}
	phrases := cfg.Phrases
	if len(phrases) == 0 {
		return nil, errors.New("no keyphrases to listen for")
	}
	seen := map[string]bool{}
	words := map[string]bool{}
	for _, p := range phrases {
		if !(p.Threshold > 0 && p.Threshold <= 1e100) {
			return nil, fmt.Errorf("keyphrase %q: threshold must be above 0 and at most 1e100, got %g", p.Text, p.Threshold)
		}
		if seen[p.Text] {
			return nil, fmt.Errorf("keyphrase %q given twice", p.Text)
		}
		seen[p.Text] = true
		ws := strings.Split(p.Text, " ")
		for _, w := range ws {
			if !validWord(w) {
				return nil, fmt.Errorf("keyphrase %q: want lower-case words separated by single spaces", p.Text)
			}
			words[w] = true
		}
	}
	out := make([]string, 0, len(words))
	for w := range words {
		out = append(out, w)
	}
	sort.Strings(out)
	return out, nil
}

// validWord reports whether w is a word a phrase may use: lower-case
// letters and apostrophes, at most 40 bytes.
func validWord(w string) bool {
	if w == "" || len(w) > 40 {
		return false
	}
	for _, r := range w {
		if (r < 'a' || r > 'z') && r != '\'' {
			return false
		}
	}
	return true
}

// maxDictLine bounds a line of a dictionary.
const maxDictLine = 4096

// lookup reads a pronouncing dictionary (cmudict's format: a word, an
// optional "(2)" for a variant, then its phones) and returns the lines
// for words in the form a dictionary file takes them, variants included,
// with extra pronunciations from words. It fails if a word has none.
func lookup(r io.Reader, want []string, extra map[string]string) ([]string, error) {
	need := map[string]bool{}
	for _, w := range want {
		if _, ok := extra[w]; !ok {
			need[w] = true
		}
	}
	found := map[string][]string{}
	if len(need) > 0 {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 256), maxDictLine)
		for sc.Scan() {
			word, phones, ok := parseDictLine(sc.Text())
			if !ok || !need[word] {
				continue
			}
			found[word] = append(found[word], phones)
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("read dictionary: %w", err)
		}
	}
	var lines, missing []string
	for _, w := range want {
		if p, ok := extra[w]; ok {
			if !validPhones(p) {
				return nil, fmt.Errorf("pronunciation of %q: want upper-case phones separated by spaces, got %q", w, p)
			}
			lines = append(lines, w+" "+p)
			continue
		}
		if len(found[w]) == 0 {
			missing = append(missing, w)
			continue
		}
		for i, p := range found[w] {
			if i == 0 {
				lines = append(lines, w+" "+p)
			} else {
				lines = append(lines, w+"("+strconv.Itoa(i+1)+") "+p)
			}
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no pronunciation for %s in the dictionary", strings.Join(missing, ", "))
	}
	return lines, nil
}

// parseDictLine splits one dictionary line into its word (without a
// "(2)" variant mark) and phones.
func parseDictLine(line string) (word, phones string, ok bool) {
	head, rest, found := strings.Cut(strings.TrimSpace(line), " ")
	if !found {
		return "", "", false
	}
	if i := strings.IndexByte(head, '('); i > 0 && strings.HasSuffix(head, ")") {
		if _, err := strconv.Atoi(head[i+1 : len(head)-1]); err != nil {
			return "", "", false
		}
		head = head[:i]
	}
	phones = strings.Join(strings.Fields(rest), " ")
	if !validWord(head) || !validPhones(phones) {
		return "", "", false
	}
	return head, phones, true
}

// validPhones reports whether p is a sequence of phones: upper-case
// letters, separated by single spaces.
func validPhones(p string) bool {
	if p == "" || len(p) > 400 {
		return false
	}
	for _, ph := range strings.Split(p, " ") {
		if ph == "" || len(ph) > 4 {
			return false
		}
		for _, r := range ph {
			if r < 'A' || r > 'Z' {
				return false
			}
		}
	}
	return true
}

// kwsList renders phrases in the keyphrase file format: one phrase a
// line, its threshold between slashes.
func kwsList(phrases []Phrase) string {
	var b strings.Builder
	for _, p := range phrases {
		fmt.Fprintf(&b, "%s /%s/\n", p.Text, strconv.FormatFloat(p.Threshold, 'e', -1, 64))
	}
	return b.String()
}

// writeTemp writes content to a new temporary file and returns its name.
func writeTemp(pattern, content string) (string, error) {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return "", err
	}
	if _, err := f.WriteString(content); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// prepare checks cfg and writes the dictionary and keyphrase files the
// decoder loads; cleanup removes them.
func prepare(cfg Config) (model, dictFile, kwsFile string, cleanup func(), err error) {
	words, err := checkConfig(cfg)
	if err != nil {
		return "", "", "", nil, err
	}
	model, dict, err := findModel(cfg)
	if err != nil {
		return "", "", "", nil, err
	}
	f, err := os.Open(dict)
	if err != nil {
		return "", "", "", nil, fmt.Errorf("dictionary: %w", err)
	}
	lines, err := lookup(f, words, cfg.Words)
	f.Close()
	if err != nil {
		return "", "", "", nil, fmt.Errorf("%s: %w", dict, err)
	}
	dictFile, err = writeTemp("limber-kws-*.dict", strings.Join(lines, "\n")+"\n")
	if err != nil {
		return "", "", "", nil, fmt.Errorf("write dictionary: %w", err)
	}
	kwsFile, err = writeTemp("limber-kws-*.txt", kwsList(cfg.Phrases))
	if err != nil {
		os.Remove(dictFile)
		return "", "", "", nil, fmt.Errorf("write keyphrases: %w", err)
	}
	return model, dictFile, kwsFile, func() { os.Remove(dictFile); os.Remove(kwsFile) }, nil
}

// ScoreOf converts a threshold, as Phrase takes it, to the units of
// Detection.Score: pocketsphinx's logarithm base 1.0001, shifted right
// by 10 bits, less the 1500 that 0.8+5prealpha takes off every score (so
// that a confidence made from it stays below 1). A phrase is reported
// once its score reaches ScoreOf(its threshold).
func ScoreOf(threshold float64) int {
	return int(math.Floor(math.Log(threshold)/math.Log(1.0001)))>>10 - 1500
}

// ThresholdOf is the threshold at which a phrase is reported once its
// score reaches score: the inverse of ScoreOf. It lies in the middle of
// the span of thresholds that give that score, safe from rounding.
func ThresholdOf(score int) float64 {
	return math.Pow(1.0001, float64((score+1500)<<10+512))
}
